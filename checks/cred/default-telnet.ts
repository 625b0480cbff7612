import type {Check} from '../../src/checks/types.js'
import {DEFAULT_LISTS} from '../../src/probes/cred/types.js'
import {judgeCredentialLists, P_CRED_ATTEMPTS, REF} from './shared.js'

export const check: Check = {
  id: 'cred.default.telnet',
  title: 'Default credentials accepted on Telnet',
  family: 'cred',
  description:
    'Fails when a vendor or well-known default username/password (SecLists vendor defaults, better-default ' +
    'lists, the Mirai list) logs in on the Telnet, proven by a completed login after a random negative control was ' +
    'rejected. Default credentials are the first thing automated attacks try.',
  remediation:
    'Ship without a usable default password: a unique per-device password or one the user must set at first use, ' +
    'and remove factory accounts from the shipped configuration.',
  defaultSeverity: 'critical',
  intrusive: true,
  protocols: ['telnet'],
  reads: [P_CRED_ATTEMPTS],
  references: [REF.X805_AUTH, REF.X805_MGMT, REF.X1352_AUTH, REF.X1214_PASSWORD, REF.EN_5_1_1, REF.CR_1_5, REF.CR_1_1, REF.cwe(1392), REF.cwe(1393)],
  evaluate(input) {
    return judgeCredentialLists(input, DEFAULT_LISTS, 'default credential')
  },
}
