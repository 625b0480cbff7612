import type {Check} from '../../src/checks/types.js'
import {noProtocolAccepted, P_PROTOCOLS, REF, TLS_SERVICE_PROTOCOLS, acceptedProtocols, readProtocols} from './shared.js'

export const check: Check = {
  id: 'tls.protocol.tls12-missing',
  title: 'Neither TLS 1.2 nor TLS 1.3 supported',
  family: 'tls',
  description:
    'Fails when the service accepts SSL/TLS but neither TLS 1.2 nor TLS 1.3. RFC 9325 requires TLS 1.2 ' +
    'support; a service limited to older versions cannot offer any currently acceptable protection.',
  remediation: 'Update the TLS library or its configuration so that the service supports TLS 1.2 and, preferably, TLS 1.3.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_PROTOCOLS],
  references: [
    REF.X1352_CRYPTO,
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
    const modern = accepted.filter((p) => p === 'TLSv1.2' || p === 'TLSv1.3')
    if (modern.length === 0) {
      return {
        outcome: 'fail',
        message: `Neither TLSv1.2 nor TLSv1.3 is accepted; the service only accepts ${accepted.join(', ')}.`,
      }
    }
    return {outcome: 'pass', message: `${modern.join(' and ')} accepted.`}
  },
}
