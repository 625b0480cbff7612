/**
 * HTTP login attempts. First a discovery request without credentials decides the mechanism:
 *  - 401 with a Basic or Digest challenge → success is a 2xx for the same request with credentials;
 *  - a page holding a login form (password input) → POST the form; success is a session (cookie) that reaches a
 *    page the unauthenticated request could not (status or body hash differs, and no password form in it);
 *  - otherwise the service has no login we know how to try (mechanism `none`).
 * 423/429 or a lockout message is `locked`. One connection per attempt.
 */
import {basicAuthorization, digestAuthorization, parseChallenges, pickChallenge} from './digest.js'
import {findLoginForm, hasPasswordInput, type LoginForm, resolveAction} from './html-form.js'
import {headerValues, httpClient, type HttpReply} from './http-client.js'
import {isLockoutMessage} from './lockout.js'
import {ProbeError, type ProbeContext} from '../types.js'
import type {LoginMethod, LoginOutcome} from './types.js'

const ROOT = '/'

export type HttpMechanism =
  | {kind: 'basic' | 'digest'; path: string}
  | {kind: 'form'; page: string; form: LoginForm; action: string}
  | {kind: 'none'; reason: string}

/** The unauthenticated request: which login the service asks for. */
export async function discoverHttpLogin(ctx: ProbeContext): Promise<HttpMechanism> {
  try {
    return await discover(ctx)
  } catch (error) {
    if (error instanceof ProbeError) throw error
    const e = error as Error & {code?: string}
    const code = e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : e.code === 'UND_ERR_SOCKET' || e.code === 'ECONNRESET' ? 'reset' : 'http-error'
    throw new ProbeError(code, `HTTP login discovery failed: ${e.code ?? e.name}: ${e.message.slice(0, 160)}`)
  }
}

async function discover(ctx: ProbeContext): Promise<HttpMechanism> {
  const http = httpClient(ctx)
  try {
    const reply = await http.request({method: 'GET', path: ROOT})
    if (reply.status === 401) {
      const challenge = pickChallenge(parseChallenges(headerValues(reply.headers, 'www-authenticate')))
      if (!challenge) return {kind: 'none', reason: '401 without a Basic or Digest challenge'}
      return {kind: challenge.scheme === 'digest' ? 'digest' : 'basic', path: ROOT}
    }
    let page = reply
    let pagePath = ROOT
    const location = headerValues(reply.headers, 'location')[0]
    if (reply.status >= 300 && reply.status < 400 && location) {
      const next = resolveAction(location, ROOT)
      if (next) {
        pagePath = next
        page = await http.request({method: 'GET', path: next})
      }
    }
    const form = page.status < 400 ? findLoginForm(page.body) : undefined
    if (!form) return {kind: 'none', reason: `no authentication challenge and no login form at ${pagePath}`}
    const action = resolveAction(form.action, pagePath)
    if (!action) return {kind: 'none', reason: 'login form posts to another origin'}
    return {kind: 'form', page: pagePath, form, action}
  } finally {
    await http.close()
  }
}

export function httpLoginMethod(ctx: ProbeContext, mechanism: Exclude<HttpMechanism, {kind: 'none'}>): LoginMethod {
  return {
    service: ctx.service.id,
    mechanism: `http-${mechanism.kind}`,
    attempt: (u, p) => (mechanism.kind === 'form' ? formAttempt(ctx, mechanism, u, p) : challengeAttempt(ctx, mechanism, u, p)),
  }
}

function lockedReply(r: HttpReply): boolean {
  return r.status === 423 || r.status === 429 || isLockoutMessage(r.body.slice(0, 4096))
}

async function timed(ctx: ProbeContext, run: (http: ReturnType<typeof httpClient>) => Promise<Omit<LoginOutcome, 'ms'>>): Promise<LoginOutcome> {
  const started = performance.now()
  const http = httpClient(ctx)
  try {
    return {...(await run(http)), ms: Math.round(performance.now() - started)}
  } catch (error) {
    const e = error as Error & {code?: string}
    const refused = e.code === 'refused' || e.code === 'ECONNRESET' || e.code === 'UND_ERR_SOCKET'
    return {result: 'error', reason: `http: ${e.code ?? e.name}`, refused, ms: Math.round(performance.now() - started)}
  } finally {
    await http.close()
  }
}

async function challengeAttempt(ctx: ProbeContext, m: {kind: 'basic' | 'digest'; path: string}, username: string, password: string): Promise<LoginOutcome> {
  return timed(ctx, async (http) => {
    let authorization = basicAuthorization(username, password)
    if (m.kind === 'digest') {
      // A fresh nonce for every attempt.
      const first = await http.request({method: 'GET', path: m.path})
      if (first.status !== 401) return first.status < 300 ? {result: 'accepted'} : {result: 'error', reason: `status ${first.status} without credentials`}
      const challenge = pickChallenge(parseChallenges(headerValues(first.headers, 'www-authenticate')))
      if (!challenge || challenge.scheme !== 'digest') return {result: 'error', reason: 'digest challenge gone'}
      authorization = digestAuthorization(challenge, {method: 'GET', uri: m.path, username, password})
    }
    const reply = await http.request({method: 'GET', path: m.path, headers: {authorization}})
    if (reply.status >= 200 && reply.status < 300) return {result: 'accepted'}
    if (lockedReply(reply)) return {result: 'locked', reason: `status ${reply.status}`}
    if (reply.status === 401 || reply.status === 403) return {result: 'rejected'}
    return {result: 'error', reason: `status ${reply.status}`}
  })
}

function cookieHeader(reply: HttpReply): string | undefined {
  const cookies = headerValues(reply.headers, 'set-cookie').map((c) => c.split(';')[0]!.trim()).filter((c) => c.includes('='))
  return cookies.length ? cookies.join('; ') : undefined
}

async function formAttempt(ctx: ProbeContext, m: {page: string; form: LoginForm; action: string}, username: string, password: string): Promise<LoginOutcome> {
  return timed(ctx, async (http) => {
    const fields = new URLSearchParams(m.form.hidden)
    if (m.form.usernameField) fields.set(m.form.usernameField, username)
    fields.set(m.form.passwordField, password)
    const body = fields.toString()
    const posted =
      m.form.method === 'POST'
        ? await http.request({method: 'POST', path: m.action, headers: {'content-type': 'application/x-www-form-urlencoded'}, body})
        : await http.request({method: 'GET', path: `${m.action.split('?')[0]}?${body}`})
    if (lockedReply(posted)) return {result: 'locked', reason: `status ${posted.status}`}
    const cookie = cookieHeader(posted)
    if (!cookie) return {result: 'rejected'}
    // The page the session should reach: where the login redirects to, else the form's page.
    const location = headerValues(posted.headers, 'location')[0]
    const target = (location && resolveAction(location, m.action)) || m.page
    const authed = await http.request({method: 'GET', path: target, headers: {cookie}})
    const anonymous = await http.request({method: 'GET', path: target})
    const reached =
      authed.status >= 200 && authed.status < 300 && !hasPasswordInput(authed.body) && (anonymous.status !== authed.status || anonymous.bodySha256 !== authed.bodySha256)
    if (reached) return {result: 'accepted'}
    if (lockedReply(authed)) return {result: 'locked', reason: 'lockout message'}
    return {result: 'rejected'}
  })
}
