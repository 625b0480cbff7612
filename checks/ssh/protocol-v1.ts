import type {Check} from '../../src/checks/types.js'
import {P_SSH_KEXINIT, REF, SSH_SERVICE_PROTOCOLS, readKexinit} from './shared.js'

export const check: Check = {
  id: 'ssh.protocol.v1',
  title: 'SSH protocol 1 accepted',
  family: 'ssh',
  description:
    'Fails when the server identifies as SSH-1.x, or as SSH-1.99 (both protocol versions). SSH-1 has known ' +
    'design flaws (CRC-32 integrity, session-key and insertion attacks) and has been unsupported for years.',
  remediation: 'Disable SSH protocol 1 so that the server identifies as SSH-2.0 and speaks only SSH-2.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: SSH_SERVICE_PROTOCOLS,
  reads: [P_SSH_KEXINIT],
  references: [REF.X1352_CRYPTO, REF.X1214_CRYPTO, REF.EN_5_5_1, REF.CR_4_3, REF.cwe(327), REF.RFC4253],
  evaluate(input) {
    const d = readKexinit(input)
    const v = d.protocolVersion
    if (!v) return {outcome: 'inconclusive', message: 'The observation holds no SSH protocol version.'}
    if (v === '1.99') {
      return {outcome: 'fail', message: `The server accepts SSH-1 and SSH-2 (identification "${d.banner}").`}
    }
    if (v.startsWith('1.')) {
      return {outcome: 'fail', message: `The server speaks SSH protocol ${v} only (identification "${d.banner}").`}
    }
    if (v === '2.0') return {outcome: 'pass', message: `The server speaks SSH-2 only (identification "${d.banner}").`}
    return {outcome: 'inconclusive', message: `Unrecognised SSH protocol version "${v}" (identification "${d.banner}").`}
  },
}
