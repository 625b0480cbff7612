/**
 * The FTP probe unit (non-intrusive). On the control connection (RFC 959) it reads the greeting, sends FEAT
 * (RFC 2389), checks AUTH TLS (RFC 4217) — from FEAT, else by sending AUTH TLS and reading only the reply
 * code (a 234 means the server now expects a TLS handshake: the socket is closed at once and a second
 * connection is used for the rest) — and tries the public anonymous-FTP convention (RFC 1635): USER
 * anonymous / PASS with an obviously fake e-mail address. Then QUIT. No data connection is ever opened.
 *
 * Bounds: each reply within ctx.timeoutMs, the whole session within 8 × ctx.timeoutMs, replies capped as in
 * reply.ts, the transcript at MAX_TRANSCRIPT_CHARS.
 */
import type {ObservationError} from '../../evidence/types.js'
import {remaining, StreamReader} from '../cleartext/stream.js'
import {ProbeError, type ArtifactInput, type ProbeContext, type ProbeEmission, type ProbeUnit} from '../types.js'
import {featuresOfferTls, parseFeatures, takeReply} from './reply.js'
import {ftpUnitMeta} from './meta.js'
import {P_FTP_SESSION, type AnonymousResult, type FtpReply, type FtpReplyRecord, type FtpSessionData} from './types.js'

/** The anonymous-FTP convention's "password": an e-mail address in a reserved domain (RFC 6761 .invalid). */
export const ANONYMOUS_USER = 'anonymous'
export const ANONYMOUS_PASSWORD = 'sg17scan@example.invalid'
export const MAX_TRANSCRIPT_CHARS = 16 * 1024
export const MAX_BANNER_CHARS = 2048
const GREETING = '(greeting)'

function toError(err: unknown): ObservationError {
  if (err instanceof ProbeError) return {code: err.code, message: err.message}
  return {code: 'internal', message: (err as Error)?.message ?? String(err)}
}

/** Everything the session recorded; survives a failure so the transcript can still be attached. */
export class FtpTranscript {
  readonly replies: FtpReplyRecord[] = []
  private lines: string[] = []
  private chars = 0
  private truncated = false

  private add(line: string): void {
    if (this.truncated) return
    if (this.chars + line.length + 1 > MAX_TRANSCRIPT_CHARS) {
      this.lines.push('[transcript truncated]')
      this.truncated = true
      return
    }
    this.lines.push(line)
    this.chars += line.length + 1
  }

  sent(command: string): void {
    this.add(`C: ${command}`)
  }

  received(command: string, reply: FtpReply): void {
    this.replies.push({command, code: reply.code})
    for (const l of reply.raw) this.add(`S: ${l}`)
  }

  note(text: string): void {
    this.add(`-- ${text}`)
  }

  get text(): string {
    return this.lines.join('\n')
  }
}

/** Masks the argument of PASS (and ACCT) for the evidence. */
export function maskCommand(command: string): string {
  return /^(PASS|ACCT)\b/i.test(command) ? `${command.slice(0, 4).toUpperCase()} ***` : command
}

class Control {
  constructor(
    private readonly reader: StreamReader,
    private readonly ctx: ProbeContext,
    private readonly deadline: number,
    private readonly transcript: FtpTranscript,
  ) {}

  async read(command: string): Promise<FtpReply> {
    const stage = command === GREETING ? 'the greeting' : `a reply to ${maskCommand(command)}`
    for (;;) {
      const reply = takeReply(this.reader.buffered)
      if (reply) {
        this.reader.consume(reply.length)
        this.transcript.received(maskCommand(command), reply)
        return reply
      }
      const left = remaining(this.deadline)
      if (left === 0) throw new ProbeError('timeout', `FTP session did not complete within ${8 * this.ctx.timeoutMs} ms (waiting for ${stage})`)
      const r = await this.reader.wait(Math.min(this.ctx.timeoutMs, left))
      if (r === 'data') continue
      if (r === 'aborted') throw new ProbeError('aborted', 'probe aborted')
      if (r === 'timeout') throw new ProbeError('timeout', `no complete reply within ${this.ctx.timeoutMs} ms waiting for ${stage}`)
      if (this.reader.buffered.length && takeReply(this.reader.buffered)) continue
      throw new ProbeError(r, `connection ${r === 'reset' ? 'reset' : 'closed'} by peer waiting for ${stage} (${this.reader.total} bytes received)`)
    }
  }

  async command(command: string): Promise<FtpReply> {
    this.transcript.sent(maskCommand(command))
    this.reader.write(`${command}\r\n`)
    return this.read(command)
  }

  close(): void {
    this.reader.close()
  }
}

