/**
 * Every HTTP login the admin surface shows, not only the one at `/`: the same bounded crawl as the HTTP probe
 * (same-origin links to depth 2, the well-known device paths), then each 401 Basic/Digest challenge (one per
 * scheme and realm: a realm protecting the whole site is tested once) and each login form (one per action), in
 * crawl order so `/` comes first. A `/` that redirects to another host is said so: nothing of this device's
 * login could be examined (the cred checks are then inconclusive, not "not applicable").
 */
import {crawl} from '../http/crawl.js'
import {makeClient} from '../http/client.js'
import {BASELINE_PATH} from '../http/crawl.js'
import {redactUrl} from '../http/redact.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {parseChallenges, pickChallenge} from './digest.js'
import {findLoginForm, resolveAction} from './html-form.js'
import type {HttpMechanism} from './http-login.js'

/** Logins tested per service at most: each draws on the same device attempt budget. */
export const MAX_HTTP_LOGINS = 4

export type HttpLogin = Exclude<HttpMechanism, {kind: 'none'}>

export type HttpLoginDiscovery = {logins: HttpLogin[]} | {none: string; offDevice?: string}

const isHtml = (headers: Map<string, string[]>, body: Buffer) =>
  /html/i.test(headers.get('content-type')?.[0] ?? '') || /^\s*<(?:!doctype|html)/i.test(body.subarray(0, 64).toString('latin1'))

export async function discoverHttpLogins(ctx: ProbeContext): Promise<HttpLoginDiscovery> {
  const scheme = ctx.service.protocol === 'https' ? 'https' : 'http'
  const client = makeClient(ctx, scheme)
  try {
    const origin = `${scheme}://${ctx.service.host.includes(':') ? `[${ctx.service.host}]` : ctx.service.host}:${ctx.service.port}`
    const result = await crawl(client, ctx, new URL(origin).origin)
    if (result.rootError) throw new ProbeError(result.rootError.code, `HTTP login discovery failed: GET /: ${result.rootError.message}`)
    const logins: HttpLogin[] = []
    const seen = new Set<string>()
    const add = (key: string, login: HttpLogin) => {
      if (seen.has(key) || logins.length >= MAX_HTTP_LOGINS) return
      seen.add(key)
      logins.push(login)
    }
    for (const r of result.responses) {
      if (r.response.error || r.url.pathname === BASELINE_PATH) continue
      const path = r.url.pathname + r.url.search
      if (r.response.status === 401) {
        const challenge = pickChallenge(parseChallenges(r.response.headers.get('www-authenticate') ?? []))
        if (challenge) add(`${challenge.scheme}|${challenge.params.realm ?? ''}`, {kind: challenge.scheme === 'digest' ? 'digest' : 'basic', path})
        continue
      }
      if (r.response.status < 200 || r.response.status >= 300 || !isHtml(r.response.headers, r.response.body)) continue
      const form = findLoginForm(r.response.body.toString('utf8'))
      const action = form ? resolveAction(form.action, path) : undefined
      if (form && action) add(`form|${form.method}|${action.split('?')[0]}`, {kind: 'form', page: path, form, action})
    }
    if (logins.length > 0) return {logins}
    const left = result.rootLeftOrigin ? new URL(result.rootLeftOrigin) : undefined
    if (left && left.hostname !== ctx.service.host.replace(/^\[|\]$/g, '')) {
      const target = redactUrl(left.href)
      return {none: `/ redirects off the device to ${target}: no login of this device could be examined`, offDevice: target}
    }
    return {none: `no authentication challenge and no login form on the ${result.responses.length} page(s) discovered`}
  } catch (error) {
    if (error instanceof ProbeError) throw error
    const e = error as Error & {code?: string}
    throw new ProbeError('http-error', `HTTP login discovery failed: ${e.code ?? e.name}: ${e.message.slice(0, 160)}`)
  } finally {
    await client.destroy().catch(() => {})
  }
}
