import type {Check} from '../../src/checks/types.js'
import {
  P_PREFERENCE,
  P_SUITES,
  REF,
  TLS_SERVICE_PROTOCOLS,
  acceptedSuites,
  bestSuiteProtocol,
  describeSuites,
  formatList,
  hasForwardSecrecy,
  plural,
  readCipherSuites,
  readPreference,
  unknownNote,
} from './shared.js'

export const check: Check = {
  id: 'tls.cipher.no-forward-secrecy',
  title: 'No forward secrecy, or a non-forward-secret suite preferred',
  family: 'tls',
  description:
    'Fails when no accepted suite uses an ephemeral (EC)DHE key exchange, or when the server, choosing by ' +
    'its own order, prefers a static-RSA/DH/ECDH suite on its best protocol: a later key compromise then ' +
    'decrypts recorded sessions.',
  remediation:
    'Enable ECDHE suites (or TLS 1.3), put them first in the server\'s order and remove static RSA key-exchange suites.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_SUITES, P_PREFERENCE],
  references: [
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.RFC9325_SUITES,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
    REF.MOZILLA,
  ],
  evaluate(input) {
    const data = readCipherSuites(input)
    const suites = acceptedSuites(data)
    if (suites.length === 0) return {outcome: 'not_applicable', message: 'No cipher suite was accepted.'}
    const note = unknownNote(suites)
    const known = suites.filter((s) => s.info !== undefined)
    if (known.length === 0) {
      return {outcome: 'inconclusive', message: `No accepted suite could be classified.${note}`}
    }
    const nonFs = known.filter((s) => s.info !== undefined && !hasForwardSecrecy(s.info))
    const fs = known.filter((s) => s.info !== undefined && hasForwardSecrecy(s.info))
    const nonFsText =
      nonFs.length > 0
        ? ` Non-forward-secret suites accepted: ${formatList(describeSuites(nonFs))}.`
        : ''

    if (fs.length === 0) {
      return {
        outcome: 'fail',
        message: `No forward-secret suite is accepted (${plural(known.length, 'classified suite')}).${nonFsText}${note}`,
      }
    }

    const best = bestSuiteProtocol(data)
    const first = suites.find((s) => s.protocol === best && s.index === 0)
    const serverOrder = best === undefined ? null : (readPreference(input)[best]?.serverOrder ?? null)
    if (serverOrder === true && first?.info !== undefined && !hasForwardSecrecy(first.info)) {
      return {
        outcome: 'fail',
        message: `The server prefers the non-forward-secret suite ${first.name} on ${best}.${nonFsText}${note}`,
      }
    }
    const prefText =
      serverOrder === true && first !== undefined
        ? ` The server prefers ${first.name} on ${best}.`
        : serverOrder === false
          ? ` The server does not enforce its own suite order on ${best}.`
          : ` Whether the server enforces its suite order on ${best} was not determined.`
    return {
      outcome: 'pass',
      message: `${plural(new Set(fs.map((s) => s.name)).size, 'forward-secret suite')} accepted.${prefText}${nonFsText}${note}`,
    }
  },
}
