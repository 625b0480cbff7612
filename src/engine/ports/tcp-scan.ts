import type {ConnectionStats} from '../connector.js'
import type {RateLimiter} from '../rate-limiter.js'
import {AdaptiveTimeout} from './adaptive-timeout.js'
import {defaultThreads, SPLIT_MIN_PORTS, splitPass} from './scan-threads.js'
import {handlePass} from './handle-pass.js'
import {type PortState, startConnect, tcpBinding} from './tcp-connect.js'

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
  /**
   * Threads sharing the first pass of a large scan (default: one per core, at most 2; see scan-threads.ts). On
   * loopback and fast links the kernel's connect/RST work is the cost, and a second core halves it. 1 = this
   * thread only.
   */
  threads?: number
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
  timing: {attempts: number; retried: number; rttSamples: number; smoothedRttMs?: number; finalTimeoutMs: number; durationMs: number; threads: number}
}

export interface Outcome {
  state: PortState
  reason: string
}

/** How often in-flight attempts are checked against their deadlines: one timer for the whole scan instead of one
 *  per connection (65,535 timers cost as much as the connects on loopback). */
const SWEEP_MS = 10

/**
 * One pass over `ports`: at most `concurrency` connects in flight, each given `timeoutFor()` at its start. Plain
 * callbacks, no promise per port. An expired attempt is decided after setImmediate, so an answer already queued
 * behind a busy event loop still wins.
 */
export function pass(ip: string, family: 4 | 6, ports: readonly number[], o: TcpScanOptions, timeout: AdaptiveTimeout, timeoutFor: () => number, record: (port: number, r: Outcome) => void, counters: {attempts: number}): Promise<void> {
  // Paced scans go through the rate limiter, attempt by attempt: the generic path below.
  const b = o.forceSocket || o.rate ? null : tcpBinding()
  if (b) return handlePass(b, ip, family, ports, o, timeout, timeoutFor, record, counters)
  return new Promise<void>((resolve) => {
    let next = 0
    let active = 0
    let waitingForRate = 0
    const inFlight = new Map<number, {port: number; deadline: number; cancel: () => void}>()
    let id = 0
    let finished = false
    const sweeper = setInterval(() => {
      const now = performance.now()
      for (const [key, a] of inFlight) {
        if (a.deadline > now) continue
        setImmediate(() => {
          if (!inFlight.has(key)) return
          inFlight.delete(key)
          a.cancel()
          complete(a.port, {state: 'filtered', reason: 'no-response'})
        })
        a.deadline = Number.POSITIVE_INFINITY
      }
    }, SWEEP_MS)
    const finish = () => {
      if (finished) return
      finished = true
      clearInterval(sweeper)
      o.signal?.removeEventListener('abort', onAbort)
      resolve()
    }
    const onAbort = () => {
      for (const a of inFlight.values()) a.cancel()
      inFlight.clear()
      finish()
    }
    o.signal?.addEventListener('abort', onAbort, {once: true})
    const complete = (port: number, r: Outcome) => {
      active--
      if (!finished) record(port, r)
      fill()
    }
    const launch = (port: number) => {
      if (finished) return
      counters.attempts++
      if (o.stats) o.stats.connections++
      const key = id++
      const started = performance.now()
      const attempt = {port, deadline: started + timeoutFor(), cancel: () => {}}
      inFlight.set(key, attempt)
      attempt.cancel = startConnect(ip, family, port, (r) => {
        if (!inFlight.delete(key)) return
        timeout.observe(performance.now() - started)
        complete(port, r)
      }, o.forceSocket)
    }
    const fill = () => {
      if (finished) return
      if (o.signal?.aborted) return onAbort()
      while (active < o.concurrency && next < ports.length) {
        const port = ports[next++]
        active++
        if (!o.rate) launch(port)
        else {
          waitingForRate++
          o.rate.acquire(o.signal).then(
            () => {
              waitingForRate--
              launch(port)
            },
            () => {
              waitingForRate--
              active--
              fill()
            },
          )
        }
      }
      if (active === 0 && waitingForRate === 0 && (next >= ports.length || o.signal?.aborted)) finish()
    }
    fill()
  })
}

