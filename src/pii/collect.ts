/**
 * Accumulates found values into hits: one per (type, location), counting distinct values, keeping up to three
 * distinct redacted samples. The values themselves stay inside this object and are dropped with it.
 */
import {normaliseEmail} from './email.js'
import {normaliseGps} from './gps.js'
import {normaliseMac} from './mac.js'
import {normalisePersonName} from './person-name.js'
import {normalisePhone} from './phone.js'
import {redactPii} from './redact.js'
import type {PiiHit, PiiType} from './types.js'

const MAX_SAMPLES = 3

const NORMALISE: Record<PiiType, (v: string) => string> = {
  email: normaliseEmail,
  phone: normalisePhone,
  imei: (v) => v.replace(/\D/g, ''),
  mac: normaliseMac,
  gps: normaliseGps,
  'person-name': normalisePersonName,
}

interface Entry {
  type: PiiType
  location: string
  distinct: Set<string>
  samples: string[]
}

export class HitCollector {
  private readonly entries = new Map<string, Entry>()

  add(type: PiiType, location: string, value: string): void {
    const key = `${type}\u0000${location}`
    let entry = this.entries.get(key)
    if (entry === undefined) {
      entry = {type, location, distinct: new Set(), samples: []}
      this.entries.set(key, entry)
    }
    const norm = NORMALISE[type](value)
    if (entry.distinct.has(norm)) return
    entry.distinct.add(norm)
    if (entry.samples.length < MAX_SAMPLES) {
      const sample = redactPii(type, value)
      if (!entry.samples.includes(sample)) entry.samples.push(sample)
    }
  }

  /** Locations holding at least one value of `type`. */
  locationCount(type: PiiType): number {
    let n = 0
    for (const e of this.entries.values()) if (e.type === type) n++
    return n
  }

  /** Hits in first-seen order. */
  hits(): PiiHit[] {
    return [...this.entries.values()].map((e) => ({type: e.type, count: e.distinct.size, location: e.location, samples: [...e.samples]}))
  }
}
