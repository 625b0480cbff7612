import type {Check} from '../../src/checks/types.js'
import {sshPolicyDefaults} from '../../src/probes/ssh/algorithms.js'
import {P_SSH_AUTH_METHODS, REF, SSH_SERVICE_PROTOCOLS, readAuthMethods} from './shared.js'

export const check: Check = {
  id: 'ssh.auth.password-only',
  title: 'SSH offers only password authentication',
  family: 'ssh',
  description:
    'Fails when, after a `none` authentication request, the server lists only password-like methods: ' +
    '"password" and/or "keyboard-interactive" (keyboard-interactive alone counts as password-like, since it ' +
    'almost always prompts for a password). Password-only access to a management interface is exposed to ' +
    'guessing and credential reuse. No password is ever sent by this check.',
  remediation:
    'Enable public-key (or certificate) authentication for administrators and, where possible, disable ' +
    'password and keyboard-interactive authentication.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: SSH_SERVICE_PROTOCOLS,
  reads: [P_SSH_AUTH_METHODS],
  references: [REF.X1352_AUTH, REF.X1254, REF.CR_1_1, REF.cwe(309), REF.RFC4252],
  evaluate(input) {
    const d = readAuthMethods(input)
    if (d.noneAccepted) {
      return {
        outcome: 'not_applicable',
        message: 'The server accepted the `none` method: no authentication is required at all (ssh.auth.none fails, critical).',
      }
    }
    if (d.methods.length === 0) return {outcome: 'not_applicable', message: 'The server listed no authentication method.'}
    const passwordLike = sshPolicyDefaults().passwordLikeMethods
    const list = d.methods.join(', ')
    if (d.methods.every((m) => passwordLike.includes(m))) {
      const kbd = d.methods.includes('keyboard-interactive') ? ' (keyboard-interactive counted as password-like)' : ''
      return {outcome: 'fail', message: `Only password-like authentication is offered: ${list}${kbd}.`}
    }
    return {outcome: 'pass', message: `Authentication methods offered: ${list}.`}
  },
}
