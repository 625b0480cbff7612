import type {Check} from '../../src/checks/types.js'
import {P_SSH_KEXINIT, REF, SSH_SERVICE_PROTOCOLS, evaluateAlgorithms, readKexinit} from './shared.js'

export const check: Check = {
  id: 'ssh.kex.weak',
  title: 'Weak SSH key exchange offered',
  family: 'ssh',
  description:
    'Fails when the server offers a key exchange method with a SHA-1 exchange hash or a 1024-bit group ' +
    '(e.g. diffie-hellman-group1-sha1, diffie-hellman-group14-sha1, diffie-hellman-group-exchange-sha1), as ' +
    'classified in data/ssh/algorithms.json. An attacker in the path can force the weakest common method.',
  remediation:
    'Offer only curve25519-sha256, ecdh-sha2-nistp256/384/521, diffie-hellman-group14-sha256 or larger ' +
    'SHA-2 groups, diffie-hellman-group-exchange-sha256, or a hybrid post-quantum method.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: SSH_SERVICE_PROTOCOLS,
  reads: [P_SSH_KEXINIT],
  references: [REF.X1352_CRYPTO, REF.EN_5_5_1, REF.CR_4_3, REF.cwe(327), REF.RFC9142, REF.NIST_800_131A, REF.BSI_TR_02102_4],
  evaluate(input) {
    return evaluateAlgorithms(input, 'kex', readKexinit(input).kex, 'key exchange')
  },
}