/** Outcome per port 0–65535 as a byte: 0 = none yet, k = kinds[k - 1]. */
class PortOutcomes {
  private readonly codes = new Uint8Array(65536)
  private readonly kinds: Outcome[] = []

  set(port: number, r: Outcome): void {
    let k = this.kinds.indexOf(r)
    if (k < 0) {
      // Outcomes are shared constants, but a fresh object with the same meaning must not grow the table.
      k = this.kinds.findIndex((x) => x.state === r.state && x.reason === r.reason)
      if (k < 0) k = this.kinds.push(r) - 1
    }
    this.codes[port] = k + 1
  }

  get(port: number): Outcome | undefined {
    const c = this.codes[port]!
    return c === 0 ? undefined : this.kinds[c - 1]
  }
}

/**
 * The first pass over every port: split between this thread and a worker when the scan is large, unpaced and a
 * worker is free (scan-threads.ts), else here. Returns the number of threads that scanned.
 */
async function firstPass(ip: string, family: 4 | 6, o: TcpScanOptions, timeout: AdaptiveTimeout, record: (port: number, r: Outcome) => void, counters: {attempts: number}): Promise<number> {
  if (!o.rate && !o.forceSocket && o.ports.length >= SPLIT_MIN_PORTS && (o.threads ?? defaultThreads()) > 1) {
    const split = await splitPass(ip, family, o, timeout, record, counters)
    if (split) return split
  }
  await pass(ip, family, o.ports, o, timeout, () => timeout.currentMs, record, counters)
  return 1
}

/** TCP connect scan of one address: each port open, closed or filtered, within the concurrency and --rate. */
export async function tcpScan(ip: string, family: 4 | 6, o: TcpScanOptions): Promise<TcpScanResult> {
  const started = performance.now()
  const timeout = new AdaptiveTimeout(Math.min(o.minTimeoutMs ?? 100, o.maxTimeoutMs), o.maxTimeoutMs)
  // One byte per port (an index into the few distinct outcomes): a Map of 65,535 entries cost ~3 % of a
  // loopback scan's CPU.
  const outcomes = new PortOutcomes()
  const counters = {attempts: 0}
  const record = (port: number, r: Outcome) => outcomes.set(port, r)
  const threads = await firstPass(ip, family, o, timeout, record, counters)
  // One lost SYN or SYN-ACK must not hide a port: silent ports get another try with a longer wait.
  let retried = 0
  for (let round = 0; round < (o.retries ?? 1) && !o.signal?.aborted; round++) {
    const silent = o.ports.filter((p) => outcomes.get(p)?.reason === 'no-response')
    if (silent.length === 0) break
    retried += silent.length
    await pass(ip, family, silent, o, timeout, () => Math.min(o.maxTimeoutMs, 2 * timeout.currentMs), record, counters)
  }
  const result: TcpScanResult = {open: [], closed: [], filtered: [], notScanned: [], reasons: {}, timing: {attempts: 0, retried: 0, rttSamples: 0, finalTimeoutMs: 0, durationMs: 0, threads}}
  for (const port of o.ports) {
    const r = outcomes.get(port)
    if (!r) result.notScanned.push(port)
    else if (r.state === 'open') result.open.push({port, reason: r.reason})
    else {
      result[r.state].push(port)
      result.reasons[r.reason] = (result.reasons[r.reason] ?? 0) + 1
    }
  }
  const srtt = timeout.smoothedRttMs
  result.timing = {attempts: counters.attempts, retried, rttSamples: timeout.samples, ...(srtt !== undefined ? {smoothedRttMs: Math.round(srtt * 1000) / 1000} : {}), finalTimeoutMs: timeout.currentMs, durationMs: Math.round(performance.now() - started), threads}
  return result
}
