/**
 * IMEIs: 15 digits, Luhn-valid, whose first two digits are a GSMA Reporting Body Identifier (the TAC prefix).
 * The prefix check drops most Luhn-valid accidents (one 15-digit number in ten passes Luhn): timestamps,
 * counters, order numbers. Written bare or grouped 2-6-6-1 ("35-209900-176148-1"). The test range 00 is not
 * counted: zero-padded counters start with 00.
 */
import {continuesAfter} from './boundaries.js'
import {luhnValid} from './luhn.js'
import type {PiiSpan} from './types.js'

/** GSMA Reporting Body Identifiers in use (first two TAC digits). */
const REPORTING_BODIES = new Set(['01', '10', '30', '33', '35', '44', '45', '49', '50', '51', '52', '53', '54', '86', '91', '98', '99'])

const IMEI_RE = /(?<![A-Za-z0-9_.\-])(?:\d{15}|\d{2}([ \-])\d{6}\1\d{6}\1\d)/g

export function isImei(digits: string): boolean {
  if (!/^\d{15}$/.test(digits)) return false
  if (/^(\d)\1+$/.test(digits)) return false
  return REPORTING_BODIES.has(digits.slice(0, 2)) && luhnValid(digits)
}

export function findImeis(text: string): PiiSpan[] {
  const out: PiiSpan[] = []
  for (const m of text.matchAll(IMEI_RE)) {
    const end = m.index + m[0].length
    if (continuesAfter(text, end)) continue
    const digits = m[0].replace(/\D/g, '')
    if (isImei(digits)) out.push({type: 'imei', start: m.index, end, value: digits})
  }
  return out
}

/** A JSON number that is an IMEI (15-digit integers are exact in a double). */
export function imeiFromNumber(n: number): string | undefined {
  if (!Number.isSafeInteger(n) || n < 0) return undefined
  const s = String(n)
  return isImei(s) ? s : undefined
}
