/**
 * One undici Client per origin whose sockets come from ctx.connect() (connection cap, counting), wrapped in
 * TLS for https (certificate not verified here: the TLS probes judge the chain). Each request is bounded:
 * headers and body idle timeouts ≤ ctx.timeoutMs, a whole-exchange deadline (slow drip), MAX_WIRE_BYTES read
 * from the wire, MAX_DECODED_BYTES decoded (gzip bombs) of which MAX_KEPT_BYTES are kept for analysis.
 */
import {isIP} from 'node:net'
import {connect as tlsConnect, rootCertificates} from 'node:tls'

import {Client} from 'undici'

import {ProbeError, type ProbeContext} from '../types.js'
import {decodeBody} from './decode.js'
import {first, headerValues} from './headers.js'
import type {HttpScheme} from './types.js'

export const MAX_WIRE_BYTES = 1024 * 1024
export const MAX_DECODED_BYTES = 1024 * 1024
export const MAX_KEPT_BYTES = 256 * 1024
const USER_AGENT = 'sg17scan (ITU-T SG17 conformance scanner)'

export interface HttpResponse {
  status: number
  headers: Map<string, string[]>
  /** Decoded body, at most MAX_KEPT_BYTES. */
  body: Buffer
  /** Bytes read from the wire. */
  wireBytes: number
  truncated: boolean
  error?: {code: string; message: string}
}

export function originOf(ctx: ProbeContext, scheme: HttpScheme): string {
  const host = ctx.service.host.includes(':') ? `[${ctx.service.host}]` : ctx.service.host
  return `${scheme}://${host}:${ctx.service.port}`
}

/** What the TLS connections of a client saw: whether the chain verified (system roots + --ca). */
export interface TlsSeen {
  chainVerified: boolean | null
}

export function makeClient(ctx: ProbeContext, scheme: HttpScheme, seen: TlsSeen = {chainVerified: null}): Client {
  // Verification is recorded, never enforced: device UIs with self-signed certificates must still be read.
  const ca = scheme === 'https' ? [...rootCertificates, ...ctx.caCertificates] : undefined
  return new Client(originOf(ctx, scheme), {
    headersTimeout: ctx.timeoutMs,
    bodyTimeout: ctx.timeoutMs,
    keepAliveTimeout: 2 * ctx.timeoutMs,
    pipelining: 1,
    maxHeaderSize: 32 * 1024,
    connect: (_options, callback) => {
      ctx.connect().then(
        (socket) => {
          if (scheme === 'http') {
            callback(null, socket)
            return
          }
          const servername = isIP(ctx.targetName) ? undefined : ctx.targetName
          const tls = tlsConnect({socket, servername, ca, rejectUnauthorized: false, ALPNProtocols: ['http/1.1']})
          const timer = setTimeout(() => {
            tls.destroy()
            callback(new ProbeError('timeout', `TLS handshake did not complete within ${ctx.timeoutMs} ms`), null)
          }, ctx.timeoutMs)
          tls.once('secureConnect', () => {
            clearTimeout(timer)
            seen.chainVerified ??= tls.authorized
            callback(null, tls)
          })
          tls.once('error', (err) => {
            clearTimeout(timer)
            socket.destroy()
            callback(new ProbeError('tls-failed', `TLS handshake failed: ${err.message}`), null)
          })
        },
        (err: unknown) => callback(err as Error, null),
      )
    },
  })
}

/** Maps what undici / the connector throw to an evidence error. */
export function toHttpError(err: unknown, timeoutMs: number): {code: string; message: string} {
  if (err instanceof ProbeError) return {code: err.code, message: err.message}
  const e = err as {code?: string; message?: string; name?: string; cause?: unknown}
  if (e?.cause instanceof ProbeError) return {code: e.cause.code, message: e.cause.message}
  const code = e?.code ?? ''
  const message = (e?.message ?? String(err)).slice(0, 300)
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return {code: 'timeout', message: `no response head within ${timeoutMs} ms`}
  if (code === 'UND_ERR_BODY_TIMEOUT') return {code: 'timeout', message: `body stalled for ${timeoutMs} ms`}
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return {code: 'timeout', message: `connect did not complete within ${timeoutMs} ms`}
  if (code.startsWith('HPE_') || e?.name === 'HTTPParserError') return {code: 'bad-response', message: `not a valid HTTP response: ${message}`}
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return {code: 'bad-response', message: 'response head larger than 32 KiB'}
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_CLOSED') return {code: 'closed', message: `connection closed: ${message}`}
  if (e?.name === 'AbortError' || code === 'UND_ERR_ABORTED') return {code: 'aborted', message}
  return {code: 'http-failed', message}
}

/** GET `path` (origin-relative, with query) with every bound applied. Never throws. */
export async function get(client: Client, path: string, ctx: ProbeContext): Promise<HttpResponse> {
  const controller = new AbortController()
  let timedOut = false
  const deadline = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, ctx.timeoutMs)
  const onAbort = () => controller.abort()
  ctx.signal.addEventListener('abort', onAbort, {once: true})
  let status = 0
  let headers = new Map<string, string[]>()
  const chunks: Buffer[] = []
  let wireBytes = 0
  let wireTruncated = false
  try {
    const res = await client.request({
      path,
      method: 'GET',
      headers: {'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'gzip, deflate, br'},
      signal: controller.signal,
    })
    status = res.statusCode
    headers = headerValues(res.headers)
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const room = MAX_WIRE_BYTES - wireBytes
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room))
        wireBytes += room
        wireTruncated = true
        res.body.destroy()
        break
      }
      chunks.push(chunk)
      wireBytes += chunk.length
    }
  } catch (err) {
    const error = timedOut
      ? {code: 'timeout', message: `exchange did not complete within ${ctx.timeoutMs} ms (${wireBytes} body bytes received)`}
      : ctx.signal.aborted
        ? {code: 'aborted', message: 'probe aborted'}
        : toHttpError(err, ctx.timeoutMs)
    const partial = await finish(status, headers, chunks, wireBytes, true)
    return {...partial, error}
  } finally {
    clearTimeout(deadline)
    ctx.signal.removeEventListener('abort', onAbort)
  }
  const out = await finish(status, headers, chunks, wireBytes, wireTruncated)
  if (wireTruncated) out.error = {code: 'body-limit', message: `body larger than ${MAX_WIRE_BYTES} bytes; reading stopped`}
  return out
}

async function finish(status: number, headers: Map<string, string[]>, chunks: Buffer[], wireBytes: number, cut: boolean): Promise<HttpResponse> {
  const raw = Buffer.concat(chunks, wireBytes)
  const decoded = await decodeBody(raw, first(headers, 'content-encoding'), MAX_DECODED_BYTES)
  const out: HttpResponse = {
    status,
    headers,
    body: decoded.body.length > MAX_KEPT_BYTES ? decoded.body.subarray(0, MAX_KEPT_BYTES) : decoded.body,
    wireBytes,
    truncated: cut || decoded.truncated || decoded.body.length > MAX_KEPT_BYTES,
  }
  if (decoded.truncated) out.error = {code: 'decompression-limit', message: `decoded body larger than ${MAX_DECODED_BYTES} bytes (compression bomb?); decoding stopped`}
  else if (decoded.error && !cut) out.error = {code: 'bad-encoding', message: decoded.error}
  return out
}
