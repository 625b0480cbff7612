import type {Check} from '../../src/checks/types.js'
import {P_SUITES, REF, TLS_SERVICE_PROTOCOLS, evaluateSuitePredicate, is64BitBlockCipher, isNullCipher, isRc4} from './shared.js'

/** RFC 9325 §4.1: SHOULD NOT negotiate suites with less than 128 bits of security. */
const MIN_BITS = 128

export const check: Check = {
  id: 'tls.cipher.weak',
  title: 'Weak block cipher (64-bit block or under 128 bits) accepted',
  family: 'tls',
  description:
    'Fails when the service accepts a suite using a 64-bit block cipher (3DES, DES, IDEA, RC2: ' +
    'Sweet32 birthday attacks) or a cipher with less than 128 bits of strength. NULL and RC4 suites are ' +
    'reported by their own checks.',
  remediation: 'Remove 3DES, DES, IDEA and RC2 suites and keep only AES-GCM or ChaCha20-Poly1305 suites.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_SUITES],
  references: [
    REF.X1352_CRYPTO,
    REF.X1214_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(326),
    REF.RFC9325_SUITES,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    return evaluateSuitePredicate(
      input,
      (info) => !isNullCipher(info) && !isRc4(info) && (is64BitBlockCipher(info) || info.cipherBits < MIN_BITS),
      'weak-cipher (64-bit block or <128-bit)',
    )
  },
}
