/**
 * MAC addresses: six hex octets joined by ':' or '-' (one separator throughout), or Cisco's dotted
 * xxxx.xxxx.xxxx. Not the all-zero and broadcast addresses (placeholders, not a device's identity), not a
 * window of a longer colon list (SSH/TLS fingerprints, IPv6). The dotted form needs at least one hex letter,
 * so a dotted version "2019.1001.0001" is not a MAC.
 */
import {isWordChar} from './boundaries.js'
import type {PiiSpan} from './types.js'

// Never starting inside a word: "MAC:00:…" must not be read from its "AC".
const COLON_RE = /(?<![0-9A-Za-z])[0-9A-Fa-f]{2}([:\-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}/g
const DOTTED_RE = /(?<![0-9A-Za-z])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}/g
const HEX = /[0-9A-Fa-f]/

/** The 12 hex digits, lower case. */
export function normaliseMac(mac: string): string {
  return mac.replace(/[^0-9A-Fa-f]/g, '').toLowerCase()
}

function placeholder(hex: string): boolean {
  return hex === '000000000000' || hex === 'ffffffffffff'
}

/** Joined to more hex groups after: "…:5e:7f" or "…-5e". */
function continuesGroups(text: string, end: number, seps: string): boolean {
  const next = text[end]
  if (next === undefined) return false
  if (isWordChar(next)) return true
  return seps.includes(next) && HEX.test(text[end + 1] ?? '')
}

/** Joined to hex groups before: "ab:" + match. A label "MAC:" is not a group (its letters run on). */
function continuesGroupsBefore(text: string, start: number, seps: string): boolean {
  const prev = text[start - 1]
  if (prev === undefined) return false
  // "+05:30:…" is a time offset, ".00:…" a fraction: not a standalone MAC.
  if (isWordChar(prev) || prev === '.' || prev === '+') return true
  if (!seps.includes(prev)) return false
  const group = /([0-9A-Fa-f]{1,4})$/.exec(text.slice(Math.max(0, start - 6), start - 1))
  return group !== null && !isWordChar(text[start - 1 - group[1].length - 1])
}

export function findMacs(text: string): PiiSpan[] {
  const out: PiiSpan[] = []
  for (const m of text.matchAll(COLON_RE)) {
    const start = m.index
    const end = start + m[0].length
    if (continuesGroups(text, end, ':-.') || continuesGroupsBefore(text, start, ':-')) continue
    if (placeholder(normaliseMac(m[0]))) continue
    out.push({type: 'mac', start, end, value: m[0]})
  }
  for (const m of text.matchAll(DOTTED_RE)) {
    const start = m.index
    const end = start + m[0].length
    if (continuesGroups(text, end, '.:-') || continuesGroupsBefore(text, start, '.:-')) continue
    if (!/[A-Fa-f]/.test(m[0]) || placeholder(normaliseMac(m[0]))) continue
    out.push({type: 'mac', start, end, value: m[0]})
  }
  return out
}
