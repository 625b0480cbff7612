/**
 * NTP probe (UDP 123): a mode-3 client request, then the mode-6 control queries READSTAT and READVAR of the
 * system association (what `ntpq -c rv` and nmap's ntp-info send). Read-only: no write opcode, no mode 7.
 * Each query is sent up to 3 times within the step wait until a first fragment arrives; fragments are then
 * collected until the last one (M bit clear) or the wait ends (partial). Raw request/response bytes are kept
 * as hex artifacts (the amplification and disclosure evidence).
 */
import {createSocket, type Socket} from 'node:dgram'
import {isIP} from 'node:net'
import {randomBytes, randomInt} from 'node:crypto'

import {type ArtifactInput, type ProbeContext, type ProbeEmission, type ProbeUnit} from '../types.js'
import {ntpUnitMeta} from './meta.js'
import {clientRequest, controlRequest, MAX_CONTROL_BYTES, OP_READSTAT, OP_READVAR, parseAssociations, parseControl, parseServerReply, parseVariables, reassemble} from './packet.js'
import {DISCLOSED_VARIABLES, type NtpControlData, type NtpControlQuery, P_NTP_CONTROL} from './types.js'

const TRANSMISSIONS = 3
const MAX_FRAGMENTS = 64

interface Exchange {
  replies: Buffer[]
  /** Transmissions made. */
  sent: number
  /** The wait ran to its end (not cut by the probe budget). */
  waited: boolean
  /** ICMP port unreachable came back. */
  refused: boolean
}

/** Sends `request` on a connected socket (again at 1/4 and 1/2 of the wait while nothing was accepted) and
 *  collects accepted replies until `done` says so or `waitMs` passes. */
async function exchange(socket: Socket, request: Buffer, waitMs: number, accept: (m: Buffer) => boolean, done: (replies: Buffer[]) => boolean, signal: AbortSignal): Promise<Exchange> {
  const replies: Buffer[] = []
  let refused = false
  let sent = 0
  let waited = false
  await new Promise<void>((resolve) => {
    const timers: NodeJS.Timeout[] = []
    const end = () => {
      timers.forEach(clearTimeout)
      socket.off('message', onMessage)
      socket.off('error', onError)
      signal.removeEventListener('abort', end)
      resolve()
    }
    const onMessage = (m: Buffer) => {
      if (!accept(m) || replies.length >= MAX_FRAGMENTS) return
      replies.push(Buffer.from(m))
      if (done(replies)) end()
    }
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') refused = true
      end()
    }
    socket.on('message', onMessage)
    socket.on('error', onError)
    signal.addEventListener('abort', end, {once: true})
    const send = () => {
      if (replies.length > 0) return
      sent++
      // A pending ICMP error surfaces in the callback of the next send.
      socket.send(request, (e) => {
        if (e) onError(e as NodeJS.ErrnoException)
      })
    }
    if (signal.aborted) return end()
    send()
    for (let i = 1; i < TRANSMISSIONS; i++) timers.push(setTimeout(send, (waitMs * i) / (TRANSMISSIONS + 1)))
    timers.push(
      setTimeout(() => {
        waited = true
        end()
      }, waitMs),
    )
  })
  return {replies, refused, sent, waited}
}

const ratio = (out: number, sent: number) => Math.round((out / sent) * 10) / 10

