/**
 * One hello, one reply: the connection layer of the TLS scan. Opens connections through ctx.connect(), sends a
 * hello, reads the reply within one whole-exchange deadline, classifies it, retries what looks transient
 * (bounded, with backoff), and stops cleanly when the probe's own budget runs out.
 */
import type {Socket} from 'node:net'

import {ProbeError, type ProbeContext} from '../types.js'
import {sizeClassOf, type SizeClass} from './hello-shapes.js'
import {
  HS_SERVER_HELLO,
  HS_SERVER_HELLO_DONE,
  HS_SERVER_KEY_EXCHANGE,
  readHandshake,
  type HandshakeMessage,
} from './records.js'
import {parseAlert, parseServerHello, type Alert, type ServerHello} from './serverhello.js'

export type Outcome =
  | {kind: 'hello'; sh: ServerHello; shRecord: Buffer; messages: HandshakeMessage[]; size: SizeClass}
  | {kind: 'alert'; alert: Alert; raw: Buffer; size: SizeClass}
  | {kind: 'failed'; code: string; message: string; size: SizeClass}

export type StopAt = 'server-hello' | 'key-exchange' | 'hello-done'

/** The scan cannot go on: budget spent, scan aborted, or the device stopped accepting connections. Whatever
 *  was observed so far stays; what was not is reported missing with this reason. */
export class Stop extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Target misbehaviour that makes the whole unit unusable (not TLS, oversized replies, silent to everything). */
export class Fatal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Failures worth one more try: a flaky device resets or drops one connection now and then. */
const TRANSIENT = new Set(['reset', 'closed', 'timeout'])
/** Connect failures after the device accepted connections before: retried with growing pauses. */
const CONNECT_RETRY_DELAYS_MS = [100, 300, 900]
const EXCHANGE_RETRY_DELAY_MS = 150

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, {once: true})
  })
}

/** Rebuilds a record carrying only the ServerHello message (the server's exact bytes). */
export function serverHelloRecord(msg: HandshakeMessage): Buffer {
  const hs = Buffer.alloc(4 + msg.body.length)
  hs[0] = HS_SERVER_HELLO
  hs.writeUIntBE(msg.body.length, 1, 3)
  msg.body.copy(hs, 4)
  const hdr = Buffer.alloc(5)
  hdr[0] = 22
  hdr.writeUInt16BE(msg.record.length >= 3 ? msg.record.readUInt16BE(1) : 0x0303, 1)
  hdr.writeUInt16BE(hs.length, 3)
  return Buffer.concat([hdr, hs])
}

export class Wire {
  connections = 0
  /** Exchanges repeated because the first try looked transient. */
  retries = 0
  /** Some TLS bytes (hello or alert) were seen from the server. */
  spokeTls = false
  firstFailure: {code: string; message: string} | undefined
  /** Hello size classes the server answered (ServerHello or alert) at least once. */
  readonly tolerated = new Set<SizeClass>()
  /** Warning alerts that preceded a reply (e.g. unrecognized_name), by description name. */
  readonly warnings = new Set<string>()
  /** The device stopped accepting connections (retries spent): later exchanges stop at once. */
  private lost: Stop | undefined

  constructor(
    readonly ctx: ProbeContext,
    /** Epoch ms after which no new exchange starts (the probe's own budget, below the engine's). */
    readonly deadline: number,
  ) {}

  /** Throws Stop when the budget cannot fit another exchange or the scan was aborted. */
  checkBudget(): void {
    if (this.ctx.signal.aborted) throw new Stop('aborted', 'probe aborted before completion')
    if (Date.now() > this.deadline) {
      throw new Stop('budget', 'the probe budget ran out before this part could be tested')
    }
  }

  async open(): Promise<Socket> {
    if (this.lost) throw this.lost
    for (let attempt = 0; ; attempt++) {
      this.checkBudget()
      try {
        const sock = await this.ctx.connect()
        this.connections++
        sock.on('error', () => {}) // errors are read through the record reader
        sock.setNoDelay?.(true)
        return sock
      } catch (e) {
        if (this.ctx.signal.aborted) throw new Stop('aborted', 'probe aborted before completion')
        const code = e instanceof ProbeError ? e.code : 'connect-failed'
        const message = `cannot connect: ${(e as Error).message}`
        // Never connected: the target is down, not flaky.
        if (this.connections === 0) throw new Fatal(code, message)
        const delay = CONNECT_RETRY_DELAYS_MS[attempt]
        if (delay === undefined || code === 'aborted') {
          this.lost = new Stop(code, `${message} (after ${CONNECT_RETRY_DELAYS_MS.length} retries)`)
          throw this.lost
        }
        this.retries++
        await sleep(delay, this.ctx.signal)
      }
    }
  }

  /** One connection: send a hello, read the reply. */
  async once(hello: Buffer, stopAt: StopAt): Promise<Outcome> {
    const size = sizeClassOf(hello)
    const sock = await this.open()
    try {
      const reading = readHandshake(sock, {
        timeoutMs: this.ctx.timeoutMs,
        signal: this.ctx.signal,
        done: (msgs) => {
          const first = msgs[0]
          if (first.type !== HS_SERVER_HELLO || stopAt === 'server-hello') return true
          // TLS 1.3 ServerHello / HRR: the rest is encrypted or needs another hello.
          try {
            const sh = parseServerHello(first.body)
            if (sh.version === 0x0304 || sh.helloRetryRequest) return true
          } catch {
            return true
          }
          const last = msgs[msgs.length - 1].type
          if (last === HS_SERVER_HELLO_DONE) return true
          return stopAt === 'key-exchange' && last === HS_SERVER_KEY_EXCHANGE
        },
      })
      sock.write(hello)
      const res = await reading
      for (const w of res.warnings) this.warnings.add(parseAlert(w.raw.subarray(5)).name)
      if (res.messages.length > 0 || res.alert !== undefined || res.warnings.length > 0) {
        this.spokeTls = true
        this.tolerated.add(size)
      }
      if (res.alert && !res.messages.length) {
        return {kind: 'alert', alert: parseAlert(res.alert.raw.subarray(5)), raw: res.alert.raw, size}
      }
      const first = res.messages[0]
      if (!first || first.type !== HS_SERVER_HELLO) {
        return {kind: 'failed', code: 'malformed', message: `expected ServerHello, got handshake type ${first?.type}`, size}
      }
      const sh = parseServerHello(first.body)
      return {kind: 'hello', sh, shRecord: serverHelloRecord(first), messages: res.messages, size}
    } catch (e) {
      if (e instanceof ProbeError) {
        if (e.code === 'aborted') throw new Stop('aborted', 'probe aborted before completion')
        return {kind: 'failed', code: e.code, message: e.message, size}
      }
      return {kind: 'failed', code: 'malformed', message: (e as Error).message, size}
    } finally {
      sock.destroy()
    }
  }

  /**
   * An exchange that tolerates one transient failure: a reset, close or timeout is tried once more after a
   * pause. The same failure twice is the device's answer.
   */
  async exchange(hello: () => Buffer, stopAt: StopAt): Promise<Outcome> {
    const first = await this.once(hello(), stopAt)
    if (first.kind !== 'failed' || !TRANSIENT.has(first.code)) return first
    this.retries++
    this.ctx.log(`tls: ${first.code} (${first.message}); trying once more`)
    await sleep(EXCHANGE_RETRY_DELAY_MS, this.ctx.signal)
    const second = await this.once(hello(), stopAt)
    if (second.kind === 'failed') this.firstFailure ??= {code: second.code, message: second.message}
    return second
  }
}
