/**
 * Comparing names and versions as people write them: case- and punctuation-insensitive ("OR-2400" = "or 2400"),
 * vendor aliases from data/identity/vendors.json, IANA enterprise numbers. Pure.
 */
import {readFileSync} from 'node:fs'

import {projectPath} from '../util/paths.js'

/** Lower-case alphanumeric tokens. */
export function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '')
}

/** "OR-2400" → "or2400": the comparison key of a name. */
export function nameKey(text: string): string {
  return tokens(text).join('')
}

/**
 * Whether `name` appears in `text` on token boundaries, ignoring case and punctuation: "OR-2400" is in
 * "OpenRouter OR2400 firmware …" and in "or 2400", "HP" is not in "hphone".
 */
export function mentions(text: string, name: string): boolean {
  const target = nameKey(name)
  if (target === '') return false
  const t = tokens(text)
  for (let i = 0; i < t.length; i++) {
    let joined = ''
    for (let j = i; j < t.length && joined.length < target.length; j++) {
      joined += t[j]
      if (joined === target) return true
    }
  }
  return false
}

/** "v3.1.7" / "3.1.7" / "V3_1_7" → "3.1.7"; "15.2(4)M7" → "15.2.4.m7". */
export function versionKey(version: string): string {
  return version
    .trim()
    .toLowerCase()
    .replace(/^v(?=\d)/, '')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
}

export function sameVersion(a: string, b: string): boolean {
  const ka = versionKey(a)
  return ka !== '' && ka === versionKey(b)
}

export interface VendorEntry {
  name: string
  aliases: string[]
  enterprise: number[]
}

interface VendorTable {
  vendors: VendorEntry[]
  software: Set<number>
}

let cached: VendorTable | undefined

function vendorTable(): VendorTable {
  if (!cached) {
    const raw = JSON.parse(readFileSync(projectPath('data', 'identity', 'vendors.json'), 'utf8')) as {
      vendors: VendorEntry[]
      softwareEnterprises: {numbers: number[]}
    }
    cached = {vendors: raw.vendors, software: new Set(raw.softwareEnterprises.numbers)}
  }
  return cached
}

/** The table entry a vendor name or alias belongs to. */
export function vendorEntry(name: string): VendorEntry | undefined {
  const key = nameKey(name)
  if (key === '') return undefined
  return vendorTable().vendors.find((v) => nameKey(v.name) === key || v.aliases.some((a) => nameKey(a) === key))
}

/** Every spelling of a vendor: the name itself plus, when known, the canonical name and its aliases. */
export function vendorSpellings(name: string): string[] {
  const entry = vendorEntry(name)
  return entry ? [name, entry.name, ...entry.aliases] : [name]
}

export function sameVendor(a: string, b: string): boolean {
  const ea = vendorEntry(a)
  const eb = vendorEntry(b)
  if (ea && eb) return ea === eb
  return nameKey(a) !== '' && nameKey(a) === nameKey(b)
}

/** The device maker an IANA Private Enterprise Number names (agent-software numbers name none). */
export function vendorForEnterprise(pen: number): string | undefined {
  const table = vendorTable()
  if (table.software.has(pen)) return undefined
  return table.vendors.find((v) => v.enterprise.includes(pen))?.name
}
