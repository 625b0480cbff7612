import type {Check} from '../../src/checks/types.js'
import {P_KEX, REF, TLS_SERVICE_PROTOCOLS, formatList, lookupGroup, readKeyExchange} from './shared.js'

export const check: Check = {
  id: 'tls.kex.weak-dh',
  title: 'Weak finite-field Diffie-Hellman group',
  family: 'tls',
  description:
    'Fails when the server\'s DHE prime (or an accepted FFDHE named group) is smaller than the profile ' +
    'minimum (thresholds.minDhBits); small groups allow precomputation attacks such as Logjam. Below ' +
    'thresholds.criticalDhBits the finding is raised to high.',
  remediation: 'Configure DH parameters of at least 2048 bits (e.g. RFC 7919 ffdhe2048 or larger), or disable DHE suites in favour of ECDHE.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_KEX],
  conditions: {'below-critical-dh-bits': {description: 'a DHE prime below thresholds.criticalDhBits', defaultSeverity: 'high'}},
  references: [
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(326),
    REF.RFC9325_KEYS,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
    REF.MOZILLA,
  ],
  evaluate(input) {
    const {minDhBits, criticalDhBits} = input.thresholds
    const kex = readKeyExchange(input)
    const ffGroups = kex.groups
      .map((name) => ({name, info: lookupGroup(name)}))
      .filter((g) => g.info?.kind === 'ff')
    if (kex.dheBits === null && ffGroups.length === 0) {
      return {outcome: 'not_applicable', message: 'No DHE suite or FFDHE group is accepted.'}
    }

    const weak: string[] = []
    let smallest = Infinity
    if (kex.dheBits !== null && kex.dheBits < minDhBits) {
      weak.push(`DHE prime of ${kex.dheBits} bits`)
      smallest = Math.min(smallest, kex.dheBits)
    }
    for (const g of ffGroups) {
      const bits = g.info?.bits ?? 0
      if (bits < minDhBits) {
        weak.push(`${g.name} (${bits} bits)`)
        smallest = Math.min(smallest, bits)
      }
    }
    if (weak.length > 0) {
      const critical = smallest < criticalDhBits
      return {
        outcome: 'fail',
        message:
          `Finite-field DH below the ${minDhBits}-bit minimum: ${formatList(weak)}` +
          (critical ? ` (below ${criticalDhBits} bits).` : '.'),
        ...(critical ? {condition: 'below-critical-dh-bits'} : {}),
      }
    }
    const seen = [
      ...(kex.dheBits !== null ? [`DHE prime of ${kex.dheBits} bits`] : []),
      ...ffGroups.map((g) => `${g.name} (${g.info?.bits ?? 0} bits)`),
    ]
    return {outcome: 'pass', message: `Finite-field DH meets the ${minDhBits}-bit minimum: ${formatList(seen)}.`}
  },
}
