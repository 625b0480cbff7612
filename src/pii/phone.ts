/**
 * Phone numbers: international E.164 form (`+` country code, 8–15 digits, optional separators) and national
 * forms that carry separators: a bracketed area code `(555) 123-4567`, the North American 3-3-4 grouping
 * `555-123-4567`, and trunk-prefix numbers `020 7946 0958` / `0171 1234567` / `01 23 45 67 89` (10–11 digits).
 * Bare digit runs, versions, dates, addresses, serials and times are not phones. After a phone keyword
 * ("Tel:", "Mobile") or in a phone-named JSON field, any 7–15 digit number counts.
 * Toll-free numbers (1-800 …, 0800 …) are service lines, not personal, and are not reported.
 */
import {continuesAfter, isWordChar} from './boundaries.js'
import type {PiiSpan} from './types.js'

/**
 * A candidate: digits with space/tab ( ) . - between; newlines split candidates (HTML cells become lines).
 * Never starting inside a token (a word, "1.2", "12:30", "a-1", a path): the engine moves on to the next start.
 */
const CANDIDATE_RE = /(?<![A-Za-z0-9_.\-\/@#+]|\d:)[+(]?\d[\d \t().\-]{5,24}\d\)?/g

const KEYWORD_BEFORE = /\b(?:tel|telephone|phone|ph|mobile|mob|cell|fax|call|caller[ \t]?id|msisdn|whatsapp)\.?[ \t]*(?:no\.?|number|nr\.?|#)?[ \t]*[:=]?[ \t]*$/i
/** Numbers introduced by these words are identifiers, not phones. */
const NOT_PHONE_BEFORE = /\b(?:s\/?n|serial|sn|p\/?n|part|model|build|version|ver|v|rev|revision|id|sku|ean|upc|imei|mac|uptime|bytes|packets|pid|port|vlan|order|invoice|ticket|lot|batch|code|product)\b\.?[ \t]*(?:no\.?|number|#)?[ \t]*[:=#]?[ \t]*$/i

const INTERNATIONAL = /^\+[1-9]/
const BRACKETED_AREA = /^\(\d{2,5}\)[ \t]?\d{2,5}(?:[ \t\-]\d{2,5}){0,3}$/
const NORTH_AMERICAN = /^(?:1([ .\-]))?[2-9]\d{2}([ .\-])\d{3}\2\d{4}$/
const TRUNK_PREFIX = /^0\d{1,4}(?:([ \t\-])\d{2,8})(?:\1\d{2,8}){0,3}$/
/** Toll-free service numbers (NANP 8xx, UK/EU 0800/0808, UIFN +800) belong to organisations, never to a person. */
const TOLL_FREE = /^(?:\+?1)?(?:800|833|844|855|866|877|888)\d{7}$|^0800\d{6,7}$|^0808\d{6,7}$|^\+?800\d{8}$/
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/
const DATE = /(?:^|\D)(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})(?:\D|$)/

export interface PhoneContext {
  /** The value sits in a field named like a phone (JSON key "phone", "mobile" …): looser rules apply. */
  keyed?: boolean
}

/** Strips a dangling bracket the candidate pattern picked up. */
function trimCandidate(raw: string, start: number): {raw: string; start: number} {
  let r = raw
  let s = start
  if (r.endsWith(')') && (r.match(/\(/g) ?? []).length < (r.match(/\)/g) ?? []).length) r = r.slice(0, -1)
  if (r.startsWith('(') && !r.includes(')')) {
    r = r.slice(1)
    s++
  }
  return {raw: r, start: s}
}

function digitsOf(raw: string): string {
  return raw.replace(/\D/g, '')
}

/** Judges one trimmed candidate with its surroundings. */
export function isPhone(raw: string, keyword: boolean): boolean {
  const digits = digitsOf(raw)
  if (digits.length < 7 || digits.length > 15) return false
  if (TOLL_FREE.test((raw.trim().startsWith('+') ? '+' : '') + digits)) return false
  if (IPV4.test(raw)) return false
  if (/\d\.\d+\.\d/.test(raw) && !NORTH_AMERICAN.test(raw) && !INTERNATIONAL.test(raw)) return false
  if (INTERNATIONAL.test(raw)) return digits.length >= 8 && !DATE.test(raw.slice(1))
  if (DATE.test(raw)) return false
  if (keyword) return true
  if (digits.length < 9) return false
  if (BRACKETED_AREA.test(raw)) return digits.length <= 12
  if (NORTH_AMERICAN.test(raw)) return true
  if (TRUNK_PREFIX.test(raw)) return digits.length >= 10 && digits.length <= 11
  return false
}

/** The candidate, then its shorter prefixes ending at a group boundary: "555-0101 (24/7)" keeps "555-0101". */
function attempts(raw: string): string[] {
  const out = [raw]
  let digits = digitsOf(raw).length
  for (let i = raw.length - 1; i > 0 && digits >= 7; i--) {
    if (/\d/.test(raw[i])) digits--
    else if (/\d/.test(raw[i - 1]) && /[ \t(.\-]/.test(raw[i]) && digits >= 7) out.push(raw.slice(0, i))
  }
  return out
}

/** The phone starting at `start` and ending at or before `end`, judged with its surroundings. */
function phoneAt(text: string, start: number, end: number, keyed: boolean): PiiSpan | undefined {
  const trimmed = trimCandidate(text.slice(start, end), start)
  const s = trimmed.start
  const prev = text[s - 1]
  // Part of a longer token: a word, a dotted/dashed/slashed number, an address, a time "12:30".
  if (isWordChar(prev) || (prev !== undefined && '.-/@#_+'.includes(prev))) return undefined
  if (prev === ':' && /\d/.test(text[s - 2] ?? '')) return undefined
  const before = text.slice(Math.max(0, s - 32), s)
  // A phone keyword wins over an identifier word before it ("Caller ID: 020 …").
  const keyword = keyed || KEYWORD_BEFORE.test(before)
  if (!keyword && NOT_PHONE_BEFORE.test(before)) return undefined
  for (const raw of attempts(trimmed.raw)) {
    const e = s + raw.length
    if (continuesAfter(text, e)) continue
    if (isPhone(raw, keyword)) return {type: 'phone', start: s, end: e, value: raw}
  }
  return undefined
}

export function findPhones(text: string, context: PhoneContext = {}): PiiSpan[] {
  const out: PiiSpan[] = []
  for (const m of text.matchAll(CANDIDATE_RE)) {
    const end = m.index + m[0].length
    // The candidate from its start, then from a "+" or "(" inside it ("port 12 (202) 555-0143").
    const starts = [m.index]
    for (let i = 1; i < m[0].length; i++) if ((m[0][i] === '+' || m[0][i] === '(') && /[ \t]/.test(m[0][i - 1])) starts.push(m.index + i)
    for (const start of starts) {
      const span = phoneAt(text, start, end, context.keyed === true)
      if (span !== undefined) {
        out.push(span)
        break
      }
    }
  }
  return out
}

/** Digits only, with a leading + kept: "+44 20 7946 0958" and "+44-20-7946-0958" are one value. */
export function normalisePhone(phone: string): string {
  // "+44 (0)20 …" and "+44 20 …" are one number: the bracketed trunk 0 is dialled only nationally.
  return (phone.trim().startsWith('+') ? '+' : '') + digitsOf(phone.replace(/\(0\)/g, ''))
}

export function isPhoneKey(key: string): boolean {
  return /phone|msisdn|^(?:tel|fax|mobile|cell)(?:[_\-]?(?:no|num|number))?$|[a-z_\-](?:tel|fax|mobile)$/i.test(key)
}
