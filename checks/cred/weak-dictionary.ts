import type {Check} from '../../src/checks/types.js'
import {WEAK_LISTS} from '../../src/probes/cred/types.js'
import {judgeCredentialLists, P_CRED_ATTEMPTS, REF} from './shared.js'

export const check: Check = {
  id: 'cred.weak.dictionary',
  title: 'Weak dictionary credential accepted',
  family: 'cred',
  description:
    'Fails when a common weak credential (the generic top list ranked by how many public lists name it, or the ' +
    "lab's own --credentials dictionary) logs in, proven by a completed login after a random negative control " +
    'was rejected. Such passwords fall to the first minutes of any dictionary attack.',
  remediation:
    'Enforce a password policy that rejects common and blank passwords, and make factory passwords unique per ' +
    'device and resistant to automated guessing.',
  defaultSeverity: 'high',
  intrusive: true,
  protocols: ['ssh', 'telnet', 'http', 'https', 'mqtt', 'mqtts'],
  reads: [P_CRED_ATTEMPTS],
  references: [REF.X1352_AUTH, REF.X1214_PASSWORD, REF.EN_5_1_1, REF.EN_5_1_2, REF.CR_1_7, REF.cwe(521), REF.cwe(1391)],
  evaluate(input) {
    return judgeCredentialLists(input, WEAK_LISTS, 'weak dictionary credential')
  },
}
