/**
 * Telnet login attempts: option negotiation with the banner probe's parser and negotiator (RFC 854/855), then
 * the login and password prompts. Success is proven by a shell prompt (a last line ending in `$`, `#` or `>`
 * that is not itself a login/password prompt) after the password; "Login incorrect", a fresh login prompt or a
 * close is a rejection; a lockout message is `locked`. One connection per attempt.
 */
import {remaining, StreamReader} from '../cleartext/stream.js'
import {decodeText} from '../cleartext/text.js'
import {TelnetNegotiator, TelnetParser} from '../telnet/iac.js'
import {findLoginPrompt} from '../telnet/prompt.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {isLockoutMessage} from './lockout.js'
import type {LoginMethod, LoginOutcome} from './types.js'

/** Text kept per attempt (the tail matters: prompts are at the end). */
const MAX_TEXT = 8 * 1024
const REJECTED = /\b(?:incorrect|invalid|failed|failure|denied|wrong|bad password)\b/i
const SHELL_PROMPT = /[$#>]\s*$/

export function telnetLoginMethod(ctx: ProbeContext): LoginMethod {
  return {service: ctx.service.id, mechanism: 'telnet-login', attempt: (u, p) => telnetAttempt(ctx, u, p)}
}

/** What the text after the password says. Pure (unit-tested). */
export function classifyAfterPassword(text: string): 'accepted' | 'rejected' | 'locked' | undefined {
  const tail = text.slice(-1024)
  if (isLockoutMessage(tail)) return 'locked'
  if (REJECTED.test(tail)) return 'rejected'
  if (findLoginPrompt(tail)) return 'rejected'
  const lines = tail.split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l !== '')
  const last = lines.at(-1)
  if (last && SHELL_PROMPT.test(last)) return 'accepted'
  return undefined
}

async function telnetAttempt(ctx: ProbeContext, username: string, password: string): Promise<LoginOutcome> {
  const started = performance.now()
  const ms = () => Math.round(performance.now() - started)
  let sock
  try {
    sock = await ctx.connect()
  } catch (error) {
    const code = error instanceof ProbeError ? error.code : 'connect'
    return {result: 'error', ms: ms(), reason: `connect: ${code}`, refused: code === 'refused' || code === 'reset'}
  }
  const reader = new StreamReader(sock, ctx.signal)
  const parser = new TelnetParser()
  const negotiator = new TelnetNegotiator()
  let text = ''
  const deadline = Date.now() + ctx.timeoutMs * 3
  /** Reads until `until(text)` decides or the step times out; returns the decision or undefined. */
  const readUntil = async <T>(until: (t: string) => T | undefined, stepMs: number): Promise<T | 'closed' | undefined> => {
    const stepEnd = Math.min(deadline, Date.now() + stepMs)
    for (;;) {
      const chunk = reader.takeAll()
      if (chunk.length) {
        const {data, commands} = parser.push(chunk)
        const {reply} = negotiator.handle(commands)
        if (reply.length) reader.write(reply)
        text = (text + decodeText(data)).slice(-MAX_TEXT)
        const decided = until(text)
        if (decided !== undefined) return decided
      }
      const left = remaining(stepEnd)
      if (left === 0) return undefined
      const w = await reader.wait(left)
      if (w === 'closed' || w === 'reset') {
        const rest = reader.takeAll()
        if (rest.length) text = (text + decodeText(parser.push(rest).data)).slice(-MAX_TEXT)
        const decided = until(text)
        return decided !== undefined ? decided : 'closed'
      }
      if (w === 'aborted') return undefined
    }
  }
  try {
    const prompt = await readUntil((t) => {
      if (isLockoutMessage(t)) return 'locked' as const
      const p = findLoginPrompt(t)
      return p ? (/pass/i.test(p) ? ('password' as const) : ('login' as const)) : undefined
    }, ctx.timeoutMs)
    if (prompt === 'locked') return {result: 'locked', ms: ms(), reason: 'lockout message before login'}
    if (prompt === 'closed') return {result: 'error', ms: ms(), reason: 'closed before a login prompt', refused: true}
    if (prompt === undefined) return {result: 'error', ms: ms(), reason: 'no login prompt'}
    if (prompt === 'login') {
      text = ''
      reader.write(`${username}\r\n`)
      const next = await readUntil((t) => {
        if (isLockoutMessage(t)) return 'locked' as const
        const p = findLoginPrompt(t)
        if (p && /pass/i.test(p)) return 'password' as const
        const shell = classifyAfterPassword(t)
        return shell === 'accepted' ? ('shell' as const) : undefined
      }, ctx.timeoutMs)
      if (next === 'locked') return {result: 'locked', ms: ms(), reason: 'lockout message'}
      // A shell without a password prompt: the account has no password at all.
      if (next === 'shell') return {result: password === '' ? 'accepted' : 'error', ms: ms(), reason: password === '' ? undefined : 'shell without password prompt'}
      if (next !== 'password') return {result: 'error', ms: ms(), reason: next === 'closed' ? 'closed before password prompt' : 'no password prompt'}
    }
    text = ''
    reader.write(`${password}\r\n`)
    const verdict = await readUntil((t) => classifyAfterPassword(t), ctx.timeoutMs * 2)
    if (verdict === 'accepted') return {result: 'accepted', ms: ms()}
    if (verdict === 'locked') return {result: 'locked', ms: ms(), reason: 'lockout message'}
    if (verdict === 'rejected' || verdict === 'closed') return {result: 'rejected', ms: ms()}
    return {result: 'error', ms: ms(), reason: 'no answer after the password'}
  } finally {
    reader.close()
  }
}
