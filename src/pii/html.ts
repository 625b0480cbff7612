/**
 * HTML to the text a visitor (or a scraper) can read: script, style and comment content dropped, tags turned
 * into line breaks (so table cells do not run together into one long "number"), the values of value / href /
 * title / alt / content / data-* attributes kept (a pre-filled form field or a mailto: link is data on the page),
 * basic entities decoded. A linear scan: no regular expression spans a whole tag, so a page of unclosed "<"
 * cannot make it quadratic.
 */

const KEPT_ATTRIBUTES = new Set(['value', 'href', 'title', 'alt', 'content'])
const RAW_TEXT_ELEMENTS = ['script', 'style', 'noscript', 'template']
// Bounded pieces: a hostile tag of unclosed quotes or endless names costs linear time.
const ATTRIBUTE_RE = /([A-Za-z_:][-A-Za-z0-9_:.]{0,63})[ \t\n\r]{0,8}=[ \t\n\r]{0,8}(?:"([^"]{0,4096})"|'([^']{0,4096})'|([^\s"'>]{1,4096}))/g

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', commat: '@', period: '.', plus: '+', lpar: '(',
  rpar: ')', hyphen: '-', dash: '-', colon: ':', comma: ',', deg: '°',
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10)
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : ' '
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole
  })
}

function keptAttributeValues(tag: string): string {
  const kept: string[] = []
  for (const m of tag.matchAll(ATTRIBUTE_RE)) {
    const name = m[1].toLowerCase()
    if (!KEPT_ATTRIBUTES.has(name) && !name.startsWith('data-')) continue
    const value = (m[2] ?? m[3] ?? m[4] ?? '').replace(/^(?:mailto|tel|callto|sms):/i, '')
    if (value) kept.push(value)
  }
  return kept.join('\n')
}

/** The visible text of an HTML document, one line per tag boundary. */
export function htmlToText(html: string): string {
  const out: string[] = []
  const lower = html.toLowerCase()
  let i = 0
  // The next '>' at or after the scan position, found once per '>' (many '<' before one '>' stay linear).
  let gt = -1
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    if (lt < 0) {
      out.push(html.slice(i))
      break
    }
    out.push(html.slice(i, lt))
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4)
      i = close < 0 ? html.length : close + 3
      out.push('\n')
      continue
    }
    if (gt <= lt) gt = html.indexOf('>', lt + 1)
    if (gt < 0) {
      // No '>' anywhere after: the rest is text ("a < b").
      out.push(html.slice(lt))
      break
    }
    const tag = html.slice(lt + 1, gt)
    const name = /^\/?([A-Za-z][A-Za-z0-9-]*)/.exec(tag)?.[1]?.toLowerCase()
    if (name === undefined) {
      out.push('<')
      i = lt + 1
      continue
    }
    out.push('\n', keptAttributeValues(tag), '\n')
    i = gt + 1
    if (tag[0] !== '/' && RAW_TEXT_ELEMENTS.includes(name)) {
      const close = lower.indexOf(`</${name}`, i)
      i = close < 0 ? html.length : close
    }
  }
  return decodeEntities(out.join(''))
}

/**
 * Content type says HTML; or the body starts like a whole document whatever the label (embedded servers
 * send pages as text/plain or even application/json); or, with no content type, it starts with any tag.
 */
export function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  if (contentType !== undefined && /html|xml/i.test(contentType)) return true
  const head = text.slice(0, 1024)
  if (/^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(head)) return true
  return (contentType === undefined || contentType === '') && /^\s*(?:<\?xml|<[a-z][a-z0-9]*[\s>\/])/i.test(head)
}
