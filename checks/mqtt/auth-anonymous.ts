import type {Check} from '../../src/checks/types.js'
import {describeAttempt, MQTT_SERVICE_PROTOCOLS, P_MQTT_SESSION, readSession, REF} from './shared.js'

export const check: Check = {
  id: 'mqtt.auth.anonymous',
  title: 'MQTT broker accepts clients without credentials',
  family: 'mqtt',
  description:
    'Fails when the broker accepts a CONNECT without username or password (CONNACK 0) in MQTT 3.1.1 or 5.0: ' +
    'anyone who reaches it can publish commands to the device and, unless topic ACLs forbid it, read every ' +
    'message. Passes only when both versions refuse the anonymous CONNECT.',
  remediation: 'Require authentication (password file, client certificates or a token plug-in) and disable anonymous access (mosquitto: allow_anonymous false).',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: MQTT_SERVICE_PROTOCOLS,
  reads: [P_MQTT_SESSION],
  references: [REF.X805_AUTH, REF.X1352_AUTH, REF.EN_5_5_1, REF.EN_5_6_1, REF.CR_1_2, REF.cwe(306)],
  evaluate(input) {
    const d = readSession(input)
    if (!d.valid || d.attempts.length === 0) return {outcome: 'inconclusive', message: 'The MQTT observation lists no CONNECT attempt.'}
    const accepted = d.attempts.filter((a) => a.result === 'accepted')
    if (accepted.length > 0) {
      return {outcome: 'fail', message: `The broker accepted a CONNECT without credentials (${accepted.map((a) => `MQTT ${a.version}`).join(', ')})${d.tls ? '' : ' over cleartext TCP'}. ${d.attempts.map(describeAttempt).join('; ')}.`}
    }
    const errored = d.attempts.filter((a) => a.result === 'error')
    if (errored.length > 0) return {outcome: 'inconclusive', message: `Not every anonymous CONNECT was answered: ${d.attempts.map(describeAttempt).join('; ')}.`}
    return {outcome: 'pass', message: `The broker refused a CONNECT without credentials in every version tried: ${d.attempts.map(describeAttempt).join('; ')}.`}
  },
}
