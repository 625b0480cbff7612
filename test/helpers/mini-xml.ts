/**
 * A deliberately strict, tiny XML 1.0 reader for tests: elements, attributes, text, the five predefined
 * entities and numeric character references. It throws on anything not well-formed that the writers could
 * plausibly produce: unbalanced or mismatched tags, raw < or & in text/attributes, unknown entities,
 * duplicate attributes, characters XML 1.0 forbids, more than one root.
 */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*'
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const PREDEFINED: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"}

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw '<' in ${where}`)
  return raw.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated entity in ${where}: ${m}`)
    if (ref in PREDEFINED) return PREDEFINED[ref]
    const num = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1] ?? /^#([0-9]+)$/.exec(ref)?.[1]
    if (num === undefined) throw new Error(`unknown entity &${ref}; in ${where}`)
    const c = String.fromCodePoint(ref.startsWith('#x') ? parseInt(num, 16) : parseInt(num, 10))
    if (ILLEGAL.test(c)) throw new Error(`illegal character reference &${ref}; in ${where}`)
    return c
  })
}

export function parseXml(xml: string): XmlElement {
  const bad = ILLEGAL.exec(xml)
  if (bad) throw new Error(`illegal XML character U+${bad[0].codePointAt(0)?.toString(16)} at ${bad.index}`)
  let pos = 0
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml)
  if (decl) pos = decl[0].length
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  const tag = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>`, 'y')
  const attr = new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g')
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos)
    const text = xml.slice(pos, lt === -1 ? xml.length : lt)
    if (stack.length > 0) stack[stack.length - 1].text += decode(text, 'text')
    else if (text.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(text)}`)
    if (lt === -1) break
    tag.lastIndex = lt
    const m = tag.exec(xml)
    if (!m) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 60))}`)
    const [whole, close, name, rawAttrs, selfClose] = m
    pos = lt + whole.length
    if (close) {
      if (rawAttrs || selfClose) throw new Error(`malformed end tag ${whole}`)
      const open = stack.pop()
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`)
      continue
    }
    const el: XmlElement = {name, attrs: {}, children: [], text: ''}
    for (const a of rawAttrs.matchAll(attr)) {
      if (a[1] in el.attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`)
      el.attrs[a[1]] = decode(a[2], `attribute ${a[1]}`)
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(el)
    else if (root) throw new Error('more than one root element')
    else root = el
    if (!selfClose) stack.push(el)
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1].name}>`)
  if (!root) throw new Error('no root element')
  return root
}

export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name)
