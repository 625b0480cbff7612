import type {Check} from '../../src/checks/types.js'
import {P_SSH_KEXINIT, REF, SSH_SERVICE_PROTOCOLS, evaluateAlgorithms, readKexinit} from './shared.js'

export const check: Check = {
  id: 'ssh.mac.weak',
  title: 'Weak SSH MAC offered',
  family: 'ssh',
  description:
    'Fails when the server offers, in either direction, a MAC classified as weak in data/ssh/algorithms.json: ' +
    'hmac-md5*, truncated *-96 MACs, umac-32/umac-64, or none. hmac-sha1 is named as discouraged but does ' +
    'not fail the check.',
  remediation:
    'Offer only hmac-sha2-256-etm@openssh.com, hmac-sha2-512-etm@openssh.com, umac-128-etm@openssh.com ' +
    '(and, for older clients, hmac-sha2-256 / hmac-sha2-512).',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: SSH_SERVICE_PROTOCOLS,
  reads: [P_SSH_KEXINIT],
  references: [REF.X1352_CRYPTO, REF.EN_5_5_1, REF.CR_3_1, REF.cwe(328), REF.RFC4253, REF.NIST_800_131A],
  evaluate(input) {
    const d = readKexinit(input)
    return evaluateAlgorithms(input, 'mac', [...d.macs, ...d.macsClientToServer], 'MAC')
  },
}
