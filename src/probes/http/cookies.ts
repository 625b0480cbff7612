/**
 * Set-Cookie parsing (RFC 6265 §4.1 syntax, §5.2 lenient attribute handling) for the flags the checks read.
 * A cookie value never leaves this module: the redacted header keeps the name and attributes only.
 */

export interface ParsedCookie {
  name: string
  secure: boolean
  httpOnly: boolean
  sameSite: string
  /** Other attributes as sent (Path, Domain, Expires, Max-Age …), values kept: they are not secrets. */
  attributes: string[]
}

/** nmap http-cookie-flags session patterns, plus short identifiers devices use (sid, auth, token). */
const SESSION_PATTERNS = [
  /^PHPSESSID$/,
  /^CFID$/,
  /^CFTOKEN$/,
  /^VOXSQSESS$/,
  /^CAKEPHP$/,
  /^FedAuth$/,
  /^ASPXAUTH$/,
  /^session$/,
  /session[^a-z]*id/i,
  /^(?:__(?:Host|Secure)-)?(?:sid|sess|session|auth|token|jwt|jsessionid|asp\.net_sessionid)$/i,
]

export function isSessionCookieName(name: string): boolean {
  return SESSION_PATTERNS.some((p) => p.test(name))
}

/** One Set-Cookie header value; undefined when it has no name=value pair (ignored per RFC 6265 §5.2). */
export function parseSetCookie(header: string): ParsedCookie | undefined {
  const [pair = '', ...attrs] = header.split(';')
  const eq = pair.indexOf('=')
  if (eq < 0) return undefined
  const name = pair.slice(0, eq).trim()
  if (!name) return undefined
  const cookie: ParsedCookie = {name, secure: false, httpOnly: false, sameSite: '', attributes: []}
  for (const a of attrs) {
    const text = a.trim()
    if (!text) continue
    const i = text.indexOf('=')
    const key = (i < 0 ? text : text.slice(0, i)).trim().toLowerCase()
    const value = i < 0 ? '' : text.slice(i + 1).trim()
    if (key === 'secure') cookie.secure = true
    else if (key === 'httponly') cookie.httpOnly = true
    else if (key === 'samesite') cookie.sameSite = value || 'present'
    else cookie.attributes.push(text)
  }
  return cookie
}

/** `name=<redacted>; Path=/; Secure; HttpOnly; SameSite=Strict` — the name and attributes, never the value. */
export function redactSetCookie(header: string): string {
  const [pair = '', ...attrs] = header.split(';')
  const eq = pair.indexOf('=')
  const name = eq < 0 ? '' : pair.slice(0, eq).trim()
  return [name ? `${name}=<redacted>` : '<redacted>', ...attrs.map((a) => a.trim()).filter(Boolean)].join('; ')
}

/** A request Cookie header: names only. */
export function redactCookieHeader(header: string): string {
  return header
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `${p.split('=')[0]!.trim()}=<redacted>`)
    .join('; ')
}
