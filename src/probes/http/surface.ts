/**
 * Derives the facts the HTTP checks read from a crawl (pure): login forms, auth challenges, the http→https
 * redirect of `/`, HSTS, cookie flags, Server / X-Powered-By, security headers of the root page, sensitive
 * well-known endpoints answered without authentication, and PII hits (redacted samples only).
 */
import {createHash} from 'node:crypto'

import type {PiiHit} from '../../pii/index.js'
import {isSessionCookieName, parseSetCookie} from './cookies.js'
import type {CrawledResponse, CrawlResult} from './crawl.js'
import {BASELINE_PATH} from './crawl.js'
import {isText, mediaType} from './exchanges.js'
import {extractForms, extractTitle} from './forms.js'
import {first, parseChallenges, parseHsts} from './headers.js'
import {CREDENTIAL_FIELD, redactUrl} from './redact.js'
import {
  SECURITY_HEADERS,
  type AuthChallenge,
  type CookieFacts,
  type HttpScheme,
  type HttpSurfaceData,
  type LoginForm,
  type SensitiveEndpoint,
} from './types.js'

const ADMIN_TITLE = /\b(?:admin|administration|login|log in|sign in|router|gateway|camera|settings|configuration|management|setup)\b/i

function ok(r: CrawledResponse): boolean {
  return r.response.status >= 200 && r.response.status < 300 && !r.response.error
}

function sha(r: CrawledResponse): string {
  return createHash('sha256').update(r.response.body).digest('hex')
}

