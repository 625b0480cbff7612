/**
 * Malformed-input robustness of an HTTP(S) service (intrusive: it sends input the device must reject). A
 * well-formed GET / first (the service must answer it, or nothing can be judged), then each request of
 * MALFORMED_REQUESTS on a connection of its own, then GET / again: a service that stopped answering did not
 * survive the input. Bounds: one connection at a time, one answer line per request (≤ 4 KiB read, one --timeout),
 * 8 requests in all.
 */
import type {Socket} from 'node:net'
import {connect as tlsConnect, type TLSSocket} from 'node:tls'
import {isIP} from 'node:net'

import {type ProbeContext, type ProbeEmission, type ProbeUnit} from '../types.js'
import {malformedInputUnitMeta} from './meta.js'
import {MALFORMED_REQUESTS, WELL_FORMED} from './requests.js'
import {type MalformedAnswer, type MalformedInputData, P_HTTP_MALFORMED_INPUT} from './types.js'

const MAX_READ = 4096

/** The connection to send on (TLS for https) and the TCP socket under it (destroyed too: it holds the cap slot). */
async function open(ctx: ProbeContext): Promise<{stream: Socket | TLSSocket; raw: Socket}> {
  const socket = await ctx.connect()
  if (ctx.service.protocol !== 'https') return {stream: socket, raw: socket}
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
      ALPNProtocols: ['http/1.1'],
      ...(isIP(ctx.targetName) ? {} : {servername: ctx.targetName}),
    })
    const timer = setTimeout(() => {
      tls.destroy()
      socket.destroy()
      reject(new Error('TLS handshake timed out'))
    }, ctx.timeoutMs)
    tls.once('secureConnect', () => {
      clearTimeout(timer)
      resolve({stream: tls, raw: socket})
    })
    tls.once('error', (e) => {
      clearTimeout(timer)
      socket.destroy()
      reject(e)
    })
  })
}

/** Sends `request` on a new connection and reads the first response line. Never throws. */
export async function exchange(ctx: ProbeContext, request: string): Promise<MalformedAnswer> {
  let socket: Socket | TLSSocket
  let raw: Socket
  try {
    ;({stream: socket, raw} = await open(ctx))
  } catch (e) {
    return {error: (e as Error).message}
  }
  return new Promise<MalformedAnswer>((resolve) => {
    let got = Buffer.alloc(0)
    let settled = false
    const done = (a: MalformedAnswer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      socket.destroy()
      raw.destroy()
      resolve(a)
    }
    const answer = (): MalformedAnswer | undefined => {
      const text = got.toString('latin1')
      const end = text.indexOf('\n')
      if (end < 0 && got.length < MAX_READ) return undefined
      const line = text.slice(0, end < 0 ? 120 : end).replace(/\r$/, '').replace(/[^\x20-\x7e]/g, '?').slice(0, 120)
      const m = /^HTTP\/\d(?:\.\d)? (\d{3})\b/.exec(line)
      return m ? {status: Number(m[1]), line} : {line, closed: true}
    }
    const timer = setTimeout(() => done(got.length > 0 ? (answer() ?? {line: got.toString('latin1').slice(0, 120), timedOut: true}) : {timedOut: true}), ctx.timeoutMs)
    const onAbort = () => done({error: 'cancelled'})
    ctx.signal.addEventListener('abort', onAbort)
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]).subarray(0, MAX_READ)
      const a = answer()
      if (a) done(a)
    })
    socket.on('error', () => done(got.length > 0 ? (answer() ?? {closed: true}) : {closed: true}))
    socket.on('close', () => done(got.length > 0 ? (answer() ?? {closed: true}) : {closed: true}))
    socket.write(request)
  })
}

export const malformedInputUnit: ProbeUnit = {
  ...malformedInputUnitMeta,
  budgetMs: ({timeoutMs}) => (MALFORMED_REQUESTS.length + 2) * 2 * timeoutMs,
  async run(ctx) {
    const host = ctx.targetName.includes(':') ? `[${ctx.targetName}]` : ctx.targetName
    const hostHeader = `${host}:${ctx.service.port}`
    const before = await exchange(ctx, WELL_FORMED(hostHeader))
    if (before.status === undefined) {
      const data: MalformedInputData = {before, cases: []}
      return [{probe: P_HTTP_MALFORMED_INPUT, data: data as unknown as Record<string, unknown>, error: {code: 'no-answer', message: `the service did not answer a well-formed GET / (${before.error ?? (before.timedOut ? 'no answer in time' : 'closed without an HTTP answer')}): no malformed input was sent`}}]
    }
    const cases: MalformedInputData['cases'] = []
    for (const r of MALFORMED_REQUESTS) {
      if (ctx.signal.aborted) break
      cases.push({id: r.id, sends: r.sends, ...(await exchange(ctx, r.bytes(hostHeader)))})
    }
    const after = await exchange(ctx, WELL_FORMED(hostHeader))
    const data: MalformedInputData = {before, after, cases}
    const emission: ProbeEmission = {probe: P_HTTP_MALFORMED_INPUT, data: data as unknown as Record<string, unknown>}
    if (cases.length < MALFORMED_REQUESTS.length) emission.partial = {code: 'budget', message: `${cases.length} of ${MALFORMED_REQUESTS.length} malformed requests were sent before the scan was cancelled`, missing: MALFORMED_REQUESTS.slice(cases.length).map((r) => r.id)}
    return [emission]
  },
}
