/** MQTT observations (src/probes/mqtt): what an anonymous client is allowed, and (intrusive) what it sees. */
import type {PiiType} from '../../pii/types.js'

export const P_MQTT_SESSION = 'mqtt.session'
export const P_MQTT_SUBSCRIPTION = 'mqtt.subscription'

export type MqttVersion = '3.1.1' | '5.0'

export interface MqttConnectAttempt {
  version: MqttVersion
  /** CONNECT sent without username or password (`none`), or with a candidate login of the credential module
   *  (`password`: which one is recorded by the cred.attempts observation as a credential id, never here). */
  credentials: 'none' | 'password'
  /** accepted: CONNACK 0; refused: CONNACK with an error code; error: no CONNACK (closed, timeout, TLS failure). */
  result: 'accepted' | 'refused' | 'error'
  /** CONNACK return code (3.1.1) or reason code (5.0). */
  code?: number
  reason?: string
  /** The connector's error code when no connection was made (e.g. `refused`). */
  connectError?: string
}

export interface MqttSessionData {
  /** The service was reached through TLS (mqtts). */
  tls: boolean
  attempts: MqttConnectAttempt[]
  /** MQTT 5 CONNACK properties an accepting broker announced (limits, assigned client id removed). */
  serverProperties?: Record<string, unknown>
}

export interface MqttSubscriptionData {
  /** The anonymous CONNECT used for it was accepted (else nothing was subscribed). */
  connected: boolean
  version?: MqttVersion
  filters: string[]
  /** Bounds the subscription ran under. */
  windowMs: number
  messageCap: number
  messages: number
  retained: number
  /** Distinct topics that delivered a message, and how many of them are under $SYS/. */
  topics: number
  sysTopics: number
  /** The message cap or byte cap ended the window early. */
  capped: boolean
  /** Personal data found in payloads: type and count of values only (never a payload). */
  pii: Array<{type: PiiType; count: number; topics: number}>
  /** Up to 10 topics carrying personal data, every level masked to its first character. */
  piiTopics: string[]
  /** Payload of `$SYS/broker/version`, when published (printable, ≤ 160 characters). */
  brokerVersion?: string
  reason?: string
}
