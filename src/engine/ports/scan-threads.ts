/**
 * A large unpaced connect scan shared between this thread and one worker thread. On loopback and other fast
 * paths the time of a full-range scan is the kernel's: socket(), connect() with the SYN/RST exchange, epoll
 * registration and close(), ~20 µs a port on one core. A second core halves that — nmap -sT runs on one.
 *
 * The ports are dealt out alternately (even/odd indexes), so both halves see the same mix of open, closed and
 * silent ports; each thread runs the same pass (tcp-scan.ts) with half the concurrency, so --port-concurrency
 * still bounds the attempts in flight. Outcomes come back as one byte per port. Nothing changes in what is
 * decided: each port gets the same connect and the same adaptive timeout rules.
 *
 * The worker runs the compiled tcp-pass-worker.js next to this file; where there is none (sources run through a
 * TypeScript loader, as under the test runner) or a worker cannot start, the whole pass runs in this thread.
 * At most one worker runs per process: a batch scanning many hosts at once gets no more threads than cores.
 */
import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {projectPath} from '../../util/paths.js'

import type {AdaptiveTimeout} from './adaptive-timeout.js'
import {type Outcome, pass, type TcpScanOptions} from './tcp-scan.js'

/** Below this many ports a worker's start-up (~30 ms) costs more than it saves. */
export const SPLIT_MIN_PORTS = 8192

/** Worker threads alive in this process (at most one). */
let busy = 0

export function defaultThreads(): number {
  return Math.min(2, availableParallelism())
}

/** What the worker is given. */
export interface ShareRequest {
  ip: string
  family: 4 | 6
  ports: number[]
  concurrency: number
  minTimeoutMs: number
  maxTimeoutMs: number
}

/** What it sends back: one code per port of the share (index into `kinds`), and its attempt count. */
export interface ShareResult {
  codes: Uint8Array
  kinds: Outcome[]
  attempts: number
  rtts: number[]
}

/** Code 0: not scanned (cancelled). */
export function encodeOutcomes(ports: readonly number[], outcomes: Map<number, Outcome>): {codes: Uint8Array; kinds: Outcome[]} {
  const kinds: Outcome[] = []
  const index = new Map<string, number>()
  const codes = new Uint8Array(ports.length)
  ports.forEach((port, i) => {
    const r = outcomes.get(port)
    if (!r) return
    const key = `${r.state}/${r.reason}`
    let k = index.get(key)
    if (k === undefined) {
      // More than 254 distinct reasons cannot happen (a handful of errno values); stay safe anyway.
      if (kinds.length >= 254) return
      kinds.push(r)
      k = kinds.length
      index.set(key, k)
    }
    codes[i] = k
  })
  return {codes, kinds}
}

/**
 * The compiled worker: next to this module when it runs from dist/src (tsc output), else the tsc output itself —
 * the bundled CLI runs this code from dist/cli/sg17scan.cjs, where no worker file sits beside it. From src/ (tsx) there
 * is no compiled worker and the scan runs on one thread.
 */
function workerFile(): string | undefined {
  const beside = fileURLToPath(new URL('./tcp-pass-worker.js', import.meta.url))
  if (existsSync(beside)) return beside
  const compiled = projectPath('dist', 'src', 'engine', 'ports', 'tcp-pass-worker.js')
  return existsSync(compiled) ? compiled : undefined
}

/**
 * Runs the first pass split in two. Returns 2 when it did, undefined when no worker was available (the caller
 * then scans everything itself).
 */
export async function splitPass(ip: string, family: 4 | 6, o: TcpScanOptions, timeout: AdaptiveTimeout, record: (port: number, r: Outcome) => void, counters: {attempts: number}): Promise<number | undefined> {
  const file = busy > 0 ? undefined : workerFile()
  if (file === undefined) return undefined
  const mine: number[] = []
  const theirs: number[] = []
  o.ports.forEach((p, i) => (i % 2 === 0 ? mine : theirs).push(p))
  const concurrency = Math.max(1, Math.ceil(o.concurrency / 2))
  const request: ShareRequest = {ip, family, ports: theirs, concurrency, minTimeoutMs: timeout.minMs, maxTimeoutMs: timeout.maxMs}
  busy++
  let worker: Worker
  try {
    worker = new Worker(file, {workerData: request})
  } catch {
    busy--
    return undefined
  }
  const onAbort = () => worker.postMessage('abort')
  o.signal?.addEventListener('abort', onAbort, {once: true})
  const result = new Promise<ShareResult | Error>((resolve) => {
    worker.once('message', (m: ShareResult) => resolve(m))
    worker.once('error', (e) => resolve(e))
    worker.once('exit', (code) => resolve(new Error(`port-scan worker exited (${code}) without a result`)))
  })
  try {
    await pass(ip, family, mine, {...o, concurrency}, timeout, () => timeout.currentMs, record, counters)
    const r = await result
    if (r instanceof Error) {
      // The worker failed (e.g. it could not start): its ports are scanned here, nothing is lost.
      if (!o.signal?.aborted) await pass(ip, family, theirs, {...o, concurrency}, timeout, () => timeout.currentMs, record, counters)
      return 2
    }
    counters.attempts += r.attempts
    if (o.stats) o.stats.connections += r.attempts
    for (const rtt of r.rtts) timeout.observe(rtt)
    theirs.forEach((port, i) => {
      const code = r.codes[i]!
      if (code > 0) record(port, r.kinds[code - 1]!)
    })
    return 2
  } finally {
    o.signal?.removeEventListener('abort', onAbort)
    busy--
    void worker.terminate()
  }
}
