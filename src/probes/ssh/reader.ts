/**
 * Bounded reader for the start of an SSH server's output: the identification exchange (RFC 4253 §4.2) and
 * the first binary packets (§6). Every wait is bounded by `timeoutMs` and `signal`; every buffer by the
 * RFC limits in parse.ts. Misbehaviour ends in a ProbeError with a machine-readable code.
 */
import type {Socket} from 'node:net'

import {ProbeError} from '../types.js'
import {
  KEPT_PRE_BANNER_LINES,
  MAX_ANY_LINE_BYTES,
  MAX_LINE_BYTES,
  MAX_PRE_BANNER_LINES,
  SSH_MSG_DEBUG,
  SSH_MSG_DISCONNECT,
  SSH_MSG_IGNORE,
  SSH_MSG_KEXINIT,
  checkPacketLength,
  hasBinaryBytes,
  parseBinaryPacket,
  parseIdentificationLine,
  type BinaryPacket,
} from './parse.js'
import type {PacketOpener} from './packet-protection.js'
import type {SshIdentification} from './types.js'

/** Packets skipped (IGNORE / DEBUG) at most while waiting for a message (readMessage's default). */
const MAX_SKIPPED_PACKETS = 8

export class SshSocketReader {
  private buf: Buffer = Buffer.alloc(0)
  private waiter: (() => void) | undefined
  private ended: 'closed' | 'reset' | undefined
  total = 0
  /** Packets read so far: the sequence number of the next one (RFC 4253 §6.4). */
  received = 0
  /** Set after SSH_MSG_NEWKEYS: opens the encrypted packets that follow. */
  opener: PacketOpener | undefined

  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    socket.on('data', this.onData)
    socket.on('end', this.onEnd)
    socket.on('close', this.onEnd)
    socket.on('error', this.onError)
  }

  private onData = (chunk: Buffer): void => {
    this.total += chunk.length
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    // Never buffer more than one maximal packet plus a little: a flood is cut here.
    if (this.buf.length > 64 * 1024) this.socket.pause()
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

  detach(): void {
    this.socket.off('data', this.onData)
    this.socket.off('end', this.onEnd)
    this.socket.off('close', this.onEnd)
    this.socket.off('error', this.onError)
  }

  private endError(stage: string): ProbeError {
    if (this.ended === 'reset') return new ProbeError('reset', `connection reset by peer ${stage} (${this.total} bytes received)`)
    return new ProbeError('closed', `connection closed by peer ${stage} (${this.total} bytes received)`)
  }

  /** Waits for more data; throws on timeout, abort or peer close. */
  private async more(stage: string): Promise<void> {
    if (this.ended) throw this.endError(stage)
    if (this.signal?.aborted) throw new ProbeError('aborted', 'probe aborted')
    this.socket.resume()
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined
        this.signal?.removeEventListener('abort', onAbort)
        reject(new ProbeError('timeout', `no data ${stage} within ${this.timeoutMs} ms`))
      }, this.timeoutMs)
      const onAbort = (): void => {
        clearTimeout(timer)
        this.waiter = undefined
        reject(new ProbeError('aborted', 'probe aborted'))
      }
      this.signal?.addEventListener('abort', onAbort, {once: true})
      this.waiter = () => {
        clearTimeout(timer)
        this.signal?.removeEventListener('abort', onAbort)
        resolve()
      }
    })
  }

  /**
   * Reads lines until the identification line. Lines may end in CR LF or a bare LF. Bounds (OpenSSH's, kex.c):
   * MAX_ANY_LINE_BYTES per line, MAX_PRE_BANNER_LINES lines before the identification. Memory stays bounded:
   * only the first KEPT_PRE_BANNER_LINES lines are kept (cut to 255 characters), the rest are counted.
   */
  async readIdentification(): Promise<SshIdentification> {
    const preBannerLines: string[] = []
    let preBannerLineCount = 0
    for (;;) {
      const nl = this.buf.indexOf(0x0a)
      if (nl === -1) {
        if (hasBinaryBytes(this.buf)) {
          throw new ProbeError('not-ssh', `server sent binary data instead of an SSH identification: ${hex(this.buf)}`)
        }
        if (this.buf.length > MAX_ANY_LINE_BYTES) {
          throw new ProbeError(
            'oversized',
            `banner line exceeds ${MAX_ANY_LINE_BYTES} bytes without a line end (OpenSSH's limit): ${hex(this.buf)}`,
          )
        }
        try {
          await this.more('before the SSH identification')
        } catch (e) {
          if (e instanceof ProbeError && (e.code === 'closed' || e.code === 'reset') && (preBannerLineCount || this.buf.length)) {
            const first = preBannerLines[0] ?? this.buf.toString('latin1')
            throw new ProbeError('not-ssh', `${e.message}; no SSH identification line, first line: ${JSON.stringify(first.slice(0, 80))}`)
          }
          throw e
        }
        continue
      }
      const lineBytes = this.buf.subarray(0, nl + 1)
      if (lineBytes.length > MAX_ANY_LINE_BYTES) {
        throw new ProbeError('oversized', `banner line of ${lineBytes.length} bytes exceeds ${MAX_ANY_LINE_BYTES} (OpenSSH's limit)`)
      }
      if (hasBinaryBytes(lineBytes)) {
        throw new ProbeError('not-ssh', `server sent binary data instead of an SSH identification: ${hex(lineBytes)}`)
      }
      this.buf = this.buf.subarray(nl + 1)
      const line = lineBytes.toString('utf8').replace(/\r?\n$/, '')
      const id = parseIdentificationLine(line)
      if (id) {
        const anomalies: string[] = []
        if (lineBytes.length > MAX_LINE_BYTES) {
          anomalies.push(`identification line of ${lineBytes.length} bytes exceeds the ${MAX_LINE_BYTES} of RFC 4253 §4.2`)
        }
        return {...id, preBannerLines, preBannerLineCount, anomalies}
      }
      preBannerLineCount++
      if (preBannerLines.length < KEPT_PRE_BANNER_LINES) preBannerLines.push(line.slice(0, MAX_LINE_BYTES))
      if (preBannerLineCount > MAX_PRE_BANNER_LINES) {
        throw new ProbeError(
          'not-ssh',
          `more than ${MAX_PRE_BANNER_LINES} lines without an SSH identification, first: ${JSON.stringify(preBannerLines[0]?.slice(0, 80) ?? '')}`,
        )
      }
    }
  }

  /** Reads one unencrypted binary packet. */
  async readPacket(stage: string): Promise<BinaryPacket> {
    for (;;) {
      if (this.buf.length >= 4) checkPacketLength(this.buf.readUInt32BE(0))
      const packet = parseBinaryPacket(this.buf)
      if (packet) {
        this.buf = this.buf.subarray(packet.raw.length)
        this.received++
        return packet
      }
      await this.more(stage)
    }
  }

  /** Reads one packet's payload, through the opener once keys are in use. */
  async readPayload(stage: string): Promise<Buffer> {
    if (!this.opener) return (await this.readPacket(stage)).payload
    for (;;) {
      const opened = this.opener.open(this.buf, this.received)
      if (opened) {
        this.buf = this.buf.subarray(opened.consumed)
        this.received++
        return opened.payload
      }
      await this.more(stage)
    }
  }

  /**
   * Reads payloads until one of type `wanted`, passing over IGNORE, DEBUG and the `skip` types (at most
   * `maxSkipped` of them); SSH_MSG_DISCONNECT and any other type are errors that name `stage`.
   */
  async readMessage(wanted: readonly number[], stage: string, skip: readonly number[] = [], maxSkipped = MAX_SKIPPED_PACKETS): Promise<Buffer> {
    for (let i = 0; i <= maxSkipped; i++) {
      const payload = await this.readPayload(stage)
      const type = payload[0]
      if (wanted.includes(type)) return payload
      if (type === SSH_MSG_IGNORE || type === SSH_MSG_DEBUG || skip.includes(type)) continue
      if (type === SSH_MSG_DISCONNECT) throw new ProbeError('disconnect', `server sent SSH_MSG_DISCONNECT ${stage}: ${describeDisconnect(payload)}`)
      throw new ProbeError('protocol', `expected message type ${wanted.join(' or ')} ${stage}, got ${type}`)
    }
    throw new ProbeError('protocol', `more than ${maxSkipped} other packets ${stage}`)
  }

  /** The server's SSH_MSG_KEXINIT payload (IGNORE and DEBUG before it skipped). */
  readKexinit(): Promise<Buffer> {
    return this.readMessage([SSH_MSG_KEXINIT], 'before SSH_MSG_KEXINIT')
  }
}

function hex(buf: Buffer, n = 16): string {
  const head = buf.subarray(0, n).toString('hex').replace(/(..)/g, '$1 ').trim()
  return buf.length > n ? `${head} …` : head
}

function describeDisconnect(payload: Buffer): string {
  if (payload.length < 9) return 'truncated'
  const reason = payload.readUInt32BE(1)
  const len = payload.readUInt32BE(5)
  const text = payload.subarray(9, 9 + Math.min(len, 200)).toString('utf8')
  return `reason ${reason}${text ? ` "${text}"` : ''}`
}
