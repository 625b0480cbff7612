/**
 * A deliberately conservative personal-data detector for short free-text fields (SNMP sysContact / sysLocation),
 * and the masking used to store what it finds. A miss is preferred over a false alarm:
 *  - e-mail: `local@domain.tld`, except role mailboxes (noc@, admin@, support@ …), which are not personal;
 *  - phone: an international number (`+` and 8–15 digits), a number right after a phone keyword
 *    (tel, phone, mobile, cell, fax) with 6–15 digits, or a grouped national number with 9–15 digits
 *    (`020 7946 0958`, `(555) 123-4567`); never dotted quads, versions, dates or plain digit runs;
 *  - person name: two or three capitalised words (`Jane Doe`, `Mary-Ann O'Neil`) with none of them a common
 *    place / organisation / equipment word, and either a first word from a small list of given names or the
 *    name written right next to an e-mail address or phone number in the same field.
 * Values are never returned: only the type and a masked form (`j***@e***.net`, `+** ** **** **58`, `J*** D***`).
 */
import type {PiiFieldSummary, PiiMatch, PiiType} from './types.js'

interface Span {
  type: PiiType
  start: number
  end: number
  redacted: string
}

const ROLE_MAILBOXES = new Set([
  'abuse', 'admin', 'administrator', 'contact', 'helpdesk', 'hostmaster', 'info', 'it', 'netadmin', 'netops',
  'network', 'noc', 'ops', 'operations', 'postmaster', 'root', 'security', 'service', 'snmp', 'soc', 'support',
  'sysadmin', 'sysop', 'webmaster', 'nobody', 'noreply', 'no-reply',
  // placeholders shipped in default configurations (Debian snmpd: "Me <me@example.org>")
  'me', 'you', 'user', 'someone',
])

/** Capitalised words that are not names in this context (places, rooms, organisations, equipment). */
const NOT_NAME_WORDS = new Set(
  (
    'Admin Administrator Building Cabinet Campus Center Centre Closet Company Data Department Desk Device Dept ' +
    'East Floor Gateway Group Hall Headquarters House Lab Level Main North Network Networks Office Operations ' +
    'Rack Road Room Router Row Server Service Services Site South Street Suite Support Switch System Systems ' +
    'Team Tower Unit West Wing Inc Ltd Corp Limited Please Call Contact Cisco Linux Net Snmp Firmware Version ' +
    'Default Unknown None Not Set Configured Sys Location Basement Upstairs Downstairs Warehouse Factory Plant ' +
    'Mail Email Phone Tel Fax Mobile Help Helpdesk Noc Security Engineering Facilities Internet Wireless Access ' +
    'Point Core Edge Distribution Branch Store Shop Home Living Kitchen Garage Attic Bedroom Lobby Reception'
  ).split(' '),
)

/** Common given names (a small list; a name next to an e-mail or phone is found without it). */
const GIVEN_NAMES = new Set(
  (
    'Aaron Adam Adrian Aisha Alan Albert Alex Alexander Alexandra Alice Amanda Amy Ana Andrea Andrew Angela Anna ' +
    'Anne Anthony Antonio Barbara Ben Benjamin Beth Bill Bob Brian Carl Carlos Carol Caroline Catherine Charles ' +
    'Charlie Chris Christian Christina Christine Christopher Claire Daniel David Deborah Dennis Diana Donald Dorothy ' +
    'Ed Edward Elena Elizabeth Emily Emma Eric Eva Frank Fatima Gary George Grace Hannah Harry Helen Henry Ian ' +
    'Isabel Jack Jacob James Jan Jane Janet Jason Jean Jeff Jennifer Jessica Jim Joan Joe John Jonathan Jose Joseph ' +
    'Juan Judy Julia Julie Karen Kate Kenneth Kevin Kim Laura Linda Lisa Lucy Luis Maria Mark Martin Mary Matthew ' +
    'Michael Michelle Mike Mohammed Nancy Nicholas Nicole Oliver Olga Patricia Patrick Paul Peter Rachel Raj ' +
    'Rebecca Richard Robert Ryan Sam Samuel Sandra Sarah Scott Sharon Sophie Stephen Steve Steven Susan Thomas Tim ' +
    'Tom Tony Victoria Wei William Yuki Zoe'
  ).split(' '),
)

function mask(word: string): string {
  return word.length === 0 ? '' : `${word[0]}***`
}

function redactEmail(email: string): string {
  const at = email.lastIndexOf('@')
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  const labels = domain.split('.')
  const tld = labels.pop() ?? ''
  return `${mask(local)}@${mask(labels[0] ?? '')}.${tld}`
}

function redactPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '').length
  let seen = 0
  return phone.replace(/\d/g, (d) => (++seen > digits - 2 ? d : '*'))
}

