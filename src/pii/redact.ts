/**
 * Redacted renderings of personal data for evidence: enough to recognise the kind and to tell two values
 * apart, never the value. E-mail keeps the first letter of the local part and of the domain and the TLD
 * ("j***@e***.com"); phones keep an international "+" with two digits and the last two digits
 * ("+44********58", national "********67"); IMEIs the first two and last three digits ("35******012"); MACs the
 * first two and last octet ("00:1A:**:**:**:5E"); GPS the whole degrees ("51.***,-0.***"); names the initials
 * ("J*** D***").
 */
import type {PiiType} from './types.js'

const STARS = '***'

function initial(word: string): string {
  const first = [...word][0]
  return first === undefined ? '' : first + STARS
}

function redactEmail(value: string): string {
  const at = value.lastIndexOf('@')
  if (at < 0) return STARS
  const labels = value.slice(at + 1).split('.')
  const tld = labels.length > 1 ? labels[labels.length - 1] : ''
  return `${initial(value.slice(0, at))}@${initial(labels[0] ?? '')}${tld ? `.${tld}` : ''}`
}

function redactPhone(value: string): string {
  const digits = value.replace(/\D/g, '')
  if (digits.length < 6) return '*'.repeat(digits.length)
  if (value.trim().startsWith('+')) return `+${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`
}

function redactImei(value: string): string {
  const digits = value.replace(/\D/g, '')
  if (digits.length < 10) return '*'.repeat(digits.length)
  return `${digits.slice(0, 2)}******${digits.slice(-3)}`
}

function redactMac(value: string): string {
  const hex = value.replace(/[^0-9A-Fa-f]/g, '').toUpperCase()
  if (hex.length !== 12) return STARS
  const octets = hex.match(/../g) ?? []
  return [octets[0], octets[1], '**', '**', '**', octets[5]].join(':')
}

function degrees(coordinate: string): string {
  const c = coordinate.trim()
  const whole = /^-?\d+/.exec(c)?.[0] ?? ''
  return `${whole}.${STARS}`
}

function redactGps(value: string): string {
  const [lat, lon] = value.split(',')
  if (lat === undefined || lon === undefined) return STARS
  return `${degrees(lat)},${degrees(lon)}`
}

function redactName(value: string): string {
  return value
    .trim()
    .split(/\s+/)
    .map((w) => initial(w))
    .join(' ')
}

/** Redacted rendering of one value; never returns the value itself or more than ~1/3 of its characters. */
export function redactPii(type: PiiType, value: string): string {
  switch (type) {
    case 'email':
      return redactEmail(value)
    case 'phone':
      return redactPhone(value)
    case 'imei':
      return redactImei(value)
    case 'mac':
      return redactMac(value)
    case 'gps':
      return redactGps(value)
    case 'person-name':
      return redactName(value)
  }
}
