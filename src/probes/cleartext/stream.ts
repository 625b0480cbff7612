/**
 * A small bounded reader for line- or chunk-oriented cleartext protocols (Telnet, FTP control connection).
 * It never throws: `wait` reports what happened and the caller decides whether that is an error. Memory is
 * bounded by pausing the socket while more than `maxBuffered` unread bytes are held.
 */
import type {Socket} from 'node:net'

export type WaitResult = 'data' | 'timeout' | 'closed' | 'reset' | 'aborted'

export class StreamReader {
  private buf: Buffer = Buffer.alloc(0)
  private waiter: (() => void) | undefined
  /** Set once the peer closed or reset the connection. */
  ended: 'closed' | 'reset' | undefined
  /** Bytes received so far. */
  total = 0

  constructor(
    private readonly socket: Socket,
    private readonly signal?: AbortSignal,
    private readonly maxBuffered = 64 * 1024,
  ) {
    socket.on('data', this.onData)
    socket.on('end', this.onEnd)
    socket.on('close', this.onEnd)
    socket.on('error', this.onError)
  }

  private onData = (chunk: Buffer): void => {
    this.total += chunk.length
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    if (this.buf.length > this.maxBuffered) this.socket.pause()
    this.wake()
  }

  private onEnd = (): void => {
    this.ended ??= 'closed'
    this.wake()
  }

  private onError = (err: NodeJS.ErrnoException): void => {
    this.ended = err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : (this.ended ?? 'closed')
    this.wake()
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = undefined
    w?.()
  }

  /** Unread bytes. */
  get buffered(): Buffer {
    return this.buf
  }

  /** Drops the first `n` unread bytes. */
  consume(n: number): void {
    this.buf = this.buf.subarray(n)
  }

  /** Returns and drops every unread byte. */
  takeAll(): Buffer {
    const b = this.buf
    this.buf = Buffer.alloc(0)
    return b
  }

  /** Waits up to `ms` for new bytes, the peer closing, or the abort signal. Never throws. */
  async wait(ms: number): Promise<WaitResult> {
    if (this.signal?.aborted) return 'aborted'
    if (this.ended) return this.ended
    this.socket.resume()
    return new Promise<WaitResult>((resolve) => {
      let settled = false
      const done = (r: WaitResult): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.signal?.removeEventListener('abort', onAbort)
        this.waiter = undefined
        resolve(r)
      }
      // A timer that fires after our own event loop stalled would win against bytes already waiting in the
      // kernel (timers run before the poll phase), and a talking peer would be judged quiet. setImmediate runs
      // after the next poll phase, so data that arrived during the stall is delivered first.
      const timer = setTimeout(() => setImmediate(() => done('timeout')), Math.max(0, ms))
      const onAbort = (): void => done('aborted')
      this.signal?.addEventListener('abort', onAbort, {once: true})
      this.waiter = () => done(this.ended ?? 'data')
    })
  }

  /** Writes if the socket is still writable; write errors surface as `ended`. */
  write(data: Buffer | string): void {
    if (this.socket.destroyed || !this.socket.writable) return
    this.socket.write(data)
  }

  get writable(): boolean {
    return !this.socket.destroyed && this.socket.writable && this.ended === undefined
  }

  /** Detaches and destroys the socket. */
  close(): void {
    this.socket.off('data', this.onData)
    this.socket.off('end', this.onEnd)
    this.socket.off('close', this.onEnd)
    this.socket.off('error', this.onError)
    this.socket.on('error', () => {})
    this.socket.destroy()
  }
}

/** Milliseconds left until `deadline` (never negative). */
export function remaining(deadline: number): number {
  return Math.max(0, deadline - Date.now())
}
