import type {Check} from '../../src/checks/types.js'
import {P_SUITES, REF, TLS_SERVICE_PROTOCOLS, evaluateSuitePredicate, isRc4} from './shared.js'

export const check: Check = {
  id: 'tls.cipher.rc4',
  title: 'RC4 cipher suite accepted',
  family: 'tls',
  description:
    'Fails when the service accepts a suite using the RC4 stream cipher, whose keystream biases allow ' +
    'plaintext recovery; RFC 9325 forbids it.',
  remediation: 'Remove every RC4 cipher suite from the server\'s cipher list.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_SUITES],
  references: [
    REF.X1352_CRYPTO,
    REF.X1214_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.RFC9325_SUITES,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    return evaluateSuitePredicate(input, isRc4, 'RC4')
  },
}
