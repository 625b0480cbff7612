/** Helpers shared by the MQTT checks: defensive readers of `mqtt.session` / `mqtt.subscription`, references. Pure. */
import type {CheckInput} from '../../src/checks/types.js'
import {cr, cwe, en, itu} from '../../src/checks/references.js'
import type {Reference} from '../../src/evidence/types.js'
import {P_MQTT_SESSION, P_MQTT_SUBSCRIPTION, type MqttConnectAttempt, type MqttSubscriptionData} from '../../src/probes/mqtt/types.js'

export {P_MQTT_SESSION, P_MQTT_SUBSCRIPTION}
export const MQTT_SERVICE_PROTOCOLS = ['mqtt', 'mqtts'] as const

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function readSession(input: CheckInput): {tls: boolean; attempts: MqttConnectAttempt[]; valid: boolean} {
  const d = input.observations[P_MQTT_SESSION]?.data
  if (!isRecord(d) || !Array.isArray(d.attempts) || typeof d.tls !== 'boolean') return {tls: false, attempts: [], valid: false}
  const attempts = d.attempts.filter(
    (a): a is MqttConnectAttempt => isRecord(a) && (a.version === '3.1.1' || a.version === '5.0') && (a.result === 'accepted' || a.result === 'refused' || a.result === 'error'),
  )
  return {tls: d.tls, attempts, valid: true}
}

export function readSubscription(input: CheckInput): (MqttSubscriptionData & {valid: true}) | {valid: false} {
  const d = input.observations[P_MQTT_SUBSCRIPTION]?.data
  if (!isRecord(d) || typeof d.connected !== 'boolean' || typeof d.messages !== 'number' || typeof d.topics !== 'number' || !Array.isArray(d.pii)) return {valid: false}
  return {...(d as unknown as MqttSubscriptionData), valid: true}
}

export function describeAttempt(a: MqttConnectAttempt): string {
  return `MQTT ${a.version}: ${a.result}${a.code !== undefined ? ` (code ${a.code}${a.reason ? `, ${a.reason}` : ''})` : a.reason ? ` (${a.reason})` : ''}`
}

export const REF = {
  X805_AUTH: itu('X.805', '§6.2'),
  X805_CONF: itu('X.805', '§6.4'),
  X1352_AUTH: itu('X.1352', '§8.1'),
  X1352_DATA: itu('X.1352', '§8.3'),
  EN_5_5_1: en('5.5-1'),
  EN_5_6_1: en('5.6-1'),
  EN_5_8_2: en('5.8-2'),
  CR_1_2: cr('CR 1.2'),
  CR_4_1: cr('CR 4.1'),
  cwe,
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
