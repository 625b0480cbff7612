import type {Check} from '../../src/checks/types.js'
import {P_KEX, REF, TLS_SERVICE_PROTOCOLS, formatList, lookupGroup, plural, readKeyExchange} from './shared.js'

export const check: Check = {
  id: 'tls.kex.weak-ec-group',
  title: 'Weak or disallowed key-exchange group',
  family: 'tls',
  description:
    'Fails when the server accepts an elliptic-curve (or hybrid) key-exchange group smaller than the ' +
    'profile minimum (thresholds.minEcBits), or, when the profile lists allowed groups ' +
    '(thresholds.allowedGroups), any group outside that list.',
  remediation: 'Limit the server\'s supported groups to x25519, secp256r1 and secp384r1 (plus hybrid post-quantum groups where supported).',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_KEX],
  references: [
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(326),
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
    REF.MOZILLA,
  ],
  evaluate(input) {
    const {minEcBits, allowedGroups} = input.thresholds
    const groups = readKeyExchange(input).groups
    if (groups.length === 0) {
      return {outcome: 'not_applicable', message: 'No key-exchange group was observed.'}
    }
    const canonical = (name: string): string => (lookupGroup(name)?.name ?? name).toLowerCase()
    const allowed = new Set(allowedGroups.map(canonical))

    const small: string[] = []
    const notAllowed: string[] = []
    const unknown: string[] = []
    for (const name of groups) {
      const info = lookupGroup(name)
      if (info === undefined) unknown.push(name)
      else if ((info.kind === 'ec' || info.kind === 'hybrid') && info.bits < minEcBits) {
        small.push(`${name} (${info.bits} bits)`)
      }
      if (allowed.size > 0 && !allowed.has(canonical(name))) notAllowed.push(name)
    }
    const note = unknown.length > 0 ? ` Groups not in the registry, size unknown: ${formatList(unknown)}.` : ''

    const problems: string[] = []
    if (small.length > 0) problems.push(`below the ${minEcBits}-bit minimum: ${formatList(small)}`)
    if (notAllowed.length > 0) problems.push(`not in the profile's allowed groups: ${formatList(notAllowed)}`)
    if (problems.length > 0) {
      return {outcome: 'fail', message: `Weak or disallowed key-exchange groups accepted — ${problems.join('; ')}.${note}`}
    }
    return {
      outcome: 'pass',
      message: `All ${plural(groups.length, 'accepted group')} meet the policy: ${formatList(groups)}.${note}`,
    }
  },
}
