/**
 * Bounded TLS record reader (RFC 5246 §6.2, RFC 8446 §5.1) and SSLv2 record reader (SSLv2 draft §2.1).
 * Reads from a socket until a caller-supplied condition is met, a fatal alert arrives, the byte cap is reached,
 * the peer closes, or the whole read outlasts its timeout. The timeout bounds the whole exchange, not each
 * read: a server that drips its reply one byte at a time still ends within one timeout.
 */
import type {Socket} from 'node:net'

import {ProbeError} from '../types.js'

export const CONTENT_CHANGE_CIPHER_SPEC = 20
export const CONTENT_ALERT = 21
export const CONTENT_HANDSHAKE = 22
export const CONTENT_APPLICATION_DATA = 23

export const HS_SERVER_HELLO = 2
export const HS_CERTIFICATE = 11
export const HS_SERVER_KEY_EXCHANGE = 12
export const HS_CERTIFICATE_REQUEST = 13
export const HS_SERVER_HELLO_DONE = 14

/** Default cap on bytes read from one connection. */
export const DEFAULT_MAX_BYTES = 256 * 1024
/** Largest TLS record fragment accepted (2^14 plus the TLSCiphertext expansion allowance). */
const MAX_FRAGMENT = 16384 + 2048

export interface TlsRecord {
  type: number
  version: number
  fragment: Buffer
  /** Header + fragment as received. */
  raw: Buffer
}

export interface HandshakeMessage {
  type: number
  body: Buffer
  /** Raw record(s) the message started in: the record carrying the message header. */
  record: Buffer
}

export interface AlertRecord {
  level: number
  description: number
  raw: Buffer
}

export interface ReadResult {
  messages: HandshakeMessage[]
  alert?: AlertRecord
  /** Warning-level alerts seen before the reply went on (e.g. unrecognized_name): not a refusal. */
  warnings: AlertRecord[]
  /** True when the reader stopped on close/timeout after some handshake messages (caller decides). */
  incomplete: boolean
  /** Why an incomplete read ended: 'closed' | 'reset' | 'timeout'. */
  endReason?: string
  bytesRead: number
}

export interface ReadOptions {
  /** Bound on the whole read, from the call until done. */
  timeoutMs: number
  signal?: AbortSignal
  maxBytes?: number
  /** Return true when enough has been read. Called after each complete handshake message. */
  done(messages: HandshakeMessage[]): boolean
}

function hexPrefix(buf: Buffer, n = 5): string {
  return buf.subarray(0, n).toString('hex').replace(/(..)/g, '0x$1 ').trim()
}

/** Throws ProbeError('not-tls') unless the 5 bytes look like a TLS record header. */
export function checkRecordHeader(header: Buffer): void {
  const type = header[0]
  const major = header[1]
  const len = header.readUInt16BE(3)
  if (type < CONTENT_CHANGE_CIPHER_SPEC || type > CONTENT_APPLICATION_DATA || major !== 3 || len > MAX_FRAGMENT) {
    throw new ProbeError('not-tls', `first bytes ${hexPrefix(header)} are not a TLS record`)
  }
}

/** Generic wait-for-bytes plumbing shared by the TLS and SSLv2 readers. */
class SocketPump {
  private chunks: Buffer[] = []
  private length = 0
  total = 0
  private waiter: (() => void) | undefined
  ended: string | undefined
  private errorCode: string | undefined

  constructor(
    private readonly socket: Socket,
    private readonly maxBytes: number,
    /** The whole-read bound, for messages. */
    readonly budgetMs: number,
  ) {
    socket.on('data', this.onData)
    socket.on('end', this.onEnd)
    socket.on('close', this.onClose)
    socket.on('error', this.onError)
  }

  private onData = (chunk: Buffer): void => {
    this.total += chunk.length
    if (this.total > this.maxBytes) {
      this.errorCode = 'oversized'
      this.socket.destroy()
    } else {
      this.chunks.push(chunk)
      this.length += chunk.length
    }
    this.wake()
  }

  private onEnd = (): void => {
    this.ended ??= 'closed'
    this.wake()
  }

  private onClose = (): void => {
    this.ended ??= 'closed'
    this.wake()
  }

  private onError = (err: NodeJS.ErrnoException): void => {
    this.ended = err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'closed'
    this.errorCode ??= err.code
    this.wake()
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = undefined
    w?.()
  }

