/**
 * The query layer: every question the CLI and the dashboard ask, as plain SQL that PGlite and PostgreSQL run
 * alike. Functions take a Queryable and return plain rows (ISO strings for instants), never SQL types.
 */
import {ConfigError} from '../profiles/errors.js'
import {compileFilter, type DeviceFilter, FROM_DEVICES} from './filters.js'
import {conformityOrderSql} from './migrations.js'
import type {Queryable, SqlValue} from './store.js'

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v))
const num = (v: unknown): number => Number(v ?? 0)
const rate = (failed: number, of: number): number => (of === 0 ? 0 : Math.round((failed / of) * 10_000) / 10_000)

export interface DeviceResultRow {
  /** Row id of the device result in the store (the dashboard's /device/ID). */
  id: number
  date: string
  lab: string | null
  campaign: string | null
  device: string
  vendor: string | null
  model: string | null
  firmware: string | null
  serial: string | null
  verdict: string
  failed: number
  profile: string
  /** With a `check` filter: that finding's outcome(s) on the device, comma-separated. */
  check?: string
  outcome?: string
  reportSha256: string
}

/** Where a page of device results ends (its last row): the next page starts after it, in list order. */
export interface DeviceCursor {
  finishedAt: string
  id: number
}

/** Device results matching the filter, newest run first. With `after`, the rows after that one (keyset
 *  pagination: page 1,000 costs what page 1 does, where an offset reads and drops every row before it). */
export async function queryDevices(q: Queryable, filter: DeviceFilter, limit = 1000, offset = 0, after?: DeviceCursor): Promise<DeviceResultRow[]> {
  const params: SqlValue[] = []
  const checkColumn = filter.check
    ? `, (SELECT string_agg(DISTINCT fo.outcome, ',') FROM findings fo WHERE fo.device_id = d.id AND fo.check_id = $${params.push(filter.check)}) AS outcome`
    : ''
  const compiled = compileFilter(filter, params)
  let where = compiled.where
  if (after) {
    const t = `$${params.push(after.finishedAt)}::timestamptz`
    const keyset = `(r.finished_at < ${t} OR (r.finished_at = ${t} AND d.id > $${params.push(after.id)}))`
    where = where ? `${where} AND ${keyset}` : `WHERE ${keyset}`
  }
  const rows = await q.query<Record<string, unknown>>(
    `SELECT d.id, r.finished_at, l.name AS lab, c.name AS campaign, coalesce(d.name, d.device_key) AS device, d.vendor,
       d.model, d.firmware, d.declared_serial, d.verdict, d.failed, d.profile_id, d.profile_version, r.report_sha256${checkColumn}
     FROM ${FROM_DEVICES} ${where}
     ORDER BY r.finished_at DESC, d.id LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`,
    params,
  )
  return rows.map((row) => ({
    id: num(row.id),
    date: iso(row.finished_at),
    lab: (row.lab as string | null) ?? null,
    campaign: (row.campaign as string | null) ?? null,
    device: String(row.device),
    vendor: (row.vendor as string | null) ?? null,
    model: (row.model as string | null) ?? null,
    firmware: (row.firmware as string | null) ?? null,
    serial: (row.declared_serial as string | null) ?? null,
    verdict: String(row.verdict),
    failed: num(row.failed),
    profile: `${row.profile_id}@${row.profile_version}`,
    ...(filter.check ? {check: filter.check, outcome: (row.outcome as string | null) ?? ''} : {}),
    reportSha256: String(row.report_sha256),
  }))
}

/** Device results matching the filter; with `upTo`, counting stops there (a page needs "more than N", not the
 *  exact size of a 75,000-device match, which costs a scan of every match). */
export async function countDevices(q: Queryable, filter: DeviceFilter, upTo?: number): Promise<number> {
  const {where, params} = compileFilter(filter)
  const sql =
    upTo === undefined
      ? `SELECT count(*) AS n FROM ${FROM_DEVICES} ${where}`
      : `SELECT count(*) AS n FROM (SELECT 1 FROM ${FROM_DEVICES} ${where} LIMIT $${params.push(upTo)}) AS matching`
  const rows = await q.query<{n: number}>(sql, params)
  return num(rows[0]?.n)
}

export interface CampaignStats {
  campaign: {name: string; periodStart: string | null; periodEnd: string | null; notes: string | null}
  runs: number
  devices: number
  products: number
  verdicts: {pass: number; fail: number; incomplete: number}
  failureRate: number
  /** Per check: devices that have a pass/fail finding of it, devices failing it, failed / tested. */
  checks: Array<{check: string; tested: number; failed: number; rate: number}>
  /** Per requirement (reports with requirement verdicts only): assessed = pass + fail. */
  requirements: Array<{standard: string; requirement: string; assessed: number; failed: number; rate: number}>
  models: Array<{vendor: string | null; model: string | null; devices: number; failed: number; rate: number}>
  /** One key on several units (distinct serials): cloned firmware images or counterfeit units share private keys. */
  sharedKeys: Array<{kind: string; fingerprint: string; devices: number; models: string[]; names: string[]}>
}

