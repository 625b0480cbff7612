/**
 * Minimal HTML scanning for what the crawl and the checks need: links (href/src/action), forms with their
 * action, method and whether they hold a password input, and the <title>. Regex-based on purpose: device
 * pages are small and often malformed, and only these few attributes matter. Input is capped by the caller.
 */

export interface HtmlForm {
  /** Absolute action URL (the page URL when the attribute is absent or empty, per HTML). */
  action: string
  method: string
  hasPassword: boolean
}

const ATTR = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')

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
  for (const m of html.matchAll(/\s(?:href|src|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const ref = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '')
    if (!ref || ref.startsWith('#') || /^(?:javascript|mailto|data|tel):/i.test(ref)) continue
    const url = resolve(ref, base)
    if (url) out.add(url.replace(/#.*$/, ''))
  }
  return [...out]
}

export function extractForms(html: string, base: string): HtmlForm[] {
  const forms: HtmlForm[] = []
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)(?:<\/form\s*>|$)/gi)) {
    const open = ` ${m[1] ?? ''}`
    const inner = m[2] ?? ''
    const actionAttr = attr(open, 'action')
    const action = (actionAttr ? resolve(actionAttr, base) : undefined) ?? base
    const method = (attr(open, 'method') ?? 'GET').toUpperCase()
    const hasPassword = [...inner.matchAll(/<input\b([^>]*)>/gi)].some((i) => (attr(` ${i[1] ?? ''}`, 'type') ?? '').toLowerCase() === 'password')
    forms.push({action, method, hasPassword})
  }
  return forms
}

export function extractTitle(html: string): string {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)
  return m ? decodeEntities(m[1] ?? '').replace(/\s+/g, ' ').trim().slice(0, 120) : ''
}
