/**
 * The filters every query and dashboard page shares, compiled to one SQL WHERE clause over
 * `devices d JOIN runs r LEFT JOIN labs l LEFT JOIN campaigns c`, parameters numbered from `$1`.
 */
import {ConfigError} from '../profiles/errors.js'
import {searchTextSql} from './migrations.js'
import type {SqlValue} from './store.js'

export interface DeviceFilter {
  vendor?: string
  model?: string
  firmware?: string
  /** Devices with a finding of this check (its outcome is then reported, and `outcome` filters it). */
  check?: string
  /** Devices with a verdict on this requirement id (`outcome` filters its verdict). */
  requirement?: string
  /** Outcome of the `check` finding or verdict of the `requirement`. */
  outcome?: string
  /** Device verdict: pass, fail, incomplete. */
  verdict?: string
  campaign?: string
  lab?: string
  /** Runs finished on or after (YYYY-MM-DD or ISO 8601). */
  since?: string
  /** Runs finished before the end of this day (YYYY-MM-DD) or before this instant (ISO 8601). */
  until?: string
  /** Free text: device name, vendor, model, firmware or serial contains it (case-insensitive). */
  search?: string
}

export const FROM_DEVICES = `devices d JOIN runs r ON r.id = d.run_id LEFT JOIN labs l ON l.id = r.lab_id LEFT JOIN campaigns c ON c.id = r.campaign_id`

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** A date flag as an instant; a bare day means its start (since) or the next day's start (until). */
export function parseDateBound(flag: string, value: string, end: boolean): string {
  const day = DAY.test(value)
  const date = new Date(day ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(date.getTime())) throw new ConfigError(`${flag} ${value}: not a date (YYYY-MM-DD or ISO 8601)`)
  if (day && end) date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString()
}

export interface CompiledFilter {
  where: string
  params: SqlValue[]
}

export interface CompileOptions {
  /** Test the run's lab, campaign and finish through the copies on the device row (migration 7) so an index over
   *  the devices table alone can serve them; the same rows as through the run (the copies equal the run's). */
  runColumnsOnDevice?: boolean
}

export function compileFilter(f: DeviceFilter, params: SqlValue[] = [], options: CompileOptions = {}): CompiledFilter {
  const clauses: string[] = []
  const p = (value: SqlValue) => {
    params.push(value)
    return `$${params.length}`
  }
  if (f.vendor) clauses.push(`lower(d.vendor) = lower(${p(f.vendor)})`)
  if (f.model) clauses.push(`lower(d.model) = lower(${p(f.model)})`)
  if (f.firmware) clauses.push(`d.firmware = ${p(f.firmware)}`)
  if (f.verdict) clauses.push(`d.verdict = ${p(f.verdict)}`)
  const onDevice = options.runColumnsOnDevice === true
  // Names are unique (labs.name, campaigns.name): the subquery is one id, or null (no such name: no row matches).
  if (f.campaign) clauses.push(onDevice ? `d.campaign_id = (SELECT id FROM campaigns WHERE name = ${p(f.campaign)})` : `c.name = ${p(f.campaign)}`)
  if (f.lab) clauses.push(onDevice ? `d.lab_id = (SELECT id FROM labs WHERE name = ${p(f.lab)})` : `l.name = ${p(f.lab)}`)
  const finished = onDevice ? 'd.finished_at' : 'r.finished_at'
  if (f.since) clauses.push(`${finished} >= ${p(parseDateBound('--since', f.since, false))}`)
  if (f.until) clauses.push(`${finished} < ${p(parseDateBound('--until', f.until, true))}`)
  if (f.check) {
    const outcome = f.outcome ? ` AND fx.outcome = ${p(f.outcome)}` : ''
    clauses.push(`EXISTS (SELECT 1 FROM findings fx WHERE fx.device_id = d.id AND fx.check_id = ${p(f.check)}${outcome})`)
  }
  if (f.requirement) {
    const verdict = f.outcome && !f.check ? ` AND rx.verdict = ${p(f.outcome)}` : ''
    clauses.push(`EXISTS (SELECT 1 FROM requirement_verdicts rx WHERE rx.device_id = d.id AND rx.requirement = ${p(f.requirement)}${verdict})`)
  }
  if (f.search) {
    const like = p(`%${f.search.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`)
    // The joined-text test lets the trigram index find the candidates; the field tests decide, as before.
    clauses.push(
      `${searchTextSql('d')} LIKE ${like} AND (lower(coalesce(d.name, d.device_key)) LIKE ${like} OR lower(coalesce(d.vendor, '')) LIKE ${like} OR lower(coalesce(d.model, '')) LIKE ${like} OR lower(coalesce(d.firmware, '')) LIKE ${like} OR lower(coalesce(d.declared_serial, '')) LIKE ${like})`,
    )
  }
  return {where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params}
}
