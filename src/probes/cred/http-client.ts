/**
 * One small HTTP/1.1 exchange helper over undici, with every connection opened through ctx.connect() (TLS
 * wrapped here for https services, certificate not judged: credential tests are not TLS tests). Bodies are
 * read up to MAX_BODY bytes; the rest is discarded, so a huge body never grows memory.
 */
import {createHash} from 'node:crypto'
import {connect as tlsConnect} from 'node:tls'

import {Client} from 'undici'

import type {ProbeContext} from '../types.js'

export const MAX_BODY = 256 * 1024

export interface HttpReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  bodySha256: string
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
}

/** A client bound to the service; close() it when the attempt ends. */
export function httpClient(ctx: ProbeContext): {request(r: HttpRequest): Promise<HttpReply>; close(): Promise<void>} {
  const tls = ctx.service.protocol === 'https'
  const origin = `${tls ? 'https' : 'http'}://${ctx.service.host.includes(':') ? `[${ctx.service.host}]` : ctx.service.host}:${ctx.service.port}`
  const client = new Client(origin, {
    connect: (_options, callback) => {
      ctx.connect().then(
        (raw) => {
          if (!tls) return callback(null, raw)
          const secure = tlsConnect({socket: raw, servername: /^[\d.:]+$/.test(ctx.targetName) ? undefined : ctx.targetName, rejectUnauthorized: false, ALPNProtocols: ['http/1.1']})
          secure.once('secureConnect', () => callback(null, secure))
          secure.once('error', (e) => callback(e, null))
        },
        (error: Error) => callback(error, null),
      )
    },
    headersTimeout: ctx.timeoutMs,
    bodyTimeout: ctx.timeoutMs,
    pipelining: 1,
  })
  return {
    async request(r) {
      const res = await client.request({
        method: r.method,
        path: r.path,
        headers: {'user-agent': 'sg17scan', ...r.headers},
        body: r.body,
        signal: ctx.signal,
      })
      const parts: Buffer[] = []
      let size = 0
      for await (const chunk of res.body) {
        const b = chunk as Buffer
        if (size < MAX_BODY) parts.push(b.subarray(0, MAX_BODY - size))
        size += b.length
        if (size >= MAX_BODY) {
          res.body.destroy()
          break
        }
      }
      const bytes = Buffer.concat(parts)
      return {
        status: res.statusCode,
        headers: res.headers as HttpReply['headers'],
        body: bytes.toString('latin1'),
        bodySha256: createHash('sha256').update(bytes).digest('hex'),
      }
    },
    close: () => client.destroy().catch(() => {}),
  }
}

export function headerValues(h: HttpReply['headers'], name: string): string[] {
  const v = h[name]
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}
