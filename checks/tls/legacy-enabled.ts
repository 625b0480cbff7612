import type {Check} from '../../src/checks/types.js'
import type {TlsProtocol} from '../../src/probes/tls/types.js'
import {noProtocolAccepted, P_PROTOCOLS, REF, TLS_SERVICE_PROTOCOLS, acceptedProtocols, readProtocols} from './shared.js'

const LEGACY: readonly TlsProtocol[] = ['TLSv1.0', 'TLSv1.1']

export const check: Check = {
  id: 'tls.protocol.legacy-enabled',
  title: 'TLS 1.0 or TLS 1.1 accepted',
  family: 'tls',
  description:
    'Fails when the service accepts TLS 1.0 or TLS 1.1. Both were deprecated by RFC 8996: they rely on ' +
    'MD5/SHA-1 in the handshake and lack modern AEAD cipher suites, and they allow downgrade of clients.',
  remediation: 'Disable TLS 1.0 and TLS 1.1 and serve only TLS 1.2 and TLS 1.3.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_PROTOCOLS],
  references: [
    REF.X805_CONF,
    REF.X805_INTEG,
    REF.X1352_CRYPTO,
    REF.X1214_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.cwe(757),
    REF.RFC8996,
    REF.RFC9325_VERSIONS,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
    REF.MOZILLA,
  ],
  evaluate(input) {
    const protocols = readProtocols(input)
    const accepted = acceptedProtocols(protocols)
    if (accepted.length === 0) return noProtocolAccepted(input)
    const legacy = LEGACY.filter((p) => protocols[p])
    if (legacy.length > 0) {
      return {
        outcome: 'fail',
        message: `Deprecated protocol(s) accepted: ${legacy.join(', ')} (accepted protocols: ${accepted.join(', ')}).`,
      }
    }
    return {outcome: 'pass', message: `Neither TLSv1.0 nor TLSv1.1 is accepted (accepted protocols: ${accepted.join(', ')}).`}
  },
}
