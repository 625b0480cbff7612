/**
 * Campaign statistics and model trends recomputed from the raw rows (devices, findings, requirement verdicts, runs)
 * with no counter table: what the counters ingest keeps must add up to. Same shapes as campaignStats/modelTrends
 * (shared keys aside: they come from their own tables, unchanged).
 */
import type {Queryable, SqlValue} from '../../src/db/store.js'

const num = (v: unknown) => Number(v ?? 0)

export async function referenceCampaign(q: Queryable, name: string) {
  const inCampaign = 'd.run_id IN (SELECT r.id FROM runs r JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = $1)'
  const [t] = await q.query<Record<string, unknown>>(
    `SELECT count(*) AS devices, count(DISTINCT (lower(coalesce(d.vendor, '')), lower(coalesce(d.model, '')))) AS products,
       count(DISTINCT d.run_id) AS runs, count(*) FILTER (WHERE d.verdict = 'pass') AS pass, count(*) FILTER (WHERE d.verdict = 'fail') AS fail,
       count(*) FILTER (WHERE d.verdict = 'incomplete') AS incomplete
     FROM devices d WHERE ${inCampaign}`,
    [name],
  )
  const checks = await q.query<Record<string, unknown>>(
    `SELECT check_id AS check, sum(tested) AS tested, sum(failed) AS failed FROM (
       SELECT d.run_id, f.check_id, count(DISTINCT f.device_id) FILTER (WHERE f.outcome IN ('pass', 'fail')) AS tested,
         count(DISTINCT f.device_id) FILTER (WHERE f.outcome = 'fail') AS failed
       FROM findings f JOIN devices d ON d.id = f.device_id WHERE ${inCampaign} GROUP BY d.run_id, f.check_id) per_run
     GROUP BY check_id ORDER BY failed DESC, check_id`,
    [name],
  )
  const requirements = await q.query<Record<string, unknown>>(
    `SELECT rv.standard, rv.requirement, count(*) FILTER (WHERE rv.verdict IN ('pass', 'fail')) AS assessed, count(*) FILTER (WHERE rv.verdict = 'fail') AS failed
     FROM requirement_verdicts rv JOIN devices d ON d.id = rv.device_id WHERE ${inCampaign}
     GROUP BY rv.standard, rv.requirement ORDER BY failed DESC, rv.standard, rv.requirement`,
    [name],
  )
  const models = await q.query<Record<string, unknown>>(
    `SELECT min(d.vendor) AS vendor, min(d.model) AS model, count(*) AS devices, count(*) FILTER (WHERE d.verdict = 'fail') AS failed
     FROM devices d WHERE ${inCampaign} GROUP BY lower(coalesce(d.vendor, '')), lower(coalesce(d.model, '')) ORDER BY failed DESC, vendor, model`,
    [name],
  )
  return {
    runs: num(t!.runs),
    devices: num(t!.devices),
    products: num(t!.products),
    verdicts: {pass: num(t!.pass), fail: num(t!.fail), incomplete: num(t!.incomplete)},
    checks: checks.map((r) => ({check: String(r.check), tested: num(r.tested), failed: num(r.failed)})),
    requirements: requirements.map((r) => ({standard: String(r.standard), requirement: String(r.requirement), assessed: num(r.assessed), failed: num(r.failed)})),
    models: models.map((r) => ({vendor: (r.vendor as string | null) ?? null, model: (r.model as string | null) ?? null, devices: num(r.devices), failed: num(r.failed)})),
  }
}

export async function referenceModelTrends(q: Queryable) {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT lower(coalesce(d.vendor, '')) AS vk, lower(coalesce(d.model, '')) AS mk, min(d.vendor) AS vendor, min(d.model) AS model,
       min(d.firmware) AS firmware, min(r.finished_at) AS first_seen, count(*) AS devices, count(*) FILTER (WHERE d.verdict = 'fail') AS fail
     FROM devices d JOIN runs r ON r.id = d.run_id
     GROUP BY 1, 2, coalesce(d.firmware, '') ORDER BY 1, 2, first_seen, firmware`,
  )
  const out = new Map<string, {vendor: string | null; model: string | null; devices: number; fail: number; firmware: Array<{firmware: string | null; firstSeen: string; devices: number; fail: number}>}>()
  for (const r of rows) {
    const key = `${r.vk}\0${r.mk}`
    let m = out.get(key)
    if (!m) out.set(key, (m = {vendor: (r.vendor as string | null) ?? null, model: (r.model as string | null) ?? null, devices: 0, fail: 0, firmware: []}))
    m.devices += num(r.devices)
    m.fail += num(r.fail)
    m.firmware.push({firmware: (r.firmware as string | null) ?? null, firstSeen: new Date(r.first_seen as string).toISOString(), devices: num(r.devices), fail: num(r.fail)})
  }
  return [...out.values()]
}

export interface ReferenceConformityFilter {
  lab?: string
  campaign?: string
  vendor?: string
  /** ISO 8601 instants: runs finished at or after `since`, before `until`. */
  since?: string
  until?: string
}

/** The conformity list recomputed from the raw rows: lab, campaign and date read from the run row (never from the
 *  device row's copies of them), the same fields and order as conformityList, without its indexes or copies. */
export async function referenceConformity(q: Queryable, f: ReferenceConformityFilter, limit?: number) {
  const params: SqlValue[] = []
  const where: string[] = []
  if (f.lab !== undefined) where.push(`l.name = $${params.push(f.lab)}`)
  if (f.campaign !== undefined) where.push(`c.name = $${params.push(f.campaign)}`)
  if (f.vendor !== undefined) where.push(`lower(d.vendor) = lower($${params.push(f.vendor)})`)
  if (f.since !== undefined) where.push(`r.finished_at >= $${params.push(f.since)}`)
  if (f.until !== undefined) where.push(`r.finished_at < $${params.push(f.until)}`)
  const rows = await q.query<Record<string, unknown>>(
    `SELECT d.vendor, d.model, d.firmware, d.profile_id, d.profile_version, d.profile_sha256, d.verdict, r.finished_at,
       l.name AS lab, c.name AS campaign, coalesce(d.name, d.device_key) AS device, r.report_sha256, r.manifest_sha256, r.signed
     FROM devices d JOIN runs r ON r.id = d.run_id LEFT JOIN labs l ON l.id = r.lab_id LEFT JOIN campaigns c ON c.id = r.campaign_id
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY lower(coalesce(d.vendor, '')), lower(coalesce(d.model, '')), d.firmware, r.finished_at DESC, d.id
     ${limit === undefined ? '' : `LIMIT ${Number(limit)}`}`,
    params,
  )
  return rows.map((r) => ({
    vendor: (r.vendor as string | null) ?? null,
    model: (r.model as string | null) ?? null,
    firmware: (r.firmware as string | null) ?? null,
    profile: {id: String(r.profile_id), version: String(r.profile_version), sha256: String(r.profile_sha256)},
    verdict: String(r.verdict),
    date: new Date(r.finished_at as string).toISOString(),
    lab: (r.lab as string | null) ?? null,
    campaign: (r.campaign as string | null) ?? null,
    device: String(r.device),
    reportSha256: String(r.report_sha256),
    bundleManifestSha256: (r.manifest_sha256 as string | null) ?? null,
    signed: Boolean(r.signed),
  }))
}
