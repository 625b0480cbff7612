import type {Check} from '../../src/checks/types.js'
import {noProtocolAccepted, P_PROTOCOLS, REF, TLS_SERVICE_PROTOCOLS, acceptedProtocols, readProtocols} from './shared.js'

export const check: Check = {
  id: 'tls.protocol.sslv2-enabled',
  title: 'SSL 2.0 accepted',
  family: 'tls',
  description:
    'Fails when the service completes an SSL 2.0 handshake. SSL 2.0 is broken by design (weak MAC, ' +
    'export ciphers, no handshake integrity) and enables DROWN-style attacks on other protocols sharing the key.',
  remediation: 'Disable SSL 2.0 in the TLS stack configuration (or rebuild the firmware\'s TLS library without it).',
  defaultSeverity: 'critical',
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
    REF.CR_3_1,
    REF.cwe(327),
    REF.RFC9325_VERSIONS,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    const protocols = readProtocols(input)
    const accepted = acceptedProtocols(protocols)
    if (accepted.length === 0) return noProtocolAccepted(input)
    if (protocols.SSLv2) {
      return {outcome: 'fail', message: `SSLv2 is accepted (accepted protocols: ${accepted.join(', ')}).`}
    }
    return {outcome: 'pass', message: `SSLv2 is not accepted (accepted protocols: ${accepted.join(', ')}).`}
  },
}
