import type {Check} from '../../src/checks/types.js'
import {
  type AcceptedSuite,
  P_SUITES,
  REF,
  TLS_SERVICE_PROTOCOLS,
  acceptedSuites,
  describeSuites,
  formatList,
  plural,
  readCipherSuites,
  uniqueNames,
  wildcardMatch,
} from './shared.js'

export const check: Check = {
  id: 'tls.cipher.policy',
  title: 'Cipher suites outside the profile policy',
  family: 'tls',
  description:
    'Fails when the accepted cipher suites break the profile\'s suite policy (thresholds.cipherSuites): a ' +
    'required suite is not accepted, an accepted suite matches no allowed entry, or a forbidden suite is accepted.',
  remediation: 'Configure the server\'s cipher list to exactly the suites the applicable profile allows and requires.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_SUITES],
  references: [
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.RFC9325_RECOMMENDED,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
    REF.MOZILLA,
  ],
  evaluate(input) {
    const {required, allowed, forbidden} = input.thresholds.cipherSuites
    if (required.length === 0 && allowed.length === 0 && forbidden.length === 0) {
      return {outcome: 'not_applicable', message: 'The profile sets no cipher-suite policy.'}
    }
    const suites = acceptedSuites(readCipherSuites(input))
    if (suites.length === 0) return {outcome: 'not_applicable', message: 'No cipher suite was accepted.'}
    const names = uniqueNames(suites)
    // Patterns are IANA names; a suite reported under another alias still matches through its registry name.
    const matches = (pattern: string, s: AcceptedSuite): boolean =>
      wildcardMatch(pattern, s.name) || (s.info !== undefined && wildcardMatch(pattern, s.info.name))

    const problems: string[] = []
    const missing = required.filter((pattern) => !suites.some((s) => matches(pattern, s)))
    if (missing.length > 0) {
      problems.push(`required but not accepted: ${formatList(missing)}`)
    }
    if (allowed.length > 0) {
      const notAllowed = suites.filter((s) => !allowed.some((pattern) => matches(pattern, s)))
      if (notAllowed.length > 0) {
        problems.push(`accepted but not allowed: ${formatList(describeSuites(notAllowed))}`)
      }
    }
    const banned = suites.filter((s) => forbidden.some((pattern) => matches(pattern, s)))
    if (banned.length > 0) {
      problems.push(`forbidden but accepted: ${formatList(describeSuites(banned))}`)
    }

    if (problems.length > 0) {
      return {outcome: 'fail', message: `Cipher-suite policy violated: ${problems.join('; ')}.`}
    }
    return {
      outcome: 'pass',
      message: `All ${plural(names.length, 'accepted suite')} conform to the profile's cipher-suite policy.`,
    }
  },
}
