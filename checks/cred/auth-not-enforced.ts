import type {Check, CheckResult} from '../../src/checks/types.js'
import type {CredAttemptsData} from '../../src/probes/cred/types.js'
import {overLogins, P_CRED_ATTEMPTS, REF} from './shared.js'

/**
 * Mechanisms whose success is proven at protocol level: SSH USERAUTH_SUCCESS, a Telnet shell prompt after the
 * login/password prompts, HTTP 2xx after a 401 Basic/Digest challenge, MQTT CONNACK 0 from a broker that refused
 * the anonymous CONNECT (return code 4/5, reason 0x86/0x87). An HTML form "success" is a heuristic
 * (a session cookie reaching a different page) and proves nothing here on its own.
 */
const PROVEN = new Set(['ssh-password', 'telnet-login', 'http-basic', 'http-digest', 'mqtt-connect-3.1.1', 'mqtt-connect-5.0'])

export const check: Check = {
  id: 'cred.auth.not-enforced',
  title: 'Login accepts any username and password',
  family: 'cred',
  description:
    'Intrusive. Fails when the negative control — a random username and password no device can know — logs in, ' +
    'proven at protocol level (SSH USERAUTH_SUCCESS, a Telnet shell prompt, HTTP 401 without credentials then 2xx ' +
    'with the random ones, MQTT CONNACK 0 where an anonymous CONNECT was refused): the service does not enforce authentication at all. The cred.default.* checks stay ' +
    'inconclusive on such a service: no particular credential can be blamed.',
  remediation: 'Enforce authentication on every login path: check the submitted credentials against the account store and refuse unknown accounts.',
  defaultSeverity: 'critical',
  intrusive: true,
  protocols: ['ssh', 'telnet', 'http', 'https', 'mqtt', 'mqtts'],
  reads: [P_CRED_ATTEMPTS],
  references: [REF.X805_AUTH, REF.X1352_AUTH, REF.EN_5_1_1, REF.CR_1_1, REF.CR_1_5, REF.cwe(287), REF.cwe(306)],
  evaluate(input) {
    return overLogins(input, judgeLogin)
  },
}

function judgeLogin(d: CredAttemptsData): CheckResult {
  const control = d.negativeControl.result
  if (control === 'accepted') {
    if (PROVEN.has(d.mechanism)) {
      return {outcome: 'fail', message: `A random username and password logged in over ${d.mechanism} (negative control accepted): the service does not enforce authentication.`}
    }
    return {
      outcome: 'inconclusive',
      message: `The negative control looked accepted over ${d.mechanism}, but that mechanism's success is a heuristic, not a protocol-level proof; review the login by hand.`,
    }
  }
  if (control === 'rejected') return {outcome: 'pass', message: `A random username and password was refused over ${d.mechanism}.`}
  return {outcome: 'inconclusive', message: `The negative control over ${d.mechanism} ended ${control}${d.negativeControl.reason ? ` (${d.negativeControl.reason})` : ''}: nothing was proven.`}
}