export function deriveSurface(
  crawl: CrawlResult,
  scheme: HttpScheme,
  piiByResponse: ReadonlyMap<CrawledResponse, PiiHit[]>,
  chainVerified: boolean | null = null,
): HttpSurfaceData {
  const pages = crawl.responses.filter((r) => ok(r) && /html/.test(mediaType(first(r.response.headers, 'content-type'))))

  const loginForms: LoginForm[] = []
  for (const page of pages) {
    for (const f of extractForms(page.response.body.toString('utf8'), page.url.href)) {
      if (!f.hasPassword && !/log_?in|sign_?in|auth/i.test(f.action)) continue
      loginForms.push({
        pageUrl: redactUrl(page.url.href),
        pageScheme: scheme,
        action: redactUrl(f.action),
        actionScheme: new URL(f.action).protocol.replace(':', ''),
        method: f.method,
        hasPassword: f.hasPassword,
      })
    }
  }

  const authChallenges: AuthChallenge[] = []
  for (const r of crawl.responses) {
    if (r.response.status !== 401) continue
    for (const c of parseChallenges(r.response.headers.get('www-authenticate') ?? [])) {
      authChallenges.push({url: redactUrl(r.url.href), scheme: c.scheme, realm: c.realm, urlScheme: scheme})
    }
  }

  let redirectsToHttps = false
  let httpsRedirectTarget = ''
  const first0 = crawl.rootFirst
  if (scheme === 'http' && first0 && first0.response.status >= 300 && first0.response.status < 400) {
    const location = first(first0.response.headers, 'location')
    try {
      const target = new URL(location, first0.url)
      if (target.protocol === 'https:' && target.hostname === first0.url.hostname) {
        redirectsToHttps = true
        httpsRedirectTarget = redactUrl(target.href)
      }
    } catch {
      // an unparsable Location is no redirect to https
    }
  }

  const hstsSource = crawl.root ?? first0
  const hsts = scheme === 'https' && hstsSource ? parseHsts(first(hstsSource.response.headers, 'strict-transport-security') || undefined, redactUrl(hstsSource.url.href)) : null

  const cookies: CookieFacts[] = []
  const seenCookies = new Set<string>()
  for (const r of crawl.responses) {
    for (const header of r.response.headers.get('set-cookie') ?? []) {
      const c = parseSetCookie(header)
      if (!c) continue
      const key = `${c.name}|${c.secure}|${c.httpOnly}|${c.sameSite}`
      if (seenCookies.has(key)) continue
      seenCookies.add(key)
      cookies.push({name: c.name, url: redactUrl(r.url.href), urlScheme: scheme, secure: c.secure, httpOnly: c.httpOnly, sameSite: c.sameSite, session: isSessionCookieName(c.name)})
    }
  }

  const server = crawl.responses.map((r) => first(r.response.headers, 'server')).find(Boolean) ?? ''
  const poweredBy = crawl.responses.map((r) => first(r.response.headers, 'x-powered-by')).find(Boolean) ?? ''

  const root = crawl.root
  const securityHeaders =
    root && /html/.test(mediaType(first(root.response.headers, 'content-type')))
      ? {
          url: redactUrl(root.url.href),
          present: SECURITY_HEADERS.filter((h) => root.response.headers.has(h)),
          missing: SECURITY_HEADERS.filter((h) => !root.response.headers.has(h)),
        }
      : null

  // A sensitive path counts only when its answer differs from the soft-404 baseline and from the root page.
  const baseline = crawl.responses.find((r) => r.url.pathname === BASELINE_PATH)
  const same = (a: CrawledResponse, b: CrawledResponse | undefined) => b !== undefined && ok(b) && sha(a) === sha(b)
  const sensitiveEndpoints: SensitiveEndpoint[] = []
  for (const r of crawl.responses) {
    const wk = r.wellKnown
    if (!wk?.sensitive || !ok(r) || r.response.body.length === 0) continue
    if (same(r, baseline) || same(r, root)) continue
    sensitiveEndpoints.push({
      url: redactUrl(r.url.href),
      path: wk.path.split('?')[0]!,
      status: r.response.status,
      kind: wk.kind,
      why: wk.why,
      contentType: mediaType(first(r.response.headers, 'content-type')),
      credentialFields: CREDENTIAL_FIELD.test(r.response.body.subarray(0, 64 * 1024).toString('utf8')),
    })
  }

  const pii: HttpSurfaceData['pii'] = []
  for (const r of crawl.responses) {
    for (const hit of piiByResponse.get(r) ?? []) {
      pii.push({url: redactUrl(r.url.href), urlScheme: scheme, type: hit.type, count: hit.count, location: hit.location, samples: [...hit.samples]})
    }
  }

  const rootTitle = root && isText(mediaType(first(root.response.headers, 'content-type'))) ? extractTitle(root.response.body.toString('utf8')) : ''
  const adminUi =
    loginForms.some((f) => f.hasPassword) ||
    authChallenges.length > 0 ||
    ADMIN_TITLE.test(rootTitle) ||
    crawl.responses.some((r) => (r.wellKnown?.kind === 'admin' || r.wellKnown?.kind === 'login') && ok(r) && !same(r, baseline))

  let offDeviceRedirect: string | null = null
  if (crawl.rootLeftOrigin && first0) {
    try {
      if (new URL(crawl.rootLeftOrigin).hostname !== first0.url.hostname) offDeviceRedirect = redactUrl(crawl.rootLeftOrigin)
    } catch {
      // the crawl only records parsed URLs
    }
  }
  const examinedResponses = crawl.responses.filter((r) => r.url.pathname !== BASELINE_PATH && !r.response.error && ((r.response.status >= 200 && r.response.status < 300) || r.response.status === 401)).length

  return {
    scheme,
    rootReachable: root !== undefined,
    offDeviceRedirect,
    examinedResponses,
    adminUi,
    loginForms,
    authChallenges,
    redirectsToHttps,
    httpsRedirectTarget,
    hsts,
    cookies,
    server: server.slice(0, 200),
    poweredBy: poweredBy.slice(0, 200),
    securityHeaders,
    sensitiveEndpoints,
    pii,
    chainVerified: scheme === 'https' ? chainVerified : null,
  }
}
