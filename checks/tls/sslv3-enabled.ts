import type {Check} from '../../src/checks/types.js'
import {noProtocolAccepted, P_PROTOCOLS, REF, TLS_SERVICE_PROTOCOLS, acceptedProtocols, readProtocols} from './shared.js'

export const check: Check = {
  id: 'tls.protocol.sslv3-enabled',
  title: 'SSL 3.0 accepted',
  family: 'tls',
  description:
    'Fails when the service completes an SSL 3.0 handshake. SSL 3.0 has unfixable weaknesses in its CBC ' +
    'padding (POODLE) and key derivation and is prohibited by RFC 9325.',
  remediation: 'Disable SSL 3.0 in the TLS stack configuration so that only TLS 1.2 and TLS 1.3 remain.',
  defaultSeverity: 'high',
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
    REF.RFC9325_VERSIONS,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    const protocols = readProtocols(input)
    const accepted = acceptedProtocols(protocols)
    if (accepted.length === 0) return noProtocolAccepted(input)
    if (protocols.SSLv3) {
      return {outcome: 'fail', message: `SSLv3 is accepted (accepted protocols: ${accepted.join(', ')}).`}
    }
    return {outcome: 'pass', message: `SSLv3 is not accepted (accepted protocols: ${accepted.join(', ')}).`}
  },
}
