/**
 * Minimal HTML scanning for what the crawl and the checks need: links (href/src/action), forms with their
 * action, method and whether they hold a password input, and the <title>. Regex-based on purpose (device
 * pages are small and often malformed, and only these few attributes matter), but every pattern is bounded
 * and only the first MAX_HTML_CHARS are read, so hostile markup costs linear time.
 */

export const MAX_HTML_CHARS = 128 * 1024
const MAX_LINKS = 500
const MAX_FORMS = 50
const MAX_ATTR = 2048

export interface HtmlForm {
  /** Absolute action URL (the page URL when the attribute is absent or empty, per HTML). */
  action: string
  method: string
  hasPassword: boolean
}

const VALUE = `(?:"([^"]{0,${MAX_ATTR}})"|'([^']{0,${MAX_ATTR}})'|([^\\s>"']{1,${MAX_ATTR}}))`
const ATTR = (name: string) => new RegExp(`\\s${name}\\s*=\\s*${VALUE}`, 'i')

function attr(tag: string, name: string): string | undefined {
  const m = ATTR(name).exec(tag)
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&#x2f;/gi, '/').replace(/&#47;/g, '/').replace(/&quot;/g, '"')
}

function resolve(ref: string, base: string): string | undefined {
  try {
    const url = new URL(ref.trim(), base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined
  } catch {
    return undefined
  }
}

/** Absolute http(s) URLs referenced by href, src and action attributes, in document order, unique. */
export function extractLinks(html: string, base: string): string[] {
  const out = new Set<string>()
  const re = new RegExp(`\\s(?:href|src|action)\\s*=\\s*${VALUE}`, 'gi')
  for (const m of html.slice(0, MAX_HTML_CHARS).matchAll(re)) {
    const ref = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '')
    if (!ref || ref.startsWith('#') || /^(?:javascript|mailto|data|tel):/i.test(ref)) continue
    const url = resolve(ref, base)
    if (url) out.add(url.replace(/#.*$/, ''))
    if (out.size >= MAX_LINKS) break
  }
  return [...out]
}

export function extractForms(html: string, base: string): HtmlForm[] {
  const text = html.slice(0, MAX_HTML_CHARS)
  const lower = text.toLowerCase()
  const forms: HtmlForm[] = []
  for (const m of text.matchAll(new RegExp(`<form\\b([^>]{0,${MAX_ATTR}})>`, 'gi'))) {
    const open = ` ${m[1] ?? ''}`
    const start = (m.index ?? 0) + m[0].length
    const close = lower.indexOf('</form', start)
    const inner = text.slice(start, close < 0 ? Math.min(text.length, start + 64 * 1024) : close)
    const actionAttr = attr(open, 'action')
    const action = (actionAttr ? resolve(actionAttr, base) : undefined) ?? base
    const method = (attr(open, 'method') ?? 'GET').toUpperCase()
    const hasPassword = [...inner.matchAll(new RegExp(`<input\\b([^>]{0,${MAX_ATTR}})>`, 'gi'))].some(
      (i) => (attr(` ${i[1] ?? ''}`, 'type') ?? '').toLowerCase() === 'password',
    )
    forms.push({action, method, hasPassword})
    if (forms.length >= MAX_FORMS) break
  }
  return forms
}

export function extractTitle(html: string): string {
  const text = html.slice(0, MAX_HTML_CHARS)
  const lower = text.toLowerCase()
  const open = lower.indexOf('<title')
  if (open < 0) return ''
  const gt = lower.indexOf('>', open)
  const end = lower.indexOf('</title', gt)
  if (gt < 0 || end < 0) return ''
  return decodeEntities(text.slice(gt + 1, Math.min(end, gt + 1 + 1024))).replace(/\s+/g, ' ').trim().slice(0, 120)
}
