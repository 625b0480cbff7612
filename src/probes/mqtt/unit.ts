/**
 * MQTT probe units. `mqtt.session` (safe): CONNECT without credentials in 3.1.1 and 5.0, clean session, a fresh
 * client id, DISCONNECT at once — the broker keeps nothing. `mqtt.subscription` (intrusive: it reads the
 * broker's traffic): with an accepted anonymous session, subscribe to `#` and `$SYS/#` for a few seconds, count
 * topics and messages and run the personal-data detectors on payloads — recording types and counts only.
 */
import {detectPii} from '../../pii/detect.js'
import type {PiiType} from '../../pii/types.js'
import type {ProbeContext, ProbeEmission, ProbeUnit} from '../types.js'
import {connectAnonymous, VERSIONS} from './client.js'
import {maskTopic} from './mask.js'
import {mqttSessionUnitMeta, mqttSubscriptionUnitMeta} from './meta.js'
import {P_MQTT_SESSION, P_MQTT_SUBSCRIPTION, type MqttSessionData, type MqttSubscriptionData} from './types.js'


export async function runMqttSession(ctx: ProbeContext): Promise<ProbeEmission> {
  const data: MqttSessionData = {tls: ctx.service.protocol === 'mqtts', attempts: []}
  for (const v of VERSIONS) {
    const r = await connectAnonymous(ctx, v)
    if (r.client) await r.client.endAsync(true).catch(() => {})
    data.attempts.push(r.attempt)
    if (r.properties && !data.serverProperties) data.serverProperties = r.properties
  }
  const answered = data.attempts.filter((a) => a.result !== 'error')
  if (answered.length === 0) {
    return {probe: P_MQTT_SESSION, data: {}, error: {code: 'no-connack', message: `no CONNACK to CONNECT in 3.1.1 or 5.0: ${data.attempts.map((a) => a.reason).join('; ')}`}}
  }
  const emission: ProbeEmission = {probe: P_MQTT_SESSION, data: data as unknown as Record<string, unknown>}
  if (answered.length < data.attempts.length) {
    const missing = data.attempts.filter((a) => a.result === 'error')
    emission.partial = {code: 'no-connack', message: `MQTT ${missing.map((a) => a.version).join(', ')}: ${missing.map((a) => a.reason).join('; ')}`, missing: missing.map((a) => `MQTT ${a.version} CONNECT`)}
  }
  return emission
}

export const mqttSessionUnit: ProbeUnit = {
  ...mqttSessionUnitMeta,
  run: async (ctx) => [await runMqttSession(ctx)],
}

export interface SubscriptionBounds {
  windowMs: number
  messageCap: number
  /** Payload bytes read in all; the window ends when they are spent. */
  byteCap: number
  /** Bytes of each payload given to the detectors. */
  payloadScanBytes: number
}

export const DEFAULT_SUBSCRIPTION_BOUNDS: SubscriptionBounds = {windowMs: 3000, messageCap: 1000, byteCap: 4 * 1024 * 1024, payloadScanBytes: 64 * 1024}

export async function runMqttSubscription(ctx: ProbeContext, bounds: SubscriptionBounds = DEFAULT_SUBSCRIPTION_BOUNDS): Promise<ProbeEmission> {
  const filters = ['#', '$SYS/#']
  const base: MqttSubscriptionData = {connected: false, filters, windowMs: bounds.windowMs, messageCap: bounds.messageCap, messages: 0, retained: 0, topics: 0, sysTopics: 0, capped: false, pii: [], piiTopics: []}
  // MQTT 5 first: it lets us cap the packet size the broker may send.
  let session = await connectAnonymous(ctx, VERSIONS[1])
  if (!session.client) session = await connectAnonymous(ctx, VERSIONS[0])
  const client = session.client
  if (!client) {
    const data = {...base, reason: `anonymous CONNECT not accepted (${session.attempt.result}${session.attempt.code !== undefined ? ` ${session.attempt.code}` : ''}): nothing subscribed`}
    return {probe: P_MQTT_SUBSCRIPTION, data: data as unknown as Record<string, unknown>}
  }
  const topics = new Set<string>()
  const piiCounts = new Map<PiiType, {count: number; topics: Set<string>}>()
  let bytes = 0
  const data: MqttSubscriptionData = {...base, connected: true, version: session.attempt.version}
  try {
    const granted = await client.subscribeAsync(filters, {qos: 0}).catch((e: Error) => e)
    if (granted instanceof Error) return {probe: P_MQTT_SUBSCRIPTION, data: {...data, reason: `SUBSCRIBE failed: ${granted.message}`} as unknown as Record<string, unknown>}
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic)
    await new Promise<void>((resolve) => {
      const stop = () => {
        clearTimeout(timer)
        client.off('message', onMessage)
        ctx.signal.removeEventListener('abort', stop)
        resolve()
      }
      const timer = setTimeout(stop, bounds.windowMs)
      ctx.signal.addEventListener('abort', stop, {once: true})
      const onMessage = (topic: string, payload: Buffer, packet: {retain?: boolean}) => {
        data.messages++
        if (packet.retain) data.retained++
        topics.add(topic)
        bytes += payload.length
        // The broker's own version string (mosquitto and most brokers publish it): identity, not personal data.
        if (topic === '$SYS/broker/version' && data.brokerVersion === undefined) {
          const v = payload.subarray(0, 160).toString('utf8')
          if (/^[\x20-\x7e]+$/.test(v)) data.brokerVersion = v
        }
        const hits = detectPii({text: payload.subarray(0, bounds.payloadScanBytes).toString('utf8'), location: 'mqtt'})
        for (const h of hits) {
          const e = piiCounts.get(h.type) ?? {count: 0, topics: new Set<string>()}
          e.count += h.count
          e.topics.add(topic)
          piiCounts.set(h.type, e)
        }
        if (data.messages >= bounds.messageCap || bytes >= bounds.byteCap) {
          data.capped = true
          stop()
        }
      }
      client.on('message', onMessage)
    })
    data.topics = topics.size
    data.sysTopics = [...topics].filter((t) => t.startsWith('$SYS/')).length
    data.pii = [...piiCounts].map(([type, e]) => ({type, count: e.count, topics: e.topics.size})).sort((a, b) => a.type.localeCompare(b.type))
    data.piiTopics = [...new Set([...piiCounts.values()].flatMap((e) => [...e.topics]))].sort().slice(0, 10).map(maskTopic)
    if (refused.length) data.reason = `the broker refused the subscription to ${refused.join(', ')}`
  } finally {
    await client.endAsync(true).catch(() => {})
  }
  const emission: ProbeEmission = {probe: P_MQTT_SUBSCRIPTION, data: data as unknown as Record<string, unknown>}
  if (ctx.signal.aborted) emission.partial = {code: 'budget', message: 'the subscription window was cut short by the probe budget'}
  return emission
}

export const mqttSubscriptionUnit: ProbeUnit = {
  ...mqttSubscriptionUnitMeta,
  run: async (ctx) => [await runMqttSubscription(ctx)],
}
