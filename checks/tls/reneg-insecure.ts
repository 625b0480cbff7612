import type {Check} from '../../src/checks/types.js'
import {P_KEX, REF, TLS_SERVICE_PROTOCOLS, readKeyExchange} from './shared.js'

export const check: Check = {
  id: 'tls.reneg.insecure',
  title: 'Secure renegotiation (RFC 5746) not supported',
  family: 'tls',
  description:
    'Fails when, on TLS 1.2 or older, the server does not echo the renegotiation_info extension: without ' +
    'it an attacker can splice its own data in front of a victim\'s session (CVE-2009-3555).',
  remediation: 'Update the TLS library so that it implements RFC 5746 renegotiation_info, or disable renegotiation entirely.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_KEX],
  references: [REF.X1352_DATA, REF.EN_5_5_1, REF.CR_3_1, REF.RFC5746, REF.RFC9325_EXTENSIONS],
  evaluate(input) {
    const reneg = readKeyExchange(input).secureRenegotiation
    if (reneg === null) {
      return {outcome: 'not_applicable', message: 'No TLS 1.2-or-older protocol to test renegotiation_info on.'}
    }
    if (!reneg) {
      return {outcome: 'fail', message: 'The server does not support secure renegotiation: renegotiation_info (RFC 5746) is not echoed.'}
    }
    return {outcome: 'pass', message: 'The server echoes renegotiation_info (RFC 5746).'}
  },
}
