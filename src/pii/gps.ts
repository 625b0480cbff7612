/**
 * GPS coordinates: a decimal "lat, lon" pair with at least 4 decimals each (≈11 m), a hemisphere pair
 * "51.5074° N, 0.1278° W", or lat=…/lon=… (also "lat 37.42 lon -122.08") keyword pairs (URLs, scripts, key-value pages). Ranges must be
 * plausible (|lat| ≤ 90, |lon| ≤ 180) and the point outside the open-sea box around 0,0 (|lat| < 4.5°,
 * |lon| < 5°, no land in it): that is where "no fix" placeholders and small measurements (load averages,
 * matrices of ratios) land. A pair inside a longer comma list of numbers, or followed by a unit
 * (dBi, ms, %, Hz …), is a data series or a measurement, not a position. JSON objects with lat/lon fields are read by the JSON walker through `gpsFromFields`.
 */
import {isWordChar} from './boundaries.js'
import type {PiiSpan} from './types.js'

// ',' or ';' between (the geo.position meta tag uses ';').
const PAIR_RE = /(-?\d{1,2}\.\d{4,12})[ \t]*[,;][ \t]*(-?\d{1,3}\.\d{4,12})/g
const HEMISPHERE_RE = /(\d{1,2}\.\d{4,12})[ \t]*°?[ \t]*([NS])[ \t]*,?[ \t]*(\d{1,3}\.\d{4,12})[ \t]*°?[ \t]*([EW])(?![A-Za-z])/g
const KEYWORD_RE =
  /\blat(?:itude)?["']?[ \t]*[:=]?[ \t]*["']?(-?\d{1,2}\.\d{2,12})\b[^\n]{0,40}?\b(?:lon|lng|long|longitude)["']?[ \t]*[:=]?[ \t]*["']?(-?\d{1,3}\.\d{2,12})(?!\d)/gi

/** "51.50735,-0.12776" from two decimal strings, or undefined if not a plausible position. */
export function gpsValue(lat: string, lon: string): string | undefined {
  const a = Number(lat)
  const b = Number(lon)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return undefined
  if (Math.abs(a) > 90 || Math.abs(b) > 180) return undefined
  if (Math.abs(a) < 4.5 && Math.abs(b) < 5) return undefined
  return `${lat.trim()},${lon.trim()}`
}

/** A unit after the pair makes it a measurement ("12.3456, 14.5678 dBi"), not a position. */
const UNIT_AFTER = /^[ \t]*(?:%|°?[CF]\b|d[Bb][im]?\b|[munk]?[sVAW]\b|[kMG]?Hz\b|[kMG]?bit|[kMG]?bps|[kMGT]i?B\b|bytes?\b|ms\b)/

function numberListBefore(text: string, start: number): boolean {
  return /\d[ \t]*[,;][ \t]*$/.test(text.slice(Math.max(0, start - 8), start))
}

function numberListAfter(text: string, end: number): boolean {
  return /^[ \t]*[,;][ \t]*-?\d/.test(text.slice(end, end + 8))
}

export function findGps(text: string): PiiSpan[] {
  const out: PiiSpan[] = []
  for (const m of text.matchAll(PAIR_RE)) {
    const start = m.index
    const end = start + m[0].length
    const prev = text[start - 1]
    const next = text[end]
    if (isWordChar(prev) || prev === '.' || (prev === '-' && m[1][0] !== '-')) continue
    if (isWordChar(next) || (next === '.' && /\d/.test(text[end + 1] ?? ''))) continue
    if (numberListBefore(text, start) || numberListAfter(text, end) || UNIT_AFTER.test(text.slice(end, end + 12))) continue
    const value = gpsValue(m[1], m[2])
    if (value !== undefined) out.push({type: 'gps', start, end, value})
  }
  for (const m of text.matchAll(HEMISPHERE_RE)) {
    if (isWordChar(text[m.index - 1]) || text[m.index - 1] === '.') continue
    const value = gpsValue(`${m[2] === 'S' ? '-' : ''}${m[1]}`, `${m[4] === 'W' ? '-' : ''}${m[3]}`)
    if (value !== undefined) out.push({type: 'gps', start: m.index, end: m.index + m[0].length, value})
  }
  for (const m of text.matchAll(KEYWORD_RE)) {
    const value = gpsValue(m[1], m[2])
    if (value !== undefined) out.push({type: 'gps', start: m.index, end: m.index + m[0].length, value})
  }
  return out
}

/** Number or numeric string from a JSON field. */
function coordinate(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v === 'string' && /^[ \t]*-?\d{1,3}(?:\.\d{1,12})?[ \t]*$/.test(v)) return v.trim()
  return undefined
}

/** Needs a fractional part somewhere: integer degrees alone are a region, not a position. */
export function gpsFromFields(lat: unknown, lon: unknown): string | undefined {
  const a = coordinate(lat)
  const b = coordinate(lon)
  if (a === undefined || b === undefined) return undefined
  if (!/\.\d{2,}/.test(a) && !/\.\d{2,}/.test(b)) return undefined
  return gpsValue(a, b)
}

export const LAT_KEYS = new Set(['lat', 'latitude', 'gps_lat', 'gpslat', 'geo_lat'])
export const LON_KEYS = new Set(['lon', 'lng', 'long', 'longitude', 'gps_lon', 'gps_lng', 'gpslon', 'gpslng', 'geo_lon', 'geo_lng'])

/** Distinct-value key: five decimals (≈1 m). */
export function normaliseGps(value: string): string {
  const [a, b] = value.split(',').map(Number)
  return `${(a ?? 0).toFixed(5)},${(b ?? 0).toFixed(5)}`
}
