import type {Check} from '../../src/checks/types.js'
import {MQTT_SERVICE_PROTOCOLS, P_MQTT_SESSION, readSession, REF} from './shared.js'

export const check: Check = {
  id: 'mqtt.cleartext',
  title: 'MQTT without TLS',
  family: 'mqtt',
  description:
    'Fails when an MQTT broker answers on a cleartext TCP port (usually 1883): usernames, passwords and every ' +
    'message cross the network readable and alterable. MQTT over TLS (usually 8883) passes here and is judged ' +
    'by the TLS checks.',
  remediation: 'Serve MQTT only over TLS (port 8883) with a certificate clients verify, and close the cleartext listener.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: MQTT_SERVICE_PROTOCOLS,
  reads: [P_MQTT_SESSION],
  references: [REF.X805_CONF, REF.X1352_DATA, REF.EN_5_5_1, REF.EN_5_8_2, REF.CR_4_1, REF.cwe(319)],
  evaluate(input) {
    const d = readSession(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The MQTT observation says neither whether TLS was used nor what the broker answered.'}
    const answered = d.attempts.filter((a) => a.result !== 'error')
    if (d.tls) return {outcome: 'pass', message: `The broker was reached over TLS (${answered.length} CONNECT answered inside it); the TLS checks judge that channel.`}
    if (answered.length === 0) return {outcome: 'inconclusive', message: 'No CONNECT was answered on this cleartext port.'}
    const anonymous = answered.some((a) => a.result === 'accepted')
    return {outcome: 'fail', message: `An MQTT broker answers in cleartext on port ${input.service.port}${anonymous ? ' and accepts clients without credentials' : ': credentials and messages sent to it can be read on the path'}.`}
  },
}
