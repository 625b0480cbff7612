/**
 * Identifies the service on one open TCP port by protocol, the way nmap -sV does without its database: listen
 * for a greeting first (SSH, Telnet, FTP and other banners speak first), then try requests that change nothing —
 * a TLS ClientHello (and inside TLS: GET, MQTT CONNECT, RTSP OPTIONS), GET /, RTSP OPTIONS, MQTT CONNECT — each on
 * its own connection, stopping at the first that is recognised.
 */
import type {Socket} from 'node:net'
import {connect as tlsConnect, type TLSSocket} from 'node:tls'
import {isIP} from 'node:net'

import {sha256Hex} from '../../evidence/ids.js'
import {remaining, StreamReader} from '../cleartext/stream.js'
import {ProbeError} from '../types.js'
import {classifyGreeting, classifyReply, firstLine, isTlsRecord, overTls} from './classify.js'
import {httpGet, mqttConnect, mqttDisconnect, rtspOptions, tlsClientHello} from './requests.js'
import type {IdentificationMethod, IdentifiedProtocol, IdentifiedService} from './types.js'

export interface IdentifyOptions {
  host: string
  port: number
  /** A connection to host:port through the engine's connector (per-device cap, --rate, counted). */
  connect(port: number): Promise<Socket>
  /** How long to listen for a greeting before sending anything. */
  greetingWaitMs: number
  /** How long to wait for the reply to each request. */
  replyWaitMs: number
  signal?: AbortSignal
}

const MAX_READ = 4096

/** Reads what the peer sends after `request` (or unprompted): stops at a line end, a binary record, close or the wait. */
async function exchange(socket: Socket, request: Buffer | undefined, waitMs: number, signal?: AbortSignal): Promise<Buffer> {
  const reader = new StreamReader(socket, signal, MAX_READ)
  try {
    if (request) reader.write(request)
    const deadline = Date.now() + waitMs
    for (;;) {
      const r = await reader.wait(remaining(deadline))
      const buf = reader.buffered
      if (r !== 'data') break
      const textual = buf.length > 0 && buf[0] >= 0x20 && buf[0] < 0x7f
      if (buf.length >= MAX_READ || (textual && buf.includes(0x0a)) || (!textual && buf.length >= 4)) break
    }
    return Buffer.from(reader.takeAll().subarray(0, MAX_READ))
  } finally {
    reader.close()
  }
}

function record(bytes: Buffer): Pick<IdentifiedService, 'bannerSha256' | 'banner'> {
  if (bytes.length === 0) return {}
  const textual = bytes[0] >= 0x20 && bytes[0] < 0x7f
  const line = textual ? firstLine(bytes) : ''
  return {bannerSha256: sha256Hex(bytes), ...(line ? {banner: line} : {})}
}

async function tlsWrap(raw: Socket, host: string, waitMs: number): Promise<TLSSocket> {
  return new Promise<TLSSocket>((resolve, reject) => {
    const socket = tlsConnect({
      socket: raw,
      // Identification only: the TLS module judges certificates and versions; here any handshake will do.
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0',
      ...(isIP(host) === 0 ? {servername: host} : {}),
    })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new ProbeError('timeout', `TLS handshake did not finish within ${waitMs} ms`))
    }, waitMs)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      resolve(socket)
    })
    socket.once('error', (e) => {
      clearTimeout(timer)
      socket.destroy()
      reject(new ProbeError('tls', `TLS handshake failed: ${e.message}`))
    })
  })
}

type Step = {method: IdentificationMethod; request: (o: IdentifyOptions) => Buffer; after?: Buffer}
const STEPS: Step[] = [
  {method: 'http-get', request: (o) => httpGet(o.host)},
  {method: 'rtsp-options', request: (o) => rtspOptions(o.host, o.port)},
  {method: 'mqtt-connect', request: () => mqttConnect(), after: mqttDisconnect()},
]

/** Identifies one port. Never throws: connection failures become a note on an `unknown` result. */
export async function identifyPort(o: IdentifyOptions): Promise<IdentifiedService> {
  const notes: string[] = []
  const attempt = async (fn: (s: Socket) => Promise<Buffer>): Promise<Buffer | undefined> => {
    let socket: Socket | undefined
    try {
      socket = await o.connect(o.port)
      return await fn(socket)
    } catch (error) {
      notes.push(error instanceof ProbeError ? error.message : String((error as Error)?.message ?? error))
      return undefined
    } finally {
      socket?.destroy()
    }
  }
  // 1. The service speaks first.
  const greeting = await attempt((s) => exchange(s, undefined, o.greetingWaitMs, o.signal))
  const spoken = greeting ? classifyGreeting(greeting) : undefined
  if (greeting && spoken) return {port: o.port, protocol: spoken, method: 'greeting', ...record(greeting)}
  // 2. TLS: a ClientHello answered by a handshake or alert record; then what is inside.
  const hello = await attempt((s) => exchange(s, tlsClientHello(o.host), o.replyWaitMs, o.signal))
  if (hello && isTlsRecord(hello)) {
    for (const step of STEPS) {
      const reply = await attempt(async (raw) => {
        const secure = await tlsWrap(raw, o.host, o.replyWaitMs)
        try {
          const bytes = await exchange(secure, step.request(o), o.replyWaitMs, o.signal)
          if (step.after && bytes.length) secure.write(step.after)
          return bytes
        } finally {
          secure.destroy()
        }
      })
      const inner = reply ? classifyReply(reply) : undefined
      if (reply && inner && inner !== 'tls') {
        return {port: o.port, protocol: overTls(inner), method: 'tls-handshake', innerMethod: step.method, ...record(reply)}
      }
      // A failed handshake will fail again for the next inner request: stop there.
      if (!reply) break
    }
    return {port: o.port, protocol: 'tls', method: 'tls-handshake', ...record(hello), ...(notes.length ? {note: notes.join('; ')} : {note: 'no HTTP, MQTT or RTSP answer inside TLS'})}
  }
  // A plaintext service answering a ClientHello with its own error page (HTTP 400, RTSP 400).
  const helloKind = hello ? classifyReply(hello) : undefined
  if (hello && helloKind && helloKind !== 'tls' && helloKind !== 'mqtt') return {port: o.port, protocol: helloKind, method: 'tls-handshake', note: 'answered a TLS ClientHello in cleartext', ...record(hello)}
  // 3. Cleartext requests, each on a fresh connection.
  for (const step of STEPS) {
    const reply = await attempt(async (s) => {
      const bytes = await exchange(s, step.request(o), o.replyWaitMs, o.signal)
      if (step.after && bytes.length && !s.destroyed) s.write(step.after)
      return bytes
    })
    const kind: IdentifiedProtocol | undefined = reply ? classifyReply(reply) : undefined
    if (reply && kind && kind !== 'tls') return {port: o.port, protocol: kind, method: step.method, ...record(reply)}
  }
  const seen = greeting?.length ? greeting : hello?.length ? hello : undefined
  return {port: o.port, protocol: 'unknown', method: 'none', ...(seen ? record(seen) : {}), note: notes.length ? notes.join('; ') : 'open, but silent or unrecognised to a greeting wait, TLS, HTTP, RTSP and MQTT'}
}