  detach(): void {
    this.socket.off('data', this.onData)
    this.socket.off('end', this.onEnd)
    this.socket.off('close', this.onClose)
    this.socket.off('error', this.onError)
  }

  get available(): number {
    return this.length
  }

  peek(n: number): Buffer {
    this.compact()
    return this.chunks[0].subarray(0, n)
  }

  take(n: number): Buffer {
    this.compact()
    const first = this.chunks[0]
    const out = Buffer.from(first.subarray(0, n))
    const rest = first.subarray(n)
    this.chunks = rest.length ? [rest] : []
    this.length -= n
    return out
  }

  private compact(): void {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)]
  }

  /** Waits until at least n bytes are buffered. Throws ProbeError on timeout/abort/oversize; returns false if
   *  the peer closed first. */
  async need(n: number, deadline: number, signal?: AbortSignal): Promise<boolean> {
    while (this.length < n) {
      const timeoutMs = Math.max(0, deadline - Date.now())
      if (this.errorCode === 'oversized') {
        throw new ProbeError('oversized', `server sent more than ${this.maxBytes} bytes before finishing its hello`)
      }
      if (this.ended) return false
      if (signal?.aborted) throw new ProbeError('aborted', 'probe aborted')
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiter = undefined
          signal?.removeEventListener('abort', onAbort)
          reject(new ProbeError('timeout', `no response within ${this.budgetMs} ms`))
        }, timeoutMs)
        const onAbort = (): void => {
          clearTimeout(timer)
          this.waiter = undefined
          reject(new ProbeError('aborted', 'probe aborted'))
        }
        signal?.addEventListener('abort', onAbort, {once: true})
        this.waiter = () => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      })
    }
    return true
  }
}

function endError(reason: string, bytes: number): ProbeError {
  if (reason === 'reset') return new ProbeError('reset', `connection reset by peer after ${bytes} bytes`)
  return new ProbeError('closed', bytes ? `connection closed after ${bytes} bytes` : 'connection closed without a reply')
}

/**
 * Reads TLS records from `socket` until `done(messages)` is true or an alert arrives. Handshake messages are
 * reassembled across records. Non-handshake, non-alert records (ChangeCipherSpec, encrypted data in TLS 1.3)
 * end the read when at least one handshake message was seen.
 */
export async function readHandshake(socket: Socket, opts: ReadOptions): Promise<ReadResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES
  const pump = new SocketPump(socket, maxBytes, opts.timeoutMs)
  const deadline = Date.now() + opts.timeoutMs
  const messages: HandshakeMessage[] = []
  const warnings: AlertRecord[] = []
  let hsBuf: Buffer = Buffer.alloc(0)
  let hsRecord: Buffer | undefined
  const partial = (reason: string): ReadResult => ({messages, warnings, incomplete: true, endReason: reason, bytesRead: pump.total})
  try {
    for (;;) {
      let ok: boolean
      try {
        ok = await pump.need(5, deadline, opts.signal)
      } catch (e) {
        if (e instanceof ProbeError && e.code === 'timeout' && messages.length) return partial('timeout')
        throw e
      }
      if (!ok) {
        if (messages.length) return partial(pump.ended ?? 'closed')
        throw endError(pump.ended ?? 'closed', pump.total)
      }
      const header = pump.peek(5)
      checkRecordHeader(header)
      const len = header.readUInt16BE(3)
      try {
        ok = await pump.need(5 + len, deadline, opts.signal)
      } catch (e) {
        if (e instanceof ProbeError && e.code === 'timeout' && messages.length) return partial('timeout')
        throw e
      }
      if (!ok) {
        if (messages.length) return partial(pump.ended ?? 'closed')
        throw endError(pump.ended ?? 'closed', pump.total)
      }
      const raw = pump.take(5 + len)
      const rec: TlsRecord = {type: raw[0], version: raw.readUInt16BE(1), fragment: raw.subarray(5), raw}
      if (rec.type === CONTENT_ALERT) {
        if (rec.fragment.length < 2) throw new ProbeError('not-tls', 'truncated alert record')
        const alert = {level: rec.fragment[0], description: rec.fragment[1], raw}
        // A warning (level 1) is not a refusal (RFC 5246 §7.2): a server whose configured name differs sends
        // unrecognized_name and carries on with its ServerHello. close_notify (0) ends the connection, though.
        if (alert.level === 1 && alert.description !== 0 && warnings.length < 8) {
          warnings.push(alert)
          continue
        }
        return {messages, warnings, alert, incomplete: false, bytesRead: pump.total}
      }
      if (rec.type !== CONTENT_HANDSHAKE) {
        if (messages.length) return partial('non-handshake record')
        if (rec.type === CONTENT_CHANGE_CIPHER_SPEC) continue
        throw new ProbeError('not-tls', `unexpected record type ${rec.type} before ServerHello`)
      }
      if (!hsBuf.length) hsRecord = raw
      hsBuf = hsBuf.length ? Buffer.concat([hsBuf, rec.fragment]) : Buffer.from(rec.fragment)
      while (hsBuf.length >= 4) {
        const mlen = hsBuf.readUIntBE(1, 3)
        if (mlen > maxBytes) {
          throw new ProbeError('oversized', `handshake message type ${hsBuf[0]} of ${mlen} bytes exceeds the ${maxBytes}-byte cap`)
        }
        if (hsBuf.length < 4 + mlen) break
        messages.push({type: hsBuf[0], body: Buffer.from(hsBuf.subarray(4, 4 + mlen)), record: hsRecord ?? raw})
        hsBuf = hsBuf.subarray(4 + mlen)
        hsRecord = raw
        if (opts.done(messages)) return {messages, warnings, incomplete: false, bytesRead: pump.total}
      }
    }
  } finally {
    pump.detach()
  }
}

