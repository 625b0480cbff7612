/**
 * detectPii: personal data in one response body. JSON bodies (by content type, or any body that parses as a
 * JSON object or array) are walked value by value and hits carry a JSON pointer; HTML is reduced to its
 * visible text first; anything else is scanned as text. Only the first MAX_TEXT_CHARS characters are read.
 */
import {findEmails} from './email.js'
import {LAT_KEYS, LON_KEYS, findGps, gpsFromFields} from './gps.js'
import {HitCollector} from './collect.js'
import {htmlToText, looksLikeHtml} from './html.js'
import {findImeis, imeiFromNumber} from './imei.js'
import {generalisePointer, walkJson} from './json-walk.js'
import {findMacs} from './mac.js'
import {findPersonName} from './person-name.js'
import {findPhones, isPhone, isPhoneKey} from './phone.js'
import type {PiiHit, PiiInput, PiiSpan, PiiType} from './types.js'

/** 1 MiB of text: a device page with personal data shows it early; the rest is not read. */
export const MAX_TEXT_CHARS = 1024 * 1024
/** More JSON locations than this for one type (a list of users) are reported per array shape ("/*\/email"). */
export const MAX_JSON_LOCATIONS_PER_TYPE = 20

/** Every value found in a text; a span already claimed by a stronger detector is not reused by a weaker one. */
export function findSpans(text: string, options: {phoneKeyed?: boolean} = {}): PiiSpan[] {
  const accepted: PiiSpan[] = []
  // Claimed characters, one byte each: overlap tests cost the span's length, not the number of spans so far
  // (a 1 MiB page of addresses and numbers would otherwise be quadratic).
  const claimed = new Uint8Array(text.length)
  const free = (s: PiiSpan): boolean => {
    for (let i = s.start; i < s.end; i++) if (claimed[i] === 1) return false
    return true
  }
  const groups = [findEmails, findMacs, findImeis, findGps, (t: string) => findPhones(t, {keyed: options.phoneKeyed})]
  for (const find of groups) {
    for (const s of find(text)) {
      if (!free(s)) continue
      claimed.fill(1, s.start, s.end)
      accepted.push(s)
    }
  }
  return accepted.sort((a, b) => a.start - b.start)
}

interface Find {
  type: PiiType
  pointer: string
  value: string
}

function findsInJson(root: unknown): Find[] {
  const finds: Find[] = []
  walkJson(root, ({pointer, key, value}) => {
    if (typeof value === 'string') {
      const name = findPersonName(key, value)
      if (name !== undefined) finds.push({type: 'person-name', pointer, value: name.value})
      for (const s of findSpans(value, {phoneKeyed: isPhoneKey(key)})) finds.push({type: s.type, pointer, value: s.value})
    } else if (typeof value === 'number') {
      const imei = imeiFromNumber(value)
      if (imei !== undefined) finds.push({type: 'imei', pointer, value: imei})
      else if (isPhoneKey(key) && Number.isSafeInteger(value) && isPhone(String(value), true)) finds.push({type: 'phone', pointer, value: String(value)})
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const gps = gpsInObject(value as Record<string, unknown>)
      if (gps !== undefined) finds.push({type: 'gps', pointer, value: gps})
    }
  })
  return finds
}

function gpsInObject(object: Record<string, unknown>): string | undefined {
  let lat: unknown
  let lon: unknown
  for (const [k, v] of Object.entries(object)) {
    const key = k.toLowerCase()
    if (LAT_KEYS.has(key)) lat = v
    else if (LON_KEYS.has(key)) lon = v
  }
  return lat === undefined || lon === undefined ? undefined : gpsFromFields(lat, lon)
}

/** Hits with JSON pointers; a type spread over many array elements is grouped per array shape. */
function jsonHits(finds: Find[], location: string): PiiHit[] {
  const pointersPerType = new Map<PiiType, Set<string>>()
  for (const f of finds) {
    const set = pointersPerType.get(f.type) ?? new Set<string>()
    set.add(f.pointer)
    pointersPerType.set(f.type, set)
  }
  const collector = new HitCollector()
  for (const f of finds) {
    const generalise = (pointersPerType.get(f.type)?.size ?? 0) > MAX_JSON_LOCATIONS_PER_TYPE
    collector.add(f.type, `${location}#${generalise ? generalisePointer(f.pointer) : f.pointer}`, f.value)
  }
  return collector.hits()
}

function textHits(text: string, location: string): PiiHit[] {
  const collector = new HitCollector()
  for (const s of findSpans(text)) collector.add(s.type, location, s.value)
  return collector.hits()
}

/** Parsed JSON when the body is (or claims to be) a JSON object or array; undefined otherwise. */
function parseJsonBody(text: string, contentType: string | undefined): unknown {
  const trimmed = text.trimStart()
  const claimsJson = contentType !== undefined && /json/i.test(contentType)
  if (!claimsJson && !(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined
  try {
    const parsed: unknown = JSON.parse(trimmed)
    return parsed !== null && typeof parsed === 'object' ? parsed : claimsJson ? parsed : undefined
  } catch {
    return undefined
  }
}

function detect(input: PiiInput): PiiHit[] {
  const text = input.text.length > MAX_TEXT_CHARS ? input.text.slice(0, MAX_TEXT_CHARS) : input.text
  const json = parseJsonBody(text, input.contentType)
  if (json !== undefined) return jsonHits(findsInJson(json), input.location)
  if (looksLikeHtml(text, input.contentType)) return textHits(htmlToText(text), input.location)
  return textHits(text, input.location)
}

/** Finds personal data in a response body. Bounded: looks at most at the first 1 MiB of text; never throws. */
export function detectPii(input: PiiInput): PiiHit[] {
  try {
    return detect(input)
  } catch {
    // Last resort for the no-throw contract (e.g. a non-string body from a careless caller): nothing found.
    return []
  }
}
