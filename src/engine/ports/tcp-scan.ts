import type {ConnectionStats} from '../connector.js'
import type {RateLimiter} from '../rate-limiter.js'
import {AdaptiveTimeout} from './adaptive-timeout.js'
import {type ConnectOutcome, tcpConnectOnce} from './tcp-connect.js'

export interface TcpScanOptions {
  ports: readonly number[]
  /** Connect attempts in flight at once (the port scan's own cap; the per-device handshake cap is for probes). */
  concurrency: number
  /** Upper bound of the adaptive timeout: the scan's --timeout. */
  maxTimeoutMs: number
  /** Floor of the adaptive timeout (default 100 ms, nmap's --min-rtt-timeout). */
  minTimeoutMs?: number
  /** Extra attempts for ports that gave no answer (default 1). */
  retries?: number
  rate?: RateLimiter
  stats?: ConnectionStats
  signal?: AbortSignal
  /** Use net.Socket instead of the bare libuv handle (tests compare both). */
  forceSocket?: boolean
}

export interface OpenPort {
  port: number
  reason: string
}

export interface TcpScanResult {
  open: OpenPort[]
  closed: number[]
  filtered: number[]
  /** Ports never tried because the scan was cancelled or its budget ran out. */
  notScanned: number[]
  /** Count of each reason behind closed and filtered ports. */
  reasons: Record<string, number>
  timing: {attempts: number; retried: number; rttSamples: number; smoothedRttMs?: number; finalTimeoutMs: number; durationMs: number}
}

/** TCP connect scan of one address: each port open, closed or filtered, within the concurrency and --rate. */
export async function tcpScan(ip: string, family: 4 | 6, o: TcpScanOptions): Promise<TcpScanResult> {
  const started = performance.now()
  const timeout = new AdaptiveTimeout(Math.min(o.minTimeoutMs ?? 100, o.maxTimeoutMs), o.maxTimeoutMs)
  const outcomes = new Map<number, ConnectOutcome>()
  let attempts = 0
  const attempt = async (port: number, timeoutMs: number): Promise<ConnectOutcome | undefined> => {
    if (o.signal?.aborted) return undefined
    if (o.rate) {
      try {
        await o.rate.acquire(o.signal)
      } catch {
        return undefined
      }
    }
    attempts++
    if (o.stats) o.stats.connections++
    const r = await tcpConnectOnce(ip, family, port, timeoutMs, o.forceSocket)
    if (r.rttMs !== undefined) timeout.observe(r.rttMs)
    return r
  }
  const pass = async (ports: readonly number[], timeoutFor: () => number) => {
    let next = 0
    const worker = async () => {
      while (next < ports.length && !o.signal?.aborted) {
        const port = ports[next++]
        const r = await attempt(port, timeoutFor())
        if (r) outcomes.set(port, r)
      }
    }
    await Promise.all(Array.from({length: Math.max(1, Math.min(o.concurrency, ports.length))}, worker))
  }
  await pass(o.ports, () => timeout.currentMs)
  // One lost SYN or SYN-ACK must not hide a port: silent ports get another try with a longer wait.
  let retried = 0
  for (let round = 0; round < (o.retries ?? 1); round++) {
    const silent = o.ports.filter((p) => outcomes.get(p)?.reason === 'no-response')
    if (silent.length === 0) break
    retried += silent.length
    await pass(silent, () => Math.min(o.maxTimeoutMs, 2 * timeout.currentMs))
  }
  const result: TcpScanResult = {open: [], closed: [], filtered: [], notScanned: [], reasons: {}, timing: {attempts, retried, rttSamples: timeout.samples, finalTimeoutMs: timeout.currentMs, durationMs: 0}}
  for (const port of o.ports) {
    const r = outcomes.get(port)
    if (!r) {
      result.notScanned.push(port)
      continue
    }
    if (r.state === 'open') result.open.push({port, reason: r.reason})
    else {
      result[r.state].push(port)
      result.reasons[r.reason] = (result.reasons[r.reason] ?? 0) + 1
    }
  }
  const srtt = timeout.smoothedRttMs
  result.timing = {attempts, retried, rttSamples: timeout.samples, ...(srtt !== undefined ? {smoothedRttMs: Math.round(srtt * 1000) / 1000} : {}), finalTimeoutMs: timeout.currentMs, durationMs: Math.round(performance.now() - started)}
  return result
}