export interface Sslv2Message {
  /** Message body without the record header. */
  body: Buffer
  raw: Buffer
}

/**
 * Reads one SSLv2 record (2- or 3-byte header). If the server answers with a TLS record instead (an alert, a
 * TLS ServerHello), returns it as {tls}.
 */
export async function readSslv2(
  socket: Socket,
  opts: {timeoutMs: number; signal?: AbortSignal; maxBytes?: number},
): Promise<{sslv2?: Sslv2Message; tls?: TlsRecord}> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES
  const pump = new SocketPump(socket, maxBytes, opts.timeoutMs)
  const deadline = Date.now() + opts.timeoutMs
  try {
    if (!(await pump.need(2, deadline, opts.signal))) throw endError(pump.ended ?? 'closed', pump.total)
    const first = pump.peek(2)
    if (first[0] >= CONTENT_CHANGE_CIPHER_SPEC && first[0] <= CONTENT_APPLICATION_DATA && first[1] === 3) {
      if (!(await pump.need(5, deadline, opts.signal))) throw endError(pump.ended ?? 'closed', pump.total)
      const header = pump.peek(5)
      checkRecordHeader(header)
      const len = header.readUInt16BE(3)
      if (!(await pump.need(5 + len, deadline, opts.signal))) throw endError(pump.ended ?? 'closed', pump.total)
      const raw = pump.take(5 + len)
      return {tls: {type: raw[0], version: raw.readUInt16BE(1), fragment: raw.subarray(5), raw}}
    }
    // SERVER-HELLO and ERROR are never padded, so a 2-byte header (high bit set) is expected.
    if (!(first[0] & 0x80)) throw new ProbeError('not-tls', `first bytes ${hexPrefix(first, 2)} are not a TLS or SSLv2 record`)
    const headerLen = 2
    const len = ((first[0] & 0x7f) << 8) | first[1]
    if (len === 0) throw new ProbeError('not-tls', `first bytes ${hexPrefix(first, 2)} are not a TLS or SSLv2 record`)
    if (!(await pump.need(3, deadline, opts.signal))) throw endError(pump.ended ?? 'closed', pump.total)
    const mt = pump.peek(3)[2]
    if (mt !== 0 && mt !== 4) {
      throw new ProbeError('not-tls', `first bytes ${hexPrefix(pump.peek(3), 3)} are not a TLS or SSLv2 record`)
    }
    if (!(await pump.need(headerLen + len, deadline, opts.signal))) {
      throw endError(pump.ended ?? 'closed', pump.total)
    }
    const raw = pump.take(headerLen + len)
    return {sslv2: {body: raw.subarray(headerLen), raw}}
  } finally {
    pump.detach()
  }
}
