/**
 * The Telnet probe unit (non-intrusive): connects, answers option negotiation (RFC 854/855), and reads the
 * pre-login text until a login prompt appears, the server goes quiet or closes, the read window ends, or
 * the byte cap is hit. It never sends anything but option answers: no user name, no password.
 *
 * Bounds: the first byte within ctx.timeoutMs; a quiet period of min(1000, ctx.timeoutMs) ms ends the read;
 * the whole read window is 3 × ctx.timeoutMs; at most MAX_TELNET_BYTES bytes are read.
 */
import type {ObservationError} from '../../evidence/types.js'
import {remaining, StreamReader} from '../cleartext/stream.js'
import {decodeText, hexPreview, looksBinary, printable} from '../cleartext/text.js'
import {ProbeError, type ArtifactInput, type ProbeContext, type ProbeEmission, type ProbeUnit} from '../types.js'
import {TelnetNegotiator, TelnetParser} from './iac.js'
import {findLoginPrompt} from './prompt.js'
import {telnetUnitMeta} from './meta.js'
import {P_TELNET_BANNER, type TelnetBannerData, type TelnetNegotiation} from './types.js'

export const MAX_TELNET_BYTES = 16 * 1024
export const MAX_BANNER_CHARS = 4096
export const MAX_NEGOTIATIONS = 64
/** Invalid commands (IAC followed by a code below 240) tolerated before the stream is called non-Telnet. */
const MAX_INVALID_COMMANDS = 3

export interface TelnetGrab {
  data: TelnetBannerData
  raw: Buffer
}

function toError(err: unknown): ObservationError {
  if (err instanceof ProbeError) return {code: err.code, message: err.message}
  return {code: 'internal', message: (err as Error)?.message ?? String(err)}
}

/** What the session saw so far; kept so that a failure still yields the raw bytes as an artifact. */
export class TelnetSession {
  readonly parser = new TelnetParser()
  readonly negotiator = new TelnetNegotiator()
  readonly negotiations: TelnetNegotiation[] = []
  private rawParts: Buffer[] = []
  private rawLength = 0
  private dataParts: Buffer[] = []
  private dataLength = 0

  addRaw(chunk: Buffer): void {
    const room = MAX_TELNET_BYTES - this.rawLength
    if (room <= 0) return
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk
    this.rawParts.push(part)
    this.rawLength += part.length
  }

  addData(data: Buffer): void {
    if (data.length === 0) return
    this.dataParts.push(data)
    this.dataLength += data.length
  }

  get raw(): Buffer {
    return Buffer.concat(this.rawParts)
  }

  get data(): Buffer {
    return Buffer.concat(this.dataParts)
  }

  addRecords(records: TelnetNegotiation[]): void {
    for (const r of records) if (this.negotiations.length < MAX_NEGOTIATIONS) this.negotiations.push(r)
  }

  text(): string {
    return printable(decodeText(this.data), MAX_BANNER_CHARS * 2)
  }
}

/** Runs the read; throws ProbeError on misbehaviour (with the session so far attached for the artifact). */
export async function grabTelnet(ctx: ProbeContext, session = new TelnetSession()): Promise<TelnetGrab> {
  const socket = await ctx.connect()
  const reader = new StreamReader(socket, ctx.signal)
  const quietMs = Math.max(50, Math.min(1000, ctx.timeoutMs))
  const deadline = Date.now() + 3 * ctx.timeoutMs
  let endedBy: TelnetBannerData['endedBy'] | undefined
  try {
    for (;;) {
      const chunk = reader.takeAll()
      if (chunk.length) {
        session.addRaw(chunk)
        const {data, commands} = session.parser.push(chunk)
        session.addData(data)
        const {reply, records} = session.negotiator.handle(commands)
        session.addRecords(records)
        if (reply.length) reader.write(reply)
        if (session.parser.invalidCommands > MAX_INVALID_COMMANDS || session.parser.sbOverflows > 0) {
          throw new ProbeError('not-telnet', `malformed Telnet command sequences; first bytes: ${hexPreview(session.raw)}`)
        }
        if (findLoginPrompt(session.text())) {
          endedBy = 'prompt'
          break
        }
        if (reader.total >= MAX_TELNET_BYTES) {
          throw new ProbeError('oversized', `more than ${MAX_TELNET_BYTES} bytes without a login prompt or a pause`)
        }
      }
      const left = remaining(deadline)
      if (left === 0) {
        endedBy = 'deadline'
        break
      }
      const first = reader.total === 0
      const r = await reader.wait(first ? Math.min(ctx.timeoutMs, left) : Math.min(quietMs, left))
      if (r === 'data') continue
      if (r === 'aborted') throw new ProbeError('aborted', 'probe aborted')
      if (first) {
        if (r === 'timeout') throw new ProbeError('timeout', `no data within ${ctx.timeoutMs} ms of connecting`)
        if (r === 'reset') throw new ProbeError('reset', 'connection reset by peer before any data')
        throw new ProbeError('closed', 'connection closed by peer before any data')
      }
      // Whatever is still buffered is processed before stopping.
      if (reader.buffered.length) continue
      endedBy = r !== 'timeout' ? r : remaining(deadline) === 0 ? 'deadline' : 'quiet'
      break
    }
  } finally {
    reader.close()
  }
  const data = session.data
  if (looksBinary(data)) {
    throw new ProbeError('not-telnet', `binary data instead of Telnet text: ${hexPreview(data)}`)
  }
  const text = session.text()
  const promptText = findLoginPrompt(text)
  const trimmed = text.trim()
  const out: TelnetBannerData = {
    banner: trimmed.length > MAX_BANNER_CHARS ? `${trimmed.slice(0, MAX_BANNER_CHARS)}…` : trimmed,
    loginPrompt: promptText !== undefined,
    negotiatedOptions: session.negotiations,
    bytes: reader.total,
    endedBy,
  }
  if (promptText !== undefined) out.promptText = promptText
  return {data: out, raw: session.raw}
}

function rawArtifact(raw: Buffer): ArtifactInput[] {
  return raw.length ? [{kind: 'telnet-raw', encoding: 'hex', content: raw.toString('hex')}] : []
}

export const telnetProbeUnit: ProbeUnit = {
  ...telnetUnitMeta,
  async run(ctx: ProbeContext): Promise<ProbeEmission[]> {
    const session = new TelnetSession()
    try {
      const grab = await grabTelnet(ctx, session)
      const d = grab.data
      ctx.log(`telnet: ${d.bytes} bytes, ${d.negotiatedOptions.length} option commands, ${d.loginPrompt ? `prompt ${JSON.stringify(d.promptText)}` : 'no login prompt'} (${d.endedBy})`)
      return [{probe: P_TELNET_BANNER, data: {...d}, artifacts: rawArtifact(grab.raw)}]
    } catch (err) {
      const error = toError(err)
      ctx.log(`telnet: ${error.code}: ${error.message}`)
      return [{probe: P_TELNET_BANNER, data: {}, error, artifacts: rawArtifact(session.raw)}]
    }
  },
}
