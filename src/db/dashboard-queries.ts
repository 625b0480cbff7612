/** The questions the dashboard pages ask beyond queries.ts: overview, per-model trend, one device result. */
import type {Queryable} from './store.js'

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v))
const num = (v: unknown): number => Number(v ?? 0)
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

export interface Overview {
  totals: {runs: number; devices: number; products: number; labs: number; fail: number}
  campaigns: Array<{name: string; periodStart: string | null; periodEnd: string | null; runs: number; devices: number; fail: number}>
  runs: Array<{id: number; finishedAt: string; lab: string | null; campaign: string | null; profile: string; devices: number; reportSha256: string; kind: string; signed: boolean}>
}

export async function overview(q: Queryable, recentRuns = 20): Promise<Overview> {
  const [totals] = await q.query<Record<string, unknown>>(
    `SELECT count(*) AS runs, coalesce(sum(device_count), 0) AS devices, (SELECT count(*) FROM products) AS products,
       (SELECT count(*) FROM labs) AS labs, coalesce(sum(fail_devices), 0) AS fail FROM runs`,
  )
  const campaigns = await q.query<Record<string, unknown>>(
    `SELECT c.name, c.period_start, c.period_end, count(r.id) AS runs, coalesce(sum(r.device_count), 0) AS devices,
       coalesce(sum(r.fail_devices), 0) AS fail
     FROM campaigns c LEFT JOIN runs r ON r.campaign_id = c.id
     GROUP BY c.id, c.name, c.period_start, c.period_end ORDER BY c.name`,
  )
  const runs = await q.query<Record<string, unknown>>(
    `SELECT r.id, r.finished_at, l.name AS lab, c.name AS campaign, r.profile_id, r.profile_version, r.device_count,
       r.report_sha256, r.source_kind, r.signed
     FROM runs r LEFT JOIN labs l ON l.id = r.lab_id LEFT JOIN campaigns c ON c.id = r.campaign_id
     ORDER BY r.finished_at DESC, r.id DESC LIMIT $1`,
    [recentRuns],
  )
  return {
    totals: {runs: num(totals?.runs), devices: num(totals?.devices), products: num(totals?.products), labs: num(totals?.labs), fail: num(totals?.fail)},
    campaigns: campaigns.map((c) => ({name: String(c.name), periodStart: str(c.period_start), periodEnd: str(c.period_end), runs: num(c.runs), devices: num(c.devices), fail: num(c.fail)})),
    runs: runs.map((r) => ({
      id: num(r.id),
      finishedAt: iso(r.finished_at),
      lab: str(r.lab),
      campaign: str(r.campaign),
      profile: `${r.profile_id}@${r.profile_version}`,
      devices: num(r.device_count),
      reportSha256: String(r.report_sha256),
      kind: String(r.source_kind),
      signed: Boolean(r.signed),
    })),
  }
}

export interface ModelTrend {
  vendor: string | null
  model: string | null
  devices: number
  fail: number
  /** Firmware versions by first seen, each with its failure rate: the trend across firmware. */
  firmware: Array<{firmware: string | null; firstSeen: string; devices: number; fail: number}>
}

export async function modelTrends(q: Queryable, limit = 500): Promise<ModelTrend[]> {
  // product_firmware_stats: one row per product and firmware, kept by ingest (migration 4). One row per model, its
  // firmware as a JSON array: PGlite turns every result row into JavaScript values one field at a time, which for
  // 2,400 rows cost twice the query.
  const rows = await q.query<{fw: string}>(
    `WITH top AS (
       SELECT vendor_key, model_key FROM product_firmware_stats GROUP BY vendor_key, model_key
       ORDER BY sum(devices) DESC, vendor_key, model_key LIMIT $1
     )
     SELECT json_agg(json_build_array(p.vendor, p.model, p.firmware, p.first_seen, p.devices, p.fail) ORDER BY p.first_seen, p.firmware)::text AS fw
     FROM product_firmware_stats p JOIN top t ON t.vendor_key = p.vendor_key AND t.model_key = p.model_key
     GROUP BY p.vendor_key, p.model_key ORDER BY p.vendor_key, p.model_key`,
    [limit],
  )
  return rows.map((r) => {
    const firmware = JSON.parse(r.fw) as Array<[string | null, string | null, string | null, string, number, number]>
    const [vendor, model] = firmware[0]!
    return {
      vendor,
      model,
      devices: firmware.reduce((n, f) => n + num(f[4]), 0),
      fail: firmware.reduce((n, f) => n + num(f[5]), 0),
      firmware: firmware.map(([, , fw, firstSeen, devices, fail]) => ({firmware: fw, firstSeen: new Date(firstSeen).toISOString(), devices: num(devices), fail: num(fail)})),
    }
  })
}

