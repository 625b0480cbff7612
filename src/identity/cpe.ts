/**
 * CPE 2.3 candidates (ITU-T X.1528 / X.1528.1 ≙ NISTIR 7695) from banners, headers and sysDescr strings, driven
 * by the data table data/identity/cpe-patterns.json. Pure.
 */
import {readFileSync} from 'node:fs'

import {projectPath} from '../util/paths.js'
import type {ProductMatch} from './types.js'

export interface CpePattern {
  id: string
  sources: string[]
  regex: RegExp
  /** Capture group holding the version / hardware model. */
  version?: number
  model?: number
  part: 'a' | 'o' | 'h'
  vendor: string
  product: string
  /** Human name of the product. */
  name: string
  /** Set for firmware/OS rows whose maker is the device vendor (e.g. Cisco IOS → Cisco). */
  deviceVendor?: string
}

export interface CpeTable {
  patterns: CpePattern[]
  firmware: {sources: string[]; regex: RegExp}
}

/**
 * A CPE 2.3 formatted-string attribute value (NISTIR 7695 §5.3.2, §6.2.2.2): lower case, whitespace as `_`, and
 * every printable character other than a letter, digit, `_`, `.` or `-` quoted with `\`. Empty → `*` (ANY).
 * Non-printable or non-ASCII characters cannot appear in a WFN value and are dropped.
 */
export function cpeEscape(value: string): string {
  const v = value.trim().toLowerCase().replace(/\s+/g, '_')
  let out = ''
  for (const ch of v) {
    const code = ch.codePointAt(0) ?? 0
    if (code < 0x21 || code > 0x7e) continue
    out += /[a-z0-9_.-]/.test(ch) ? ch : `\\${ch}`
  }
  return out === '' ? '*' : out
}

/** `cpe:2.3:part:vendor:product:version:*:*:*:*:*:*:*` */
export function formatCpe(part: 'a' | 'o' | 'h', vendor: string, product: string, version: string): string {
  return ['cpe', '2.3', part, cpeEscape(vendor), cpeEscape(product), cpeEscape(version), '*', '*', '*', '*', '*', '*', '*'].join(':')
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function fail(message: string): never {
  throw new Error(`data/identity/cpe-patterns.json: ${message}`)
}

/** Validates and compiles the parsed JSON table (exported for tests). */
export function buildCpeTable(raw: unknown): CpeTable {
  if (!isRecord(raw) || !Array.isArray(raw.patterns)) fail('no patterns array')
  const ids = new Set<string>()
  const patterns = raw.patterns.map((p, index): CpePattern => {
    if (!isRecord(p) || typeof p.id !== 'string' || ids.has(p.id)) fail(`pattern ${index}: missing or duplicate id`)
    ids.add(p.id)
    if (typeof p.regex !== 'string' || !Array.isArray(p.sources) || !p.sources.every((s) => typeof s === 'string')) fail(`${p.id}: regex/sources`)
    if (p.part !== 'a' && p.part !== 'o' && p.part !== 'h') fail(`${p.id}: part must be a, o or h`)
    if (typeof p.vendor !== 'string' || typeof p.product !== 'string' || typeof p.name !== 'string') fail(`${p.id}: vendor/product/name`)
    const out: CpePattern = {
      id: p.id,
      sources: p.sources as string[],
      regex: new RegExp(p.regex, typeof p.flags === 'string' ? p.flags : ''),
      part: p.part,
      vendor: p.vendor,
      product: p.product,
      name: p.name,
    }
    if (typeof p.version === 'number') out.version = p.version
    if (typeof p.model === 'number') out.model = p.model
    if (typeof p.deviceVendor === 'string') out.deviceVendor = p.deviceVendor
    return out
  })
  const fw = raw.firmwarePhrases
  if (!isRecord(fw) || typeof fw.regex !== 'string' || !Array.isArray(fw.sources)) fail('firmwarePhrases')
  return {patterns, firmware: {sources: fw.sources as string[], regex: new RegExp(fw.regex, typeof fw.flags === 'string' ? `${fw.flags}g` : 'g')}}
}

let cached: CpeTable | undefined

export function cpeTable(): CpeTable {
  cached ??= buildCpeTable(JSON.parse(readFileSync(projectPath('data', 'identity', 'cpe-patterns.json'), 'utf8')))
  return cached
}

/** Bound on the text one pattern looks at: banners are short; a hostile device may send megabytes. */
const MAX_TEXT = 4096

/** Products recognised in one piece of text seen at `source` ("ssh.banner", "http.server" …) on `service`. */
export function matchProducts(text: string, source: string, service: string, table: CpeTable = cpeTable()): ProductMatch[] {
  const t = text.slice(0, MAX_TEXT)
  const out: ProductMatch[] = []
  for (const p of table.patterns) {
    if (!p.sources.includes(source)) continue
    const m = p.regex.exec(t)
    if (!m) continue
    const match: ProductMatch = {pattern: p.id, source, service, part: p.part, vendor: p.vendor, product: p.product}
    const version = p.version !== undefined ? m[p.version] : undefined
    const model = p.model !== undefined ? m[p.model] : undefined
    if (version) {
      match.version = version
      match.cpe = formatCpe(p.part, p.vendor, p.product, version)
    }
    if (model) match.model = model
    out.push(match)
  }
  return out
}

/** Versions stated as the firmware in free text ("firmware 3.1.7"). */
export function firmwarePhrases(text: string, source: string, table: CpeTable = cpeTable()): string[] {
  if (!table.firmware.sources.includes(source)) return []
  const out: string[] = []
  for (const m of text.slice(0, MAX_TEXT).matchAll(table.firmware.regex)) if (m[1]) out.push(m[1])
  return out
}

/** The device vendor a firmware/OS pattern implies (Cisco IOS → Cisco), if any. */
export function deviceVendorOf(patternId: string, table: CpeTable = cpeTable()): string | undefined {
  return table.patterns.find((p) => p.id === patternId)?.deviceVendor
}
