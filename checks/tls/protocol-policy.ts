import type {Check} from '../../src/checks/types.js'
import {noProtocolAccepted, P_PROTOCOLS, REF, TLS_SERVICE_PROTOCOLS, acceptedProtocols, readProtocols} from './shared.js'

export const check: Check = {
  id: 'tls.protocol.policy',
  title: 'Protocol version outside the profile policy',
  family: 'tls',
  description:
    'Fails when the service accepts a protocol version that the profile does not list in its allowed ' +
    'protocols (thresholds.allowedProtocols), e.g. TLS 1.2 on a TLS 1.3-only profile.',
  remediation: 'Restrict the service to the protocol versions the applicable profile allows.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_PROTOCOLS],
  references: [
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.cwe(757),
    REF.RFC9325_VERSIONS,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
    REF.MOZILLA,
  ],
  evaluate(input) {
    const allowed = input.thresholds.allowedProtocols
    if (allowed.length === 0) {
      return {outcome: 'not_applicable', message: 'The profile sets no protocol allow-list.'}
    }
    const accepted = acceptedProtocols(readProtocols(input))
    if (accepted.length === 0) return noProtocolAccepted(input)
    const outside = accepted.filter((p) => !allowed.includes(p))
    if (outside.length > 0) {
      return {
        outcome: 'fail',
        message: `Protocol(s) accepted but not allowed by the profile: ${outside.join(', ')} (allowed: ${allowed.join(', ')}).`,
      }
    }
    return {outcome: 'pass', message: `All accepted protocols (${accepted.join(', ')}) are allowed by the profile.`}
  },
}
