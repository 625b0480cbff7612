import type {Check} from '../../src/checks/types.js'
import {P_SSH_KEXINIT, REF, SSH_SERVICE_PROTOCOLS, evaluateAlgorithms, readKexinit} from './shared.js'

export const check: Check = {
  id: 'ssh.cipher.weak',
  title: 'Weak SSH cipher offered',
  family: 'ssh',
  description:
    'Fails when the server offers, in either direction, an encryption algorithm classified as weak in ' +
    'data/ssh/algorithms.json: arcfour* (RC4, high), none, DES, 3DES and other 64-bit block ciphers, or any ' +
    'CBC mode. CBC in the SSH binary packet protocol allows plaintext recovery; 64-bit blocks allow ' +
    'birthday-bound attacks.',
  remediation:
    'Offer only chacha20-poly1305@openssh.com, aes128-gcm@openssh.com / aes256-gcm@openssh.com and ' +
    'aes128-ctr / aes192-ctr / aes256-ctr.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: SSH_SERVICE_PROTOCOLS,
  reads: [P_SSH_KEXINIT],
  references: [
    REF.X1352_CRYPTO,
    REF.X1214_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.RFC8758,
    REF.RFC4344,
    REF.NIST_800_131A,
    REF.BSI_TR_02102_4,
  ],
  evaluate(input) {
    const d = readKexinit(input)
    return evaluateAlgorithms(input, 'cipher', [...d.ciphers, ...d.ciphersClientToServer], 'cipher')
  },
}
