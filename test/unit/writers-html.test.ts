import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {DATA_EXCERPT_CHARS, esc, htmlWriter} from '../../src/writers/html.js'
import {ARTIFACT_MARKER, labReport, TRICKY, trickyReport} from '../helpers/writer-reports.js'
import {parseXml, type XmlElement} from '../helpers/mini-xml.js'

/** The page is written as polyglot HTML: past the doctype it is well-formed XML, which the strict reader checks. */
function parsePage(html: string): XmlElement {
  expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true)
  return parseXml(html.slice('<!DOCTYPE html>\n'.length))
}

function* walk(el: XmlElement): Generator<XmlElement> {
  yield el
  for (const c of el.children) yield* walk(c)
}

/** The page's text in document order: tags dropped, the five entities and numeric references decoded. */
const pageText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#(\d+)|amp|lt|gt|quot);/g, (_m, ref: string, num?: string) =>
      num !== undefined ? String.fromCodePoint(Number(num)) : ({amp: '&', lt: '<', gt: '>', quot: '"'} as Record<string, string>)[ref],
    )

/** Everything that would make a browser fetch something. */
const ASSET_REF = [
  /\b(src|href|action|srcset|poster|data|formaction|xlink:href)\s*=\s*["']?\s*(https?:)?\/\//i,
  /url\(\s*["']?\s*(https?:)?\/\//i,
  /@import/i,
  /<link\b/i,
  /<(img|iframe|object|embed|video|audio|source)\b/i,
  /<script\b[^>]*\bsrc\s*=/i,
]

describe('html writer', () => {
  let lab: Report
  beforeAll(async () => {
    lab = await labReport()
  })

  it('esc escapes the five HTML-significant characters and replaces characters a page may not hold', () => {
    expect(esc(`& < > " '`)).toBe('&amp; &lt; &gt; &quot; &#39;')
    expect(esc('a\u0000b\u0001c\ud800d')).toBe('a\ufffdb\ufffdc\ufffdd')
    expect(esc('日本 🔐')).toBe('日本 🔐')
  })

  it.each([['lab'], ['tricky']])('%s: a complete, well-formed page', (which) => {
    const report = which === 'lab' ? lab : trickyReport()
    const html = htmlWriter.write(report)
    const root = parsePage(html)
    expect(root.name).toBe('html')
    expect(root.attrs.lang).toBe('en')
    expect(root.children.map((c) => c.name)).toEqual(['head', 'body'])
    const els = [...walk(root)]
    expect(els.some((e) => e.name === 'meta' && e.attrs.charset === 'utf-8')).toBe(true)
    expect(root.children[0].children.filter((e) => e.name === 'title')).toHaveLength(1)
    // Anchors are unique and every in-page link resolves.
    const ids = els.map((e) => e.attrs.id).filter((id): id is string => id !== undefined)
    expect(new Set(ids).size).toBe(ids.length)
    for (const e of els) if (e.attrs.href !== undefined) expect(ids).toContain(e.attrs.href.replace(/^#/, ''))
    // One <details> per finding, one device-table row and one findings section per device.
    expect(els.filter((e) => e.name === 'details')).toHaveLength(report.devices.reduce((n, d) => n + d.findings.length, 0))
    const deviceTable = els.find((e) => e.name === 'table' && e.attrs.class === 'devices')!
    expect([...walk(deviceTable)].filter((e) => e.name === 'tr')).toHaveLength(report.devices.length + 1)
    // The matrix: one row per check, one column per device.
    const matrix = els.find((e) => e.name === 'table' && e.attrs.class === 'matrix')!
    const checks = new Set(report.devices.flatMap((d) => d.findings.map((f) => f.check)))
    const rows = [...walk(matrix)].filter((e) => e.name === 'tr')
    expect(rows).toHaveLength(checks.size + 1)
    for (const row of rows.slice(1)) expect(row.children.filter((c) => c.name === 'td')).toHaveLength(report.devices.length + 1)
    expect(els.filter((e) => e.name === 'svg')).toHaveLength(2)
    expect(html.endsWith('\n')).toBe(true)
  })

  it('escapes the tricky strings everywhere they appear', () => {
    const report = trickyReport()
    const html = htmlWriter.write(report)
    for (const raw of [TRICKY.deviceName, TRICKY.title, TRICKY.reference.clause, '<C & D>', '<no answer>']) expect(html).not.toContain(raw)
    expect(html).toContain(esc(TRICKY.deviceName))
    expect(html).toContain('=cmd()|&quot;Cam, Ünïcødé 日本&quot; &lt;&amp;&gt; &#39;x&#39;')
    expect(html).toContain('@title, with &quot;quotes&quot; | and &lt;tags&gt;')
    expect(html).toContain('§8.2 &quot;a&quot; &lt;b&gt; &amp; c')
    expect(html).not.toMatch(/[\u0000\u0001]/)
    // Parsed back, the text is the report's (control characters aside).
    parsePage(html)
    const text = pageText(html)
    expect(text).toContain(TRICKY.deviceName)
    expect(text).toContain('and <C & D> | pipes | =SUM(1) ünïcødé 🔐 \ufffdctl\ufffd')
    // Device-level findings and dangling evidence ids render too.
    expect(text).toContain('scan.reachability')
    expect(text).toContain('obs-0000000000000002 (not in the report)')
  })

  it.each([['lab'], ['tricky']])('%s: references no external asset and loads nothing from the network', (which) => {
    const report = which === 'lab' ? lab : trickyReport()
    const html = htmlWriter.write(report)
    for (const re of ASSET_REF) expect(html).not.toMatch(re)
    expect(html).toContain('default-src &#39;none&#39;')
    // http(s):// may appear only as report text (service ids like https://host:443), never in an attribute.
    const root = parsePage(html)
    for (const e of walk(root)) {
      for (const [name, value] of Object.entries(e.attrs)) {
        if (name !== 'title' && name !== 'aria-label') expect(value, `${e.name}@${name}`).not.toMatch(/https?:/i)
      }
    }
    // Host (bracketed IPv6 or name/IPv4) and port only: a title like "http://127.0.0.1:80: Pass" must not
    // swallow the colon after the port.
    const stripped = html.replace(/https?:\/\/(?:\[[\w:.]+\]|[\w.-]+)(?::\d+)?/g, (m) => (report.devices.some((d) => JSON.stringify(d).includes(m)) ? '' : m))
    expect(stripped).not.toMatch(/https?:\/\//)
  })

  it('shows evidence by probe, time, data excerpt and artifact hash, never artifact contents', () => {
    const report = trickyReport()
    const html = htmlWriter.write(report)
    expect(html).not.toContain(ARTIFACT_MARKER)
    const obs = report.devices[0].observations[0]
    expect(html).toContain(obs.artifacts[0].sha256)
    expect(html).toContain(obs.collectedAt)
    expect(html).toContain('test.raw-capture')
    expect(html).toContain(esc(JSON.stringify(obs.data, null, 2)))
  })

  it('caps the data excerpt of a large observation', () => {
    const report = trickyReport()
    const big = 'x'.repeat(50_000)
    report.devices[0].observations[0].data = {big}
    const html = htmlWriter.write(report)
    expect(html).not.toContain(big.slice(0, DATA_EXCERPT_CHARS + 10))
    expect(html).toContain('x'.repeat(DATA_EXCERPT_CHARS - 20))
    expect(html).toMatch(/excerpt: 4096 of \d+ characters/)
  })

  it('is deterministic and does not depend on JSON key order or object identity', () => {
    for (const report of [lab, trickyReport()]) {
      expect(htmlWriter.write(JSON.parse(JSON.stringify(report)) as Report)).toBe(htmlWriter.write(report))
      expect(htmlWriter.write(structuredClone(report))).toBe(htmlWriter.write(report))
    }
  })
})
