import type {Check} from '../../src/checks/types.js'
import {P_KEX, REF, TLS_SERVICE_PROTOCOLS, readKeyExchange} from './shared.js'

export const check: Check = {
  id: 'tls.ems.missing',
  title: 'Extended master secret (RFC 7627) not supported',
  family: 'tls',
  description:
    'Fails when, on TLS 1.2 or older, the server does not negotiate extended_master_secret: the master ' +
    'secret is then not bound to the handshake, enabling triple-handshake and session-synchronisation attacks.',
  remediation: 'Update or configure the TLS library to negotiate the extended_master_secret extension (RFC 7627).',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_KEX],
  references: [REF.X1352_CRYPTO, REF.EN_5_5_1, REF.CR_4_3, REF.RFC7627, REF.RFC9325_EXTENSIONS, REF.BSI_TR_02102_2],
  evaluate(input) {
    const ems = readKeyExchange(input).extendedMasterSecret
    if (ems === null) {
      return {outcome: 'not_applicable', message: 'No TLS 1.2-or-older protocol to test extended_master_secret on.'}
    }
    if (!ems) {
      return {outcome: 'fail', message: 'The server does not negotiate extended_master_secret (RFC 7627).'}
    }
    return {outcome: 'pass', message: 'The server negotiates extended_master_secret (RFC 7627).'}
  },
}
