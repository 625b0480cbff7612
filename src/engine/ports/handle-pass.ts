/**
 * The first-choice pass of the port scan: bare libuv TCP handles (tcp-connect.ts says why), with no allocation
 * per port beyond the handle and its request — a fixed table of slots (port, start, deadline, generation) and
 * one completion function shared by every request (the request carries its slot), so a full-range scan spends
 * its time in the kernel, not in closures, maps and the garbage collector.
 *
 * Same decisions as the generic pass: answer = open/closed/filtered from the errno; no answer by the deadline
 * (checked by one sweep timer) = filtered after setImmediate, so an answer already queued still wins. A local
 * resource error (EMFILE, ENOBUFS, no free local port …) is no answer of the target: the port goes back in the
 * queue, the slots in use shrink to what the machine gives (back-off), and are let grow again by one per answer.
 */
import type {AdaptiveTimeout} from './adaptive-timeout.js'
import {fromErrno, LOCAL_RESOURCE_ERRNOS, type PortState, type TcpBinding, type TcpHandle} from './tcp-connect.js'

export interface HandlePassOptions {
  concurrency: number
  signal?: AbortSignal
  stats?: {connections: number}
}

const OPEN: {state: PortState; reason: string} = {state: 'open', reason: 'syn-ack'}
const NO_RESPONSE: {state: PortState; reason: string} = {state: 'filtered', reason: 'no-response'}
const SWEEP_MS = 10
/** Pause before retrying after a local resource error with nothing in flight to free a descriptor. */
const RESOURCE_RETRY_MS = 50
/** Local resource errors on one port before it is given up: left unrecorded, so the scan lists it as not
 *  scanned (no answer of the target was ever asked for), never as filtered. */
const MAX_LOCAL_RETRIES = 50

type Request = {oncomplete?: (status: number) => void; slot?: number}

export function handlePass(
  b: TcpBinding,
  ip: string,
  family: 4 | 6,
  ports: readonly number[],
  o: HandlePassOptions,
  timeout: AdaptiveTimeout,
  timeoutFor: () => number,
  record: (port: number, r: {state: PortState; reason: string}) => void,
  counters: {attempts: number},
): Promise<void> {
  return new Promise<void>((resolve) => {
    const n = Math.max(1, Math.min(o.concurrency, ports.length))
    const handles: Array<TcpHandle | null> = new Array<TcpHandle | null>(n).fill(null)
    const slotPort = new Int32Array(n)
    const started = new Float64Array(n)
    const deadline = new Float64Array(n).fill(Number.POSITIVE_INFINITY)
    const generation = new Uint32Array(n)
    const free: number[] = Array.from({length: n}, (_, i) => n - 1 - i)
    /** Ports put back after a local resource error, tried before the rest. */
    const requeued: number[] = []
    const localRetries = new Map<number, number>()
    let limit = n
    let next = 0
    let active = 0
    let finished = false
    let retryTimer: NodeJS.Timeout | undefined

    const finish = () => {
      if (finished) return
      finished = true
      clearInterval(sweeper)
      clearTimeout(retryTimer)
      o.signal?.removeEventListener('abort', onAbort)
      resolve()
    }
    const onAbort = () => {
      for (let i = 0; i < n; i++) {
        const h = handles[i]
        if (h) {
          handles[i] = null
          h.close()
        }
      }
      active = 0
      finish()
    }
    o.signal?.addEventListener('abort', onAbort, {once: true})

    const release = (i: number) => {
      handles[i] = null
      deadline[i] = Number.POSITIVE_INFINITY
      active--
      free.push(i)
    }

    function oncomplete(this: Request, status: number): void {
      const i = this.slot!
      const h = handles[i]
      // Already decided (timed out, aborted): the slot may hold a newer attempt — its handle is another one.
      if (!h || this !== requests[i]) return
      h.close()
      const port = slotPort[i]!
      timeout.observe(performance.now() - started[i]!)
      release(i)
      if (limit < n) limit++
      if (!finished) record(port, status === 0 ? OPEN : fromErrno(status))
      fill()
    }
    const requests: Array<Request | null> = new Array<Request | null>(n).fill(null)

    const launch = (port: number): boolean => {
      const i = free.pop()!
      const h = new b.TCP(b.constants.SOCKET)
      const req = new b.TCPConnectWrap() as Request
      req.slot = i
      req.oncomplete = oncomplete
      handles[i] = h
      requests[i] = req
      generation[i]!++
      slotPort[i] = port
      const now = performance.now()
      started[i] = now
      deadline[i] = now + timeoutFor()
      active++
      const err = family === 6 ? h.connect6(req, ip, port) : h.connect(req, ip, port)
      if (err === 0) {
        counters.attempts++
        if (o.stats) o.stats.connections++
        return true
      }
      h.close()
      release(i)
      requests[i] = null
      if (LOCAL_RESOURCE_ERRNOS.has(Math.abs(err))) {
        const tries = (localRetries.get(port) ?? 0) + 1
        localRetries.set(port, tries)
        if (tries < MAX_LOCAL_RETRIES) {
          requeued.push(port)
          // Back off to what is in flight now: those descriptors are what this machine could give.
          limit = Math.max(1, active)
          return false
        }
        return true
      }
      counters.attempts++
      record(port, fromErrno(err))
      return true
    }

    function fill(): void {
      if (finished) return
      if (o.signal?.aborted) return onAbort()
      while (active < limit && (requeued.length > 0 || next < ports.length)) {
        const port = requeued.length > 0 ? requeued.pop()! : ports[next++]!
        if (!launch(port)) break
      }
      if (active === 0) {
        if (requeued.length === 0 && next >= ports.length) return finish()
        // Nothing in flight frees a descriptor: wait a little, then try again.
        if (!retryTimer) {
          retryTimer = setTimeout(() => {
            retryTimer = undefined
            fill()
          }, RESOURCE_RETRY_MS)
        }
      }
    }

    const sweeper = setInterval(() => {
      const now = performance.now()
      for (let i = 0; i < n; i++) {
        if (deadline[i]! > now) continue
        deadline[i] = Number.POSITIVE_INFINITY
        const g = generation[i]!
        setImmediate(() => {
          const h = handles[i]
          if (!h || generation[i] !== g) return
          h.close()
          const port = slotPort[i]!
          release(i)
          requests[i] = null
          if (!finished) record(port, NO_RESPONSE)
          fill()
        })
      }
    }, SWEEP_MS)

    fill()
  })
}
