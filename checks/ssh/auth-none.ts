import type {Check} from '../../src/checks/types.js'
import {P_SSH_AUTH_METHODS, REF, SSH_SERVICE_PROTOCOLS, formatList} from './shared.js'

/**
 * The `none` method accepted: the server let the probe in without any credential (RFC 4252 §5.2 — a server
 * answering `none` with SSH_MSG_USERAUTH_SUCCESS requires no authentication at all for that user).
 */
export const check: Check = {
  id: 'ssh.auth.none',
  title: 'SSH server accepts the `none` authentication method (no login at all)',
  family: 'ssh',
  description:
    'Sends one `none` authentication request (RFC 4252 §5.2) with a fixed probe user name. Fails when the server ' +
    'answers SSH_MSG_USERAUTH_SUCCESS: anyone reaching the port gets a session without any credential. Passes ' +
    'when the server refused `none` and listed the methods that can continue. No password or key is ever sent.',
  remediation:
    'Require authentication for every account (OpenSSH: PermitEmptyPasswords no, no accounts with empty passwords; ' +
    'embedded servers: disable "no authentication" modes) and prefer public-key authentication.',
  defaultSeverity: 'critical',
  intrusive: false,
  protocols: SSH_SERVICE_PROTOCOLS,
  reads: [P_SSH_AUTH_METHODS],
  references: [REF.X1352_AUTH, REF.X1254, REF.EN_5_1_1, REF.CR_1_1, REF.cwe(306), REF.RFC4252],
  evaluate(input) {
    const d = input.observations[P_SSH_AUTH_METHODS]?.data as Record<string, unknown> | undefined
    if (d?.noneAccepted === true) {
      return {outcome: 'fail', message: 'The server accepted the `none` authentication method: a session without any credential.'}
    }
    const methods = Array.isArray(d?.methods) ? d.methods.filter((m): m is string => typeof m === 'string') : []
    if (d?.noneAccepted === false && methods.length > 0) {
      return {outcome: 'pass', message: `The server refused \`none\` and asked for: ${formatList(methods)}.`}
    }
    return {outcome: 'inconclusive', message: 'The answer to the `none` request was not observed (no method list, no success).'}
  },
}
