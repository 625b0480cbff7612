import type {Check} from '../../src/checks/types.js'
import {P_SUITES, REF, TLS_SERVICE_PROTOCOLS, evaluateSuitePredicate, isNullCipher} from './shared.js'

/** RFC 9325 §4.1: MUST NOT negotiate suites offering less than 112 bits of security. */
const MIN_BITS = 112

export const check: Check = {
  id: 'tls.cipher.null-or-export',
  title: 'NULL, export-grade or sub-112-bit cipher suite accepted',
  family: 'tls',
  description:
    'Fails when the service accepts a cipher suite without encryption (NULL), an export-grade suite, or ' +
    'any suite with less than 112 bits of symmetric strength: traffic is readable or trivially decryptable.',
  remediation: 'Remove NULL, EXPORT and DES/40-/56-bit cipher suites from the server\'s cipher list.',
  defaultSeverity: 'critical',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_SUITES],
  references: [
    REF.X805_CONF,
    REF.X1352_CRYPTO,
    REF.X1214_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.cwe(326),
    REF.RFC9325_SUITES,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    return evaluateSuitePredicate(
      input,
      (info) => isNullCipher(info) || info.export || info.cipherBits < MIN_BITS,
      'NULL/export/<112-bit',
    )
  },
}