export interface DeviceDetail {
  id: number
  device: string
  deviceKey: string
  declared: {vendor: string | null; model: string | null; firmware: string | null; serial: string | null}
  observed: {vendor: string | null; model: string | null; firmware: string | null}
  verdict: string
  profile: string
  services: string[]
  tags: string[]
  run: {finishedAt: string; lab: string | null; campaign: string | null; runId: string; tool: string; reportSha256: string; manifestSha256: string | null; signed: boolean; signer: string | null; source: string}
  /** Whether the store holds the verified bytes (runs ingested from migration 5 on): report.json, the bundle's files. */
  downloads: {report: boolean; bundle: boolean}
  keys: Array<{kind: string; fingerprint: string; sharedWith: number}>
  findings: Array<{check: string; title: string; outcome: string; severity: string; service: string; message: string; evidence: string[]}>
  requirements: Array<{standard: string; requirement: string; title: string | null; verdict: string; reason: string | null}>
  observations: Array<{id: string; probe: string; service: string; status: string; reason: string | null; artifacts: Array<{kind: string; sha256: string}>}>
  /** Coverage: observation statuses and finding outcomes counted. */
  coverage: {observations: Record<string, number>; outcomes: Record<string, number>}
}

export async function deviceDetail(q: Queryable, id: number): Promise<DeviceDetail | undefined> {
  const [d] = await q.query<Record<string, unknown>>(
    `SELECT d.*, r.finished_at, r.run_id AS report_run_id, r.tool_name, r.tool_version, r.report_sha256, r.manifest_sha256, r.signed,
       r.signer_subject, r.signer_fingerprint, r.source_path, l.name AS lab, c.name AS campaign,
       EXISTS (SELECT 1 FROM run_files rf WHERE rf.run_id = r.id AND rf.sha256 = r.report_sha256) AS has_report,
       (r.source_kind = 'bundle' AND EXISTS (SELECT 1 FROM run_files rf WHERE rf.run_id = r.id AND rf.sha256 = r.manifest_sha256)) AS has_bundle
     FROM devices d JOIN runs r ON r.id = d.run_id LEFT JOIN labs l ON l.id = r.lab_id LEFT JOIN campaigns c ON c.id = r.campaign_id
     WHERE d.id = $1`,
    [id],
  )
  if (!d) return undefined
  const [keys, findings, requirements, observations] = await Promise.all([
    q.query<Record<string, unknown>>(
      `SELECT k.kind, k.fingerprint, (SELECT count(DISTINCT k2.device_id) FROM device_keys k2 WHERE k2.fingerprint = k.fingerprint AND k2.device_id <> k.device_id) AS shared
       FROM device_keys k WHERE k.device_id = $1 ORDER BY k.kind, k.fingerprint`,
      [id],
    ),
    q.query<Record<string, unknown>>(
      `SELECT check_id, title, outcome, severity, service, message, evidence FROM findings WHERE device_id = $1
       ORDER BY CASE outcome WHEN 'fail' THEN 0 WHEN 'error' THEN 1 WHEN 'inconclusive' THEN 2 ELSE 3 END,
         CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, check_id, service`,
      [id],
    ),
    q.query<Record<string, unknown>>('SELECT standard, requirement, title, verdict, reason FROM requirement_verdicts WHERE device_id = $1 ORDER BY standard, requirement', [id]),
    q.query<Record<string, unknown>>('SELECT observation_id, probe, service, status, reason, artifacts FROM observations WHERE device_id = $1 ORDER BY service, probe', [id]),
  ])
  const count = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {})
  return {
    id,
    device: String(d.name ?? d.device_key),
    deviceKey: String(d.device_key),
    declared: {vendor: str(d.declared_vendor), model: str(d.declared_model), firmware: str(d.declared_firmware), serial: str(d.declared_serial)},
    observed: {vendor: str(d.observed_vendor), model: str(d.observed_model), firmware: str(d.observed_firmware)},
    verdict: String(d.verdict),
    profile: `${d.profile_id}@${d.profile_version}`,
    services: (d.services as string[]) ?? [],
    tags: (d.tags as string[]) ?? [],
    run: {
      finishedAt: iso(d.finished_at),
      lab: str(d.lab),
      campaign: str(d.campaign),
      runId: String(d.report_run_id),
      tool: `${d.tool_name} ${d.tool_version}`,
      reportSha256: String(d.report_sha256),
      manifestSha256: str(d.manifest_sha256),
      signed: Boolean(d.signed),
      signer: str(d.signer_subject ?? d.signer_fingerprint),
      source: String(d.source_path),
    },
    downloads: {report: Boolean(d.has_report), bundle: Boolean(d.has_bundle)},
    keys: keys.map((k) => ({kind: String(k.kind), fingerprint: String(k.fingerprint), sharedWith: num(k.shared)})),
    findings: findings.map((f) => ({
      check: String(f.check_id),
      title: String(f.title),
      outcome: String(f.outcome),
      severity: String(f.severity),
      service: String(f.service),
      message: String(f.message),
      evidence: (f.evidence as string[]) ?? [],
    })),
    requirements: requirements.map((r) => ({standard: String(r.standard), requirement: String(r.requirement), title: str(r.title), verdict: String(r.verdict), reason: str(r.reason)})),
    observations: observations.map((o) => ({
      id: String(o.observation_id),
      probe: String(o.probe),
      service: String(o.service),
      status: String(o.status),
      reason: str(o.reason),
      artifacts: (o.artifacts as Array<{kind: string; sha256: string}>) ?? [],
    })),
    coverage: {observations: count(observations.map((o) => String(o.status))), outcomes: count(findings.map((f) => String(f.outcome)))},
  }
}