export async function campaignStats(q: Queryable, name: string): Promise<CampaignStats> {
  const found = await q.query<Record<string, unknown>>('SELECT id, name, period_start, period_end, notes FROM campaigns WHERE name = $1', [name])
  const c = found[0]
  if (!c) {
    const known = await q.query<{name: string}>('SELECT name FROM campaigns ORDER BY name')
    throw new ConfigError(`no campaign ${JSON.stringify(name)} in the store (known: ${known.map((k) => k.name).join(', ') || 'none'})`)
  }
  const id = num(c.id)
  // Totals, per check, per requirement and per model come from the per-campaign counters ingest keeps (migration 4).
  const [totals] = await q.query<Record<string, unknown>>(
    `SELECT coalesce(sum(devices), 0) AS devices, count(*) AS products, coalesce(sum(pass), 0) AS pass, coalesce(sum(fail), 0) AS fail,
       coalesce(sum(incomplete), 0) AS incomplete, (SELECT count(*) FROM runs WHERE campaign_id = $1 AND device_count > 0) AS runs
     FROM campaign_product_stats WHERE campaign_id = $1`,
    [id],
  )
  const checks = await q.query<Record<string, unknown>>(
    'SELECT check_id, tested, failed FROM campaign_check_stats WHERE campaign_id = $1 ORDER BY failed DESC, check_id',
    [id],
  )
  const requirements = await q.query<Record<string, unknown>>(
    `SELECT standard, requirement, assessed, failed FROM campaign_requirement_stats WHERE campaign_id = $1
     ORDER BY failed DESC, standard, requirement`,
    [id],
  )
  const models = await q.query<Record<string, unknown>>(
    'SELECT vendor, model, devices, fail AS failed FROM campaign_product_stats WHERE campaign_id = $1 ORDER BY failed DESC, vendor, model',
    [id],
  )
  // Kept by ingest (migration 3): units per key in the campaign; only keys on several units are read.
  const shared = await q.query<Record<string, unknown>>(
    `SELECT kc.kind, kc.fingerprint, kc.units AS devices,
       array_agg(DISTINCT coalesce(d.vendor, '?') || ' ' || coalesce(d.model, '?')) AS models,
       array_agg(DISTINCT coalesce(d.name, d.device_key)) AS names
     FROM campaign_key_counts kc
     JOIN campaign_key_units ku ON ku.campaign_id = kc.campaign_id AND ku.kind = kc.kind AND ku.fingerprint = kc.fingerprint
     JOIN devices d ON d.id = ku.device_id
     WHERE kc.campaign_id = $1 AND kc.units > 1
     GROUP BY kc.kind, kc.fingerprint, kc.units ORDER BY devices DESC, kc.fingerprint`,
    [id],
  )
  const devices = num(totals?.devices)
  const fail = num(totals?.fail)
  return {
    campaign: {name: String(c.name), periodStart: (c.period_start as string | null) ?? null, periodEnd: (c.period_end as string | null) ?? null, notes: (c.notes as string | null) ?? null},
    runs: num(totals?.runs),
    devices,
    products: num(totals?.products),
    verdicts: {pass: num(totals?.pass), fail, incomplete: num(totals?.incomplete)},
    failureRate: rate(fail, devices),
    checks: checks.map((r) => ({check: String(r.check_id), tested: num(r.tested), failed: num(r.failed), rate: rate(num(r.failed), num(r.tested))})),
    requirements: requirements.map((r) => ({
      standard: String(r.standard),
      requirement: String(r.requirement),
      assessed: num(r.assessed),
      failed: num(r.failed),
      rate: rate(num(r.failed), num(r.assessed)),
    })),
    models: models.map((r) => ({
      vendor: (r.vendor as string | null) ?? null,
      model: (r.model as string | null) ?? null,
      devices: num(r.devices),
      failed: num(r.failed),
      rate: rate(num(r.failed), num(r.devices)),
    })),
    sharedKeys: shared.map((r) => ({
      kind: String(r.kind),
      fingerprint: String(r.fingerprint),
      devices: num(r.devices),
      models: (r.models as string[]).slice().sort(),
      names: (r.names as string[]).slice().sort(),
    })),
  }
}

export interface ConformityEntry {
  vendor: string | null
  model: string | null
  firmware: string | null
  profile: {id: string; version: string; sha256: string}
  verdict: 'pass' | 'fail' | 'incomplete'
  date: string
  lab: string | null
  campaign: string | null
  device: string
  reportSha256: string
  bundleManifestSha256: string | null
  signed: boolean
}

/** The public conformity list: one entry per device result, products sorted, newest first within a product.
 *  The dashboard's page and `db export --conformity` both read it. Lab, campaign and date are tested and sorted on
 *  the device row's copies of its run's (migration 7), so the list's indexes return a page's rows in order. */
export async function conformityList(q: Queryable, filter: DeviceFilter = {}, limit?: number): Promise<ConformityEntry[]> {
  const {where, params} = compileFilter(filter, [], {runColumnsOnDevice: true})
  const limited = limit === undefined ? '' : ` LIMIT $${params.push(limit)}`
  const rows = await q.query<Record<string, unknown>>(
    `SELECT d.vendor, d.model, d.firmware, d.profile_id, d.profile_version, d.profile_sha256, d.verdict, d.finished_at,
       l.name AS lab, c.name AS campaign, coalesce(d.name, d.device_key) AS device, r.report_sha256, r.manifest_sha256, r.signed
     FROM ${FROM_DEVICES} ${where}
     ORDER BY ${conformityOrderSql('d')}${limited}`,
    params,
  )
  return rows.map((r) => ({
    vendor: (r.vendor as string | null) ?? null,
    model: (r.model as string | null) ?? null,
    firmware: (r.firmware as string | null) ?? null,
    profile: {id: String(r.profile_id), version: String(r.profile_version), sha256: String(r.profile_sha256)},
    verdict: r.verdict as ConformityEntry['verdict'],
    date: iso(r.finished_at),
    lab: (r.lab as string | null) ?? null,
    campaign: (r.campaign as string | null) ?? null,
    device: String(r.device),
    reportSha256: String(r.report_sha256),
    bundleManifestSha256: (r.manifest_sha256 as string | null) ?? null,
    signed: Boolean(r.signed),
  }))
}
