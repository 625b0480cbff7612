/**
 * UDP port states for a bare host, decided per port by the protocol's own request (src/probes/identify/
 * udp-requests.ts) on a connected datagram socket:
 *  - open: something answered (identified when it parses as the protocol asked);
 *  - closed: ICMP port unreachable came back (ECONNREFUSED on the connected socket);
 *  - open|filtered: no answer after every transmission (a silent service and a dropping firewall look alike).
 * Each transmission is repeated at 1/4 and 1/2 of the wait (bounded: 3 in all), each datagram takes a --rate
 * token, at most `concurrency` ports are in flight.
 */
import {createHash} from 'node:crypto'
import {createSocket} from 'node:dgram'

import {UDP_PROBES, type UdpExchange, type UdpProtocolProbe, udpProbeFor} from '../../probes/identify/udp-requests.js'
import type {IdentificationMethod, IdentifiedProtocol} from '../../probes/identify/types.js'
import type {RateLimiter} from '../rate-limiter.js'

export type UdpPortState = 'open' | 'open|filtered' | 'closed'
export type UdpReason = 'udp-response' | 'port-unreach' | 'no-response'

export interface UdpPortResult {
  port: number
  state: UdpPortState
  reason: UdpReason
  /** Open: what answered ('unknown' when the reply was not one of the protocols asked). */
  protocol?: IdentifiedProtocol
  method?: IdentificationMethod
  banner?: string
  /** SHA-256 of the first reply datagram. */
  bannerSha256?: string
  /** First reply datagram (≤ 512 bytes, hex), kept as evidence. */
  replyHex?: string
}

export interface UdpScanOptions {
  ports: readonly number[]
  concurrency: number
  /** Wait for an answer per port (the 3 transmissions are spread over it). */
  waitMs: number
  rate?: RateLimiter
  signal?: AbortSignal
}

export interface UdpScanResult {
  results: UdpPortResult[]
  /** Ports not scanned (scan cancelled). */
  notScanned: number[]
  datagrams: number
}

const TRANSMISSIONS = 3

export async function udpScan(address: string, family: 4 | 6, o: UdpScanOptions): Promise<UdpScanResult> {
  const results: UdpPortResult[] = []
  const notScanned: number[] = []
  let datagrams = 0
  let next = 0
  const worker = async () => {
    while (next < o.ports.length) {
      const port = o.ports[next++]
      if (o.signal?.aborted) {
        notScanned.push(port)
        continue
      }
      const r = await probePort(address, family, port, o, () => datagrams++)
      if (r) results.push(r)
      else notScanned.push(port)
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(o.concurrency, o.ports.length))}, worker))
  results.sort((a, b) => a.port - b.port)
  notScanned.sort((a, b) => a - b)
  return {results, notScanned, datagrams}
}

/** One port: undefined when the scan was cancelled before a state was decided. */
async function probePort(address: string, family: 4 | 6, port: number, o: UdpScanOptions, counted: () => void): Promise<UdpPortResult | undefined> {
  // The registered protocol's request on its port; every protocol's on any other port asked for.
  const registered = udpProbeFor(port)
  const probes: readonly UdpProtocolProbe[] = registered ? [registered] : UDP_PROBES
  const exchanges: Array<[UdpProtocolProbe, UdpExchange]> = probes.map((p) => [p, p.exchange(address, port)])
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4')
  try {
    return await new Promise<UdpPortResult | undefined>((resolve) => {
      const timers: NodeJS.Timeout[] = []
      let unrecognised: Buffer | undefined
      let settled = false
      const finish = (r: UdpPortResult | undefined) => {
        if (settled) return
        settled = true
        timers.forEach(clearTimeout)
        o.signal?.removeEventListener('abort', onAbort)
        resolve(r)
      }
      const onAbort = () => finish(unrecognised ? open(unrecognised) : undefined)
      const open = (reply: Buffer, probe?: UdpProtocolProbe, banner?: string): UdpPortResult => ({
        port,
        state: 'open',
        reason: 'udp-response',
        protocol: probe?.protocol ?? 'unknown',
        method: probe?.method ?? 'udp-reply',
        ...(banner ? {banner} : {}),
        bannerSha256: createHash('sha256').update(reply).digest('hex'),
        replyHex: reply.subarray(0, 512).toString('hex'),
      })
      o.signal?.addEventListener('abort', onAbort, {once: true})
      socket.on('message', (msg) => {
        for (const [probe, x] of exchanges) {
          const r = x.recognise(msg)
          if (r) return finish(open(msg, probe, r.banner))
        }
        // Something answered, but not as asked: open; wait out the window in case the real answer follows.
        unrecognised ??= Buffer.from(msg.subarray(0, 4096))
      })
      // The ICMP error of one datagram surfaces on the next socket call: as an 'error' event (receive) or in the
      // callback of the next send.
      const onError = (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED') finish(unrecognised ? open(unrecognised) : {port, state: 'closed', reason: 'port-unreach'})
        else finish(unrecognised ? open(unrecognised) : {port, state: 'open|filtered', reason: 'no-response'})
      }
      socket.on('error', onError)
      const transmit = async () => {
        for (const [, x] of exchanges) {
          for (const req of x.requests) {
            if (settled) return
            try {
              await o.rate?.acquire(o.signal)
            } catch {
              return
            }
            if (settled) return
            counted()
            socket.send(req, (e) => {
              if (e) onError(e as NodeJS.ErrnoException)
            })
          }
        }
      }
      socket.connect(port, address, () => {
        void transmit()
        for (let i = 1; i < TRANSMISSIONS; i++) timers.push(setTimeout(() => void transmit(), (o.waitMs * i) / (TRANSMISSIONS + 1)))
        timers.push(setTimeout(() => finish(unrecognised ? open(unrecognised) : {port, state: 'open|filtered', reason: 'no-response'}), o.waitMs))
      })
    })
  } finally {
    try {
      socket.close()
    } catch {
      // already closed by an error
    }
  }
}