function redactName(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => mask(w))
    .join(' ')
}

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g
/** A candidate phone: starts with + ( or a digit, digits with space - . ( ) separators. */
const PHONE_RE = /(?:\+|\(|\b)\d[\d\s().-]{4,22}\d\b\)?/g
const PHONE_KEYWORD_RE = /(?:tel|phone|ph|mobile|mob|cell|fax)\.?\s*[:#]?\s*$/i
const NAME_WORD = String.raw`(?:[A-Z]'[A-Z][a-z]+|[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)`
const NAME_RE = new RegExp(String.raw`\b${NAME_WORD}(?:[ \t]+${NAME_WORD}){1,2}\b`, 'g')

function findEmails(text: string): Span[] {
  const out: Span[] = []
  for (const m of text.matchAll(EMAIL_RE)) {
    const email = m[0]
    const local = email.slice(0, email.lastIndexOf('@')).toLowerCase()
    if (ROLE_MAILBOXES.has(local)) continue
    out.push({type: 'email', start: m.index, end: m.index + email.length, redacted: redactEmail(email)})
  }
  return out
}

function findPhones(text: string, taken: Span[]): Span[] {
  const out: Span[] = []
  for (const m of text.matchAll(PHONE_RE)) {
    let raw = m[0]
    let start = m.index
    // Trim trailing separators and a dangling "(" / ")" picked up by the pattern.
    raw = raw.replace(/[\s.-]+$/, '')
    if (raw.endsWith(')') && !raw.includes('(')) raw = raw.slice(0, -1)
    if (raw.startsWith('(') && !raw.includes(')')) {
      raw = raw.slice(1)
      start++
    }
    const end = start + raw.length
    if (taken.some((s) => start < s.end && end > s.start)) continue
    const digits = raw.replace(/\D/g, '')
    if (digits.length < 6 || digits.length > 15) continue
    const before = text.slice(Math.max(0, start - 12), start)
    // Part of a longer token (a version "v3.1.7-12345678", an address "10.0.0.1", a MAC, a hex id).
    const prev = text[start - 1] ?? ''
    const next = text[end] ?? ''
    if (/[A-Za-z0-9_:/.]/.test(prev) && raw[0] !== '+') continue
    if (/[A-Za-z0-9_:/]/.test(next) || (next === '.' && /\d/.test(text[end + 1] ?? ''))) continue
    // Dotted numbers: IPv4 addresses, versions, OIDs.
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw) || /^\d+(?:\.\d+){2,}$/.test(raw) && !/\s/.test(raw)) continue
    // Dates and times.
    if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(raw) || /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(raw)) continue
    const keyword = PHONE_KEYWORD_RE.test(before)
    // Dots only after a phone keyword (too many versions and addresses use them); never an embedded date.
    if ((raw.includes('.') && !keyword) || /\d{4}-\d{2}-\d{2}/.test(raw)) continue
    const international = raw.startsWith('+') && digits.length >= 8
    const grouped = /[\s().-]/.test(raw) && digits.length >= 9 && (raw.match(/\d+/g) ?? []).length >= 2
    if (!(keyword || international || grouped)) continue
    out.push({type: 'phone', start, end, redacted: redactPhone(raw)})
  }
  return out
}

function findNames(text: string, contactSpans: Span[]): Span[] {
  const out: Span[] = []
  for (const m of text.matchAll(NAME_RE)) {
    const words = m[0].split(/\s+/)
    if (words.some((w) => NOT_NAME_WORDS.has(w) || NOT_NAME_WORDS.has(w.split(/[-']/)[0] ?? ''))) continue
    const start = m.index
    const end = start + m[0].length
    const first = words[0]?.split('-')[0] ?? ''
    // "next to" = only separators / brackets / commas between the name and an e-mail or phone span.
    const adjacent = contactSpans.some((s) => {
      const gap = s.start >= end ? text.slice(end, s.start) : s.end <= start ? text.slice(s.end, start) : 'x'
      return /^[\s,;:<>()[\]"'-]{0,4}$/.test(gap)
    })
    if (!GIVEN_NAMES.has(first) && !adjacent) continue
    out.push({type: 'person-name', start, end, redacted: redactName(m[0])})
  }
  return out
}

export interface PiiScan {
  matches: PiiMatch[]
  counts: Record<PiiType, number>
  /** The input with every match replaced by its masked form. */
  redactedText: string
}

/** Finds e-mail addresses, phone numbers and personal names in a short text (see the module comment). */
export function detectPii(text: string): PiiScan {
  const emails = findEmails(text)
  const phones = findPhones(text, emails)
  const names = findNames(text, [...emails, ...phones]).filter(
    (n) => ![...emails, ...phones].some((s) => n.start < s.end && n.end > s.start),
  )
  const spans = [...emails, ...phones, ...names].sort((a, b) => a.start - b.start)
  let redactedText = ''
  let at = 0
  for (const s of spans) {
    redactedText += text.slice(at, s.start) + s.redacted
    at = s.end
  }
  redactedText += text.slice(at)
  const counts: Record<PiiType, number> = {email: 0, phone: 0, 'person-name': 0}
  for (const s of spans) counts[s.type]++
  return {matches: spans.map((s) => ({type: s.type, redacted: s.redacted})), counts, redactedText}
}

export function piiFieldSummary(field: PiiFieldSummary['field'], scan: PiiScan): PiiFieldSummary {
  return {field, counts: {...scan.counts}, matches: scan.matches.map((m) => ({...m}))}
}
