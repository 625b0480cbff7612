/**
 * What of a device's responses may appear in evidence: URLs with query values masked (they carry session
 * ids and tokens on many devices), and short text excerpts with digits, e-mail addresses and JSON string
 * values masked. Bodies where personal data was detected get no excerpt at all (ITU-T X.1058 hygiene).
 */

export const EXCERPT_CHARS = 200

/** A credential-like key with a non-empty value: JSON ("password": "x"), INI/shell (psk=x), XML (<pass>x<). */
export const CREDENTIAL_FIELD =
  /\b(?:[\w.-]{0,32}[_.-])?(?:pass(?:word|wd)?|pwd|secret|psk|wpa_?key|community|api_?key|token)\b["']?\s*[:=]\s*["']?[^\s"'<,}]|<(?:pass(?:word|wd)?|pwd|secret|psk|community)>[^<\s]/i

/** Absolute URL of `ref` against `base` with every query value and the fragment dropped; `ref` as given
 *  (truncated) when it is not a URL. */
export function redactUrl(ref: string, base?: string): string {
  let url: URL
  try {
    url = base === undefined ? new URL(ref) : new URL(ref, base)
  } catch {
    return ref.length > 200 ? `${ref.slice(0, 200)}…` : ref
  }
  // User info is dropped entirely; non-empty query values become <redacted>, names are kept.
  const params = url.search
    .slice(1)
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=')
      return eq < 0 || eq === p.length - 1 ? p : `${p.slice(0, eq)}=<redacted>`
    })
  const query = params.length ? `?${params.join('&')}` : ''
  const text = `${url.protocol}//${url.host}${url.pathname}${query}`
  return text.length > 400 ? `${text.slice(0, 400)}…` : text
}

const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}/g

/** Masks e-mail addresses and every digit, drops control characters, collapses whitespace. */
export function maskText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(/\d/g, '#')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** JSON with every string value replaced by "…" (keys kept), so field names show without their values. */
function maskJsonValues(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.)*)"(\s*)(:?)/g, (_all, inner: string, space: string, colon: string) =>
    colon ? `"${inner}"${space}:` : '"…"',
  )
}

/** A short evidence excerpt of a decoded text body, or null when it must not be shown (personal data found,
 *  or credential-like fields in the part the excerpt would come from). */
export function makeExcerpt(text: string, contentType: string, hasPersonalData: boolean): string | null {
  if (hasPersonalData || CREDENTIAL_FIELD.test(text.slice(0, 4096))) return null
  if (!/^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript))/i.test(contentType) && contentType !== '') return null
  const body = /json/i.test(contentType) ? maskJsonValues(text.slice(0, 4096)) : text.slice(0, 4096)
  const masked = maskText(body)
  return masked.length > EXCERPT_CHARS ? `${masked.slice(0, EXCERPT_CHARS - 1)}…` : masked
}
