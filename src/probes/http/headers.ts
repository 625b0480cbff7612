/**
 * Response-header helpers: lower-cased names, secret values redacted (cookies, credentials, challenge
 * parameters other than the realm, tokens), HSTS (RFC 6797 §6.1) and authentication challenges
 * (RFC 9110 §11.6.1) parsed.
 */
import {redactCookieHeader, redactSetCookie} from './cookies.js'
import {redactUrl} from './redact.js'
import type {HstsFacts} from './types.js'

/** Headers whose whole value is a secret (or may be one). */
const SECRET_HEADER = /^(?:authorization|proxy-authorization|x-auth[-\w]*|x-api-key|x-csrf-token|x-xsrf-token|x-access-token|x-session[-\w]*|x-amz-security-token)$/

/** undici's header record → name → values (lower-cased names, arrays kept). */
export function headerValues(raw: Record<string, string | string[] | undefined>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue
    const name = k.toLowerCase()
    const list = out.get(name) ?? []
    list.push(...(Array.isArray(v) ? v : [v]))
    out.set(name, list)
  }
  return out
}

export function first(headers: Map<string, string[]>, name: string): string {
  return headers.get(name)?.[0] ?? ''
}

/** Keeps the auth scheme and realm; every other challenge parameter (nonce, opaque …) becomes <redacted>. */
export function redactChallenge(value: string): string {
  return value.replace(/([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)/g, (all, key: string) =>
    /^(?:realm|qop|algorithm|charset|stale)$/i.test(key) ? all : `${key}=<redacted>`,
  )
}

export function redactHeaderValue(name: string, value: string, base: string): string {
  if (name === 'set-cookie') return redactSetCookie(value)
  if (name === 'cookie') return redactCookieHeader(value)
  if (name === 'www-authenticate' || name === 'proxy-authenticate') return redactChallenge(value)
  if (SECRET_HEADER.test(name)) return value.split(/\s+/)[0] === value ? '<redacted>' : `${value.split(/\s+/)[0]} <redacted>`
  if (name === 'location' || name === 'content-location' || name === 'refresh') return redactUrl(value, base)
  return value
}

/** Headers that change on every request (the clock): left out so observation ids stay content-derived. */
const VOLATILE = new Set(['date', 'age', 'x-request-id', 'x-correlation-id'])

/** Evidence form: one string per header (repeats joined by "\n"), secrets redacted, capped in length. */
export function evidenceHeaders(headers: Map<string, string[]>, base: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of [...headers.keys()].sort()) {
    if (VOLATILE.has(name)) continue
    const joined = headers
      .get(name)!
      .map((v) => redactHeaderValue(name, v, base))
      .join('\n')
    out[name] = joined.length > 1024 ? `${joined.slice(0, 1024)}…` : joined
  }
  return out
}

export function parseHsts(value: string | undefined, url: string): HstsFacts {
  if (!value) return {url, present: false, maxAge: null, includeSubDomains: false, raw: ''}
  let maxAge: number | null = null
  let includeSubDomains = false
  for (const directive of value.split(';')) {
    const [k = '', v] = directive.split('=').map((s) => s.trim())
    if (k.toLowerCase() === 'max-age') {
      const n = Number((v ?? '').replace(/^"|"$/g, ''))
      maxAge = v !== undefined && /^\d+$/.test(v.replace(/^"|"$/g, '')) && Number.isSafeInteger(n) ? n : null
    } else if (k.toLowerCase() === 'includesubdomains') includeSubDomains = true
  }
  return {url, present: true, maxAge, includeSubDomains, raw: value.slice(0, 200)}
}

/** Splits on commas outside double quotes. */
function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (c === '\\' && quoted) {
      cur += c + (value[i + 1] ?? '')
      i++
    } else if (c === '"') {
      quoted = !quoted
      cur += c
    } else if (c === ',' && !quoted) {
      parts.push(cur)
      cur = ''
    } else cur += c
  }
  parts.push(cur)
  return parts
}

/** Auth schemes and realms of WWW-Authenticate values (RFC 9110 §11.6.1; several challenges per value). */
export function parseChallenges(values: readonly string[]): Array<{scheme: string; realm: string}> {
  const out: Array<{scheme: string; realm: string}> = []
  for (const v of values) {
    let current: {scheme: string; realm: string} | undefined
    for (const piece of splitOutsideQuotes(v)) {
      const text = piece.trim()
      if (!text) continue
      const start = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+(.*))?$/s.exec(text)
      let param = text
      if (start && !/^\s*=/.test(text.slice(start[1]!.length))) {
        const scheme = start[1]!
        current = {scheme: /^basic$/i.test(scheme) ? 'Basic' : /^digest$/i.test(scheme) ? 'Digest' : scheme, realm: ''}
        out.push(current)
        param = start[2] ?? ''
      }
      const realm = /^realm\s*=\s*(?:"((?:[^"\\]|\\.)*)"|(\S*))/i.exec(param.trim())
      if (realm && current) current.realm = (realm[1] ?? realm[2] ?? '').slice(0, 120)
    }
  }
  return out
}
