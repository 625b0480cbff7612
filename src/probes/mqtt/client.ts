/**
 * MQTT connections through the engine's connector (per-device cap, --rate, counted) with the `mqtt` package's
 * client: the probe never hand-builds MQTT packets. mqtts wraps the socket in TLS first (certificate judgement is
 * the TLS module's job: any handshake will do here).
 */
import {isIP, type Socket} from 'node:net'
import {connect as tlsConnect} from 'node:tls'
import {randomBytes} from 'node:crypto'

import mqtt from 'mqtt'

import {ProbeError, type ProbeContext} from '../types.js'
import type {MqttConnectAttempt, MqttVersion} from './types.js'

export const VERSIONS: ReadonlyArray<{version: MqttVersion; level: 4 | 5}> = [
  {version: '3.1.1', level: 4},
  {version: '5.0', level: 5},
]

/** Largest packet accepted from the broker (MQTT 5 maximumPacketSize; 3.1.1 clients are capped by the reader). */
export const MAX_PACKET_BYTES = 256 * 1024

export interface MqttConnected {
  attempt: MqttConnectAttempt
  client?: mqtt.MqttClient
  properties?: Record<string, unknown>
}

async function openStream(ctx: ProbeContext): Promise<Socket> {
  const raw = await ctx.connect()
  if (ctx.service.protocol !== 'mqtts') return raw
  return tlsConnect({socket: raw, rejectUnauthorized: false, minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0', ...(isIP(ctx.service.host) === 0 ? {servername: ctx.service.host} : {})})
}

/** A username/password to send in CONNECT (the credential module's login attempts); never recorded. */
export interface MqttLogin {
  username: string
  password: string
}

/** CONNECT without credentials (clean session, fresh client id) in one protocol version. Never throws. */
export function connectAnonymous(ctx: ProbeContext, v: {version: MqttVersion; level: 4 | 5}): Promise<MqttConnected> {
  return mqttConnect(ctx, v)
}

/**
 * CONNECT (clean session, fresh client id) in one protocol version, with `login` when given; the attempt records
 * only that credentials were sent, never which. Never throws. An accepted session is handed back open.
 */
export async function mqttConnect(ctx: ProbeContext, v: {version: MqttVersion; level: 4 | 5}, login?: MqttLogin): Promise<MqttConnected> {
  const credentials = login ? 'password' : 'none'
  let stream: Socket
  try {
    stream = await openStream(ctx)
  } catch (error) {
    return {attempt: {version: v.version, credentials, result: 'error', reason: (error as Error).message, ...(error instanceof ProbeError ? {connectError: error.code} : {})}}
  }
  stream.on('error', () => {})
  return new Promise<MqttConnected>((resolve) => {
    let done = false
    const client = new mqtt.MqttClient(() => stream, {
      protocolVersion: v.level,
      clean: true,
      clientId: `sg17scan-${randomBytes(6).toString('hex')}`,
      reconnectPeriod: 0,
      connectTimeout: ctx.timeoutMs,
      keepalive: 30,
      ...(login ? {username: login.username, password: login.password} : {}),
      ...(v.level === 5 ? {properties: {maximumPacketSize: MAX_PACKET_BYTES}} : {}),
    })
    const finish = (r: MqttConnected, keep: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      if (!keep) client.end(true)
      resolve(keep ? {...r, client} : r)
    }
    const onAbort = () => finish({attempt: {version: v.version, credentials, result: 'error', reason: 'probe budget exhausted or scan cancelled'}}, false)
    ctx.signal.addEventListener('abort', onAbort, {once: true})
    // The client's own connectTimeout; this one also covers a stream that never opens.
    const timer = setTimeout(() => finish({attempt: {version: v.version, credentials, result: 'error', reason: `no CONNACK within ${ctx.timeoutMs} ms`}}, false), ctx.timeoutMs + 500)
    client.once('connect', (packet) => {
      const props = (packet as {properties?: Record<string, unknown>}).properties
      const properties = props ? Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'assignedClientIdentifier' && k !== 'userProperties')) : undefined
      finish({attempt: {version: v.version, credentials, result: 'accepted', code: 0}, ...(properties && Object.keys(properties).length ? {properties} : {})}, true)
    })
    client.once('error', (error: Error & {code?: unknown}) => {
      const code = typeof error.code === 'number' ? error.code : undefined
      finish({attempt: {version: v.version, credentials, result: code !== undefined ? 'refused' : 'error', ...(code !== undefined ? {code} : {}), reason: error.message}}, false)
    })
    client.once('close', () => finish({attempt: {version: v.version, credentials, result: 'error', reason: 'the broker closed the connection without a CONNACK'}}, false))
  })
}