async function controlQuery(socket: Socket, opcode: number, waitMs: number, signal: AbortSignal, artifacts: ArtifactInput[], name: string): Promise<{q: NtpControlQuery; data: Buffer; refused: boolean}> {
  const sequence = randomInt(1, 0xffff)
  const request = controlRequest(opcode, sequence)
  const x = await exchange(
    socket,
    request,
    waitMs,
    (m) => {
      const f = parseControl(m)
      if (!f || !f.response || f.sequence !== sequence || f.opcode !== opcode) return false
      return true
    },
    (replies) => reassemble(replies.map((r) => parseControl(r)!)).complete,
    signal,
  )
  const frags = x.replies.map((r) => parseControl(r)!)
  const {data, complete} = reassemble(frags)
  const responseBytes = x.replies.reduce((n, r) => n + r.length, 0)
  artifacts.push({kind: `ntp-${name}-request`, encoding: 'hex', content: request.toString('hex')})
  x.replies.slice(0, 16).forEach((r, i) => artifacts.push({kind: `ntp-${name}-response-${i}`, encoding: 'hex', content: r.subarray(0, MAX_CONTROL_BYTES).toString('hex')}))
  const q: NtpControlQuery = {answered: x.replies.length > 0, requestBytes: request.length, responseBytes, datagrams: x.replies.length, amplification: ratio(responseBytes, request.length), complete: x.replies.length > 0 && complete, sent: x.sent}
  if (frags.some((f) => f.error)) q.errorBit = true
  return {q, data, refused: x.refused}
}

export async function runNtpControl(ctx: Pick<ProbeContext, 'service' | 'timeoutMs' | 'signal'>): Promise<ProbeEmission> {
  const {host, port} = ctx.service
  const waitMs = Math.min(ctx.timeoutMs, 2000)
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4')
  socket.on('error', () => {})
  const artifacts: ArtifactInput[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.connect(port, host, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    const transmit = randomBytes(8)
    const client = await exchange(socket, clientRequest(transmit), waitMs, (m) => parseServerReply(m)?.origin === transmit.toString('hex'), () => true, ctx.signal)
    if (client.refused) return {probe: P_NTP_CONTROL, data: {}, error: {code: 'refused', message: `ICMP port unreachable from ${host}:${port}/udp: no NTP server`}}
    const server = client.replies[0] ? parseServerReply(client.replies[0]) : undefined
    const readstat = await controlQuery(socket, OP_READSTAT, waitMs, ctx.signal, artifacts, 'readstat')
    const readvar = await controlQuery(socket, OP_READVAR, waitMs, ctx.signal, artifacts, 'readvar')
    if (!server && !readstat.q.answered && !readvar.q.answered) {
      return {probe: P_NTP_CONTROL, data: {}, error: {code: readstat.refused || readvar.refused ? 'refused' : 'timeout', message: `no answer to a mode-3 request nor to READSTAT/READVAR within ${waitMs} ms each (3 transmissions)`}}
    }
    const data: NtpControlData = {
      client: server ? {answered: true, version: server.version, stratum: server.stratum} : {answered: false},
      readstat: {...readstat.q, ...(readstat.q.answered && !readstat.q.errorBit ? {associations: parseAssociations(readstat.data).length} : {})},
      readvar: readvar.q,
      amplification: Math.max(readstat.q.answered ? readstat.q.amplification : 0, readvar.q.answered ? readvar.q.amplification : 0),
    }
    if (readvar.q.answered && !readvar.q.errorBit) {
      const vars = parseVariables(readvar.data.toString('latin1'))
      data.readvar.names = Object.keys(vars).sort()
      data.readvar.variables = Object.fromEntries(DISCLOSED_VARIABLES.filter((k) => vars[k] !== undefined).map((k) => [k, vars[k]]))
    }
    const emission: ProbeEmission = {probe: P_NTP_CONTROL, data: data as unknown as Record<string, unknown>, artifacts}
    if (ctx.signal.aborted) {
      emission.partial = {code: 'budget', message: 'the probe budget ran out before every query had its wait', missing: ['readstat', 'readvar'].filter((k) => !data[k as 'readstat' | 'readvar'].answered)}
      return emission
    }
    const incomplete = (['readstat', 'readvar'] as const).filter((k) => data[k].answered && !data[k].complete)
    if (incomplete.length > 0) emission.partial = {code: 'incomplete', message: `fragments missing from the ${incomplete.join(' and ')} response(s)`, missing: incomplete}
    return emission
  } catch (error) {
    return {probe: P_NTP_CONTROL, data: {}, error: {code: 'network', message: (error as Error).message}}
  } finally {
    socket.close()
  }
}

export const ntpProbeUnit: ProbeUnit = {
  ...ntpUnitMeta,
  run: async (ctx) => [await runNtpControl(ctx)],
}