async function open(ctx: ProbeContext, deadline: number, transcript: FtpTranscript): Promise<{control: Control; greeting: FtpReply}> {
  const socket = await ctx.connect()
  const control = new Control(new StreamReader(socket, ctx.signal), ctx, deadline, transcript)
  try {
    let greeting = await control.read(GREETING)
    // 120 "service ready in nnn minutes" precedes the 220 (RFC 959 §5.4); wait for it once.
    if (greeting.code === 120) greeting = await control.read(GREETING)
    if (greeting.code === 421) throw new ProbeError('unavailable', `server refused service: 421 ${greeting.lines[0] ?? ''}`.trim())
    if (greeting.code !== 220) throw new ProbeError('unexpected-reply', `greeting code ${greeting.code} instead of 220`)
    return {control, greeting}
  } catch (err) {
    control.close()
    throw err
  }
}

const RECOVERABLE = new Set(['closed', 'reset', 'timeout'])

/** USER anonymous / PASS fake-email on an open control connection. */
async function tryAnonymous(control: Control): Promise<AnonymousResult> {
  const user = await control.command(`USER ${ANONYMOUS_USER}`)
  if (user.code === 230) return 'accepted'
  if (user.code !== 331) return 'refused'
  const pass = await control.command(`PASS ${ANONYMOUS_PASSWORD}`)
  return pass.code === 230 || pass.code === 202 ? 'accepted' : 'refused'
}

async function quit(control: Control, ctx: ProbeContext): Promise<void> {
  try {
    await control.command('QUIT')
  } catch (err) {
    ctx.log(`ftp: QUIT: ${toError(err).message}`)
  }
}

export async function runFtpSession(ctx: ProbeContext, transcript = new FtpTranscript()): Promise<FtpSessionData> {
  const deadline = Date.now() + 8 * ctx.timeoutMs
  let {control, greeting} = await open(ctx, deadline, transcript)
  let open1 = true
  try {
    const feat = await control.command('FEAT')
    const features = parseFeatures(feat)
    let authTls = featuresOfferTls(features)
    if (!authTls) {
      try {
        const auth = await control.command('AUTH TLS')
        if (auth.code === 234) {
          authTls = true
          // The server now waits for a TLS ClientHello: nothing more may be sent on this connection.
          transcript.note('234: TLS handshake expected; connection closed without starting TLS')
          control.close()
          open1 = false
        }
      } catch (err) {
        if (!(err instanceof ProbeError) || !RECOVERABLE.has(err.code)) throw err
        transcript.note(`AUTH TLS: ${err.message}`)
        ctx.log(`ftp: AUTH TLS: ${err.message}`)
        control.close()
        open1 = false
      }
    }

    let anonymous: AnonymousResult = 'not-tested'
    try {
      if (!open1) {
        transcript.note('new control connection')
        ;({control} = await open(ctx, deadline, transcript))
        open1 = true
      }
      anonymous = await tryAnonymous(control)
    } catch (err) {
      if (!(err instanceof ProbeError) || !RECOVERABLE.has(err.code)) throw err
      transcript.note(`anonymous login not completed: ${err.message}`)
      ctx.log(`ftp: anonymous login not completed: ${err.message}`)
      open1 = false
    }
    if (open1) await quit(control, ctx)

    const banner = greeting.lines.join('\n').trim()
    return {
      banner: banner.length > MAX_BANNER_CHARS ? `${banner.slice(0, MAX_BANNER_CHARS)}…` : banner,
      features,
      authTls,
      anonymous,
      replies: transcript.replies,
    }
  } finally {
    control.close()
  }
}

function transcriptArtifact(t: FtpTranscript): ArtifactInput[] {
  return t.text ? [{kind: 'ftp-transcript', encoding: 'utf8', content: t.text}] : []
}

export const ftpProbeUnit: ProbeUnit = {
  ...ftpUnitMeta,
  async run(ctx: ProbeContext): Promise<ProbeEmission[]> {
    const transcript = new FtpTranscript()
    try {
      const d = await runFtpSession(ctx, transcript)
      ctx.log(`ftp: ${JSON.stringify(d.banner.split('\n')[0])}; AUTH TLS ${d.authTls ? 'offered' : 'not offered'}; anonymous ${d.anonymous}`)
      return [{probe: P_FTP_SESSION, data: {...d, replies: d.replies.map((r) => ({...r}))}, artifacts: transcriptArtifact(transcript)}]
    } catch (err) {
      const error = toError(err)
      ctx.log(`ftp: ${error.code}: ${error.message}`)
      return [{probe: P_FTP_SESSION, data: {}, error, artifacts: transcriptArtifact(transcript)}]
    }
  },
}
