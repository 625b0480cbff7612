/**
 * Ingest: one verified input → one transaction. The run row is keyed by the SHA-256 of the report's canonical
 * JSON, so the same report (alone or inside a bundle, ingested twice or by two writers at once) is stored once.
 * Rows go in per chunk of devices as JSON record sets (`jsonb_to_recordset`): one statement per table per chunk,
 * the same SQL on PGlite and PostgreSQL, and memory bounded by the chunk, not the fleet.
 */
import type {Device, Report} from '../evidence/types.js'
import {sha256Hex} from '../evidence/ids.js'
import {identityDigest} from '../identity/batch.js'
import {type InputResult, readInput, type VerifiedInput} from './input.js'
import {CAMPAIGN_KEYS_SQL, CAMPAIGN_STATS_SQL, FIRMWARE_STATS_SQL, RUN_CHECK_STATS_SQL, RUN_PRODUCT_STATS_SQL, RUN_TOTALS_SQL} from './migrations.js'
import type {Queryable, Store} from './store.js'

export interface IngestTarget {
  lab?: string
  campaign?: {name: string; periodStart?: string; periodEnd?: string; notes?: string}
}

export interface IngestOutcome {
  path: string
  status: 'stored' | 'duplicate'
  reportSha256: string
  devices: number
  findings: number
}

const CHUNK = 250

export async function ingestVerified(store: Store, input: VerifiedInput, target: IngestTarget = {}): Promise<IngestOutcome> {
  const outcome = await storeRun(store, input, target)
  if (outcome.status === 'stored' && store.kind === 'embedded') {
    const [row] = await store.query<{n: number}>('SELECT count(*) AS n FROM runs')
    if (refreshStatistics(Number(row?.n ?? 0))) await store.exec('ANALYZE')
  }
  return outcome
}

/** PGlite runs no autovacuum: without statistics the planner picks scans the indexes were made to avoid. The
 *  embedded store is analysed after its 1st, 2nd, 4th … 64th run, then every 64th (amortised: a few ms a run). */
function refreshStatistics(runs: number): boolean {
  return runs <= 64 ? (runs & (runs - 1)) === 0 : runs % 64 === 0
}

async function storeRun(store: Store, input: VerifiedInput, target: IngestTarget): Promise<IngestOutcome> {
  const report = input.report
  const base = {path: input.path, reportSha256: input.reportSha256, devices: report.devices.length}
  return store.transaction(async (tx) => {
    const labName = target.lab ?? input.lab?.name
    const labId = labName ? await upsertLab(tx, labName, labName === input.lab?.name ? input.lab : undefined) : null
    const campaignId = target.campaign ? await upsertCampaign(tx, target.campaign) : null
    const inserted = await tx.query<{id: number}>(
      `INSERT INTO runs (report_key, report_sha256, source_kind, manifest_sha256, signed, signer_fingerprint, signer_subject, source_path,
         lab_id, campaign_id, run_id, tool_name, tool_version, started_at, finished_at, command_line,
         profile_id, profile_version, profile_sha256, fail_on, device_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       ON CONFLICT (report_key) DO NOTHING RETURNING id`,
      [
        input.reportKey,
        input.reportSha256,
        input.kind,
        input.manifestSha256 ?? null,
        input.signed,
        input.signer?.keyFingerprint ?? null,
        input.signer?.subject ?? null,
        input.path,
        labId,
        campaignId,
        report.run.id,
        report.tool.name,
        report.tool.version,
        report.run.startedAt,
        report.run.finishedAt,
        report.run.commandLine,
        report.run.profile.id,
        report.run.profile.version,
        report.run.profile.sha256,
        report.summary.failOn,
        report.devices.length,
      ],
    )
    const runRow = inserted[0]
    if (!runRow) return {...base, status: 'duplicate' as const, findings: 0}
    let findings = 0
    for (let i = 0; i < report.devices.length; i += CHUNK) {
      findings += await insertDevices(tx, Number(runRow.id), report, report.devices.slice(i, i + CHUNK))
    }
    if (input.files) await storeFiles(tx, Number(runRow.id), input.files)
    await tx.query(RUN_CHECK_STATS_SQL('d.run_id = $1'), [Number(runRow.id)])
    await tx.query(RUN_PRODUCT_STATS_SQL('d.run_id = $1'), [Number(runRow.id)])
    for (const sql of RUN_TOTALS_SQL) await tx.query(sql, [Number(runRow.id)])
    await tx.query(FIRMWARE_STATS_SQL, [Number(runRow.id)])
    if (campaignId !== null) {
      await tx.query(CAMPAIGN_KEYS_SQL, [Number(runRow.id), campaignId])
      for (const sql of CAMPAIGN_STATS_SQL) await tx.query(sql, [Number(runRow.id), campaignId])
    }
    return {...base, status: 'stored' as const, findings}
  })
}

/** The verified files' bytes, content-addressed (a file already stored by another run is not sent again), and the
 *  run's list of them. One statement per new file, no JSON to parse. */
async function storeFiles(tx: Queryable, runId: number, files: ReadonlyMap<string, Buffer>): Promise<void> {
  const entries = [...files].map(([path, bytes]) => ({path, sha256: sha256Hex(bytes), bytes})).sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0))
  const digests = [...new Set(entries.map((e) => e.sha256))]
  const known = new Set((await tx.query<{sha256: string}>('SELECT sha256 FROM evidence_blobs WHERE sha256 = ANY($1::text[])', [digests])).map((r) => r.sha256))
  for (const e of entries) {
    if (known.has(e.sha256)) continue
    known.add(e.sha256)
    // Base64 text decoded by the server: PGlite serialises a Uint8Array parameter byte by byte in JavaScript (seconds
    // and hundreds of MB for a 13 MB report); Buffer's base64 is native, and a third shorter than hex.
    await tx.query("INSERT INTO evidence_blobs (sha256, size, bytes) VALUES ($1, $2, decode($3, 'base64')) ON CONFLICT (sha256) DO NOTHING", [
      e.sha256,
      e.bytes.length,
      e.bytes.toString('base64'),
    ])
  }
  await tx.query(
    `INSERT INTO run_files (run_id, path, sha256) SELECT $1, x.path, x.sha256 FROM jsonb_to_recordset($2::jsonb) AS x(path TEXT, sha256 TEXT)`,
    [runId, JSON.stringify(entries.map(({path, sha256}) => ({path, sha256})))],
  )
}

async function upsertLab(tx: Queryable, name: string, info?: {operator?: string; accreditationId?: string}): Promise<number> {
  const rows = await tx.query<{id: number}>(
    `INSERT INTO labs (name, operator, accreditation_id) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET operator = COALESCE(EXCLUDED.operator, labs.operator),
       accreditation_id = COALESCE(EXCLUDED.accreditation_id, labs.accreditation_id)
     RETURNING id`,
    [name, info?.operator ?? null, info?.accreditationId ?? null],
  )
  return Number(rows[0]!.id)
}

async function upsertCampaign(tx: Queryable, c: NonNullable<IngestTarget['campaign']>): Promise<number> {
  const rows = await tx.query<{id: number}>(
    `INSERT INTO campaigns (name, period_start, period_end, notes) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET period_start = COALESCE(EXCLUDED.period_start, campaigns.period_start),
       period_end = COALESCE(EXCLUDED.period_end, campaigns.period_end), notes = COALESCE(EXCLUDED.notes, campaigns.notes)
     RETURNING id`,
    [c.name, c.periodStart ?? null, c.periodEnd ?? null, c.notes ?? null],
  )
  return Number(rows[0]!.id)
}

/** Requirement verdicts, when the report carries them (profiles with requirements); absent in older reports. */
interface RequirementLike {
  standard?: unknown
  id?: unknown
  title?: unknown
  level?: unknown
  verdict?: unknown
  reason?: unknown
}

async function insertDevices(tx: Queryable, runId: number, report: Report, devices: Device[]): Promise<number> {
  const deviceRows = devices.map((d) => {
    const identity = identityDigest(d)
    const declared = d.declared ?? {}
    const profile = d.profile ?? report.run.profile
    return {
      device_key: d.id,
      name: d.name ?? null,
      declared_vendor: declared.vendor ?? null,
      declared_model: declared.model ?? null,
      declared_firmware: declared.firmware ?? null,
      declared_serial: declared.serial ?? null,
      observed_vendor: identity.observed.vendor ?? null,
      observed_model: identity.observed.model ?? null,
      observed_firmware: identity.observed.firmware ?? null,
      vendor: declared.vendor ?? identity.observed.vendor ?? null,
      model: declared.model ?? identity.observed.model ?? null,
      firmware: declared.firmware ?? identity.observed.firmware ?? null,
      tags: d.tags ?? [],
      profile_id: profile.id,
      profile_version: profile.version,
      profile_sha256: profile.sha256,
      verdict: d.verdict,
      failed: d.findings.filter((f) => f.outcome === 'fail').length,
      services: d.services.map((s) => s.id),
      keys: [...identity.tlsKeys.map((k) => ({kind: 'tls', fingerprint: k})), ...identity.sshKeys.map((k) => ({kind: 'ssh', fingerprint: k}))],
    }
  })
  const ids = await tx.query<{id: number; device_key: string}>(
    `INSERT INTO devices (run_id, device_key, name, declared_vendor, declared_model, declared_firmware, declared_serial,
       observed_vendor, observed_model, observed_firmware, vendor, model, firmware, tags, profile_id, profile_version,
       profile_sha256, verdict, failed, services, lab_id, campaign_id, finished_at)
     SELECT $1, x.device_key, x.name, x.declared_vendor, x.declared_model, x.declared_firmware, x.declared_serial,
       x.observed_vendor, x.observed_model, x.observed_firmware, x.vendor, x.model, x.firmware, x.tags, x.profile_id,
       x.profile_version, x.profile_sha256, x.verdict, x.failed, x.services, r.lab_id, r.campaign_id, r.finished_at
     FROM jsonb_to_recordset($2::jsonb) AS x(device_key TEXT, name TEXT, declared_vendor TEXT, declared_model TEXT,
       declared_firmware TEXT, declared_serial TEXT, observed_vendor TEXT, observed_model TEXT, observed_firmware TEXT,
       vendor TEXT, model TEXT, firmware TEXT, tags JSONB, profile_id TEXT, profile_version TEXT, profile_sha256 TEXT,
       verdict TEXT, failed INTEGER, services JSONB)
     -- The run's lab, campaign and finish, copied for the conformity list's indexes (migration 7).
     CROSS JOIN (SELECT lab_id, campaign_id, finished_at FROM runs WHERE id = $1) AS r
     RETURNING id, device_key`,
    [runId, JSON.stringify(deviceRows.map(({keys: _keys, ...row}) => row))],
  )
  const idOf = new Map(ids.map((r) => [r.device_key, Number(r.id)]))

  const keys = deviceRows.flatMap((row) => row.keys.map((k) => ({device_id: idOf.get(row.device_key), ...k})))
  const findings = devices.flatMap((d) =>
    d.findings.map((f) => ({
      device_id: idOf.get(d.id),
      check_id: f.check,
      title: f.title,
      outcome: f.outcome,
      severity: f.severity,
      service: f.service,
      message: f.message,
      evidence: f.evidence,
    })),
  )
  const requirements = devices.flatMap((d) => {
    const list = (d as Device & {requirements?: unknown}).requirements
    if (!Array.isArray(list)) return []
    const seen = new Set<string>()
    return (list as RequirementLike[])
      .filter((r) => typeof r?.id === 'string' && typeof r.verdict === 'string')
      .map((r) => ({
        device_id: idOf.get(d.id),
        standard: typeof r.standard === 'string' ? r.standard : '',
        requirement: r.id as string,
        title: typeof r.title === 'string' ? r.title : null,
        level: typeof r.level === 'string' ? r.level : null,
        verdict: r.verdict as string,
        reason: typeof r.reason === 'string' ? r.reason : null,
      }))
      .filter((r) => !seen.has(`${r.standard}\0${r.requirement}`) && seen.add(`${r.standard}\0${r.requirement}`))
  })
  const observations = devices.flatMap((d) =>
    d.observations.map((o) => ({
      device_id: idOf.get(d.id),
      observation_id: o.id,
      probe: o.probe,
      service: o.service,
      collected_at: o.collectedAt,
      status: o.error ? 'error' : o.partial ? 'partial' : 'complete',
      reason: o.error ? `${o.error.code}: ${o.error.message}` : o.partial ? `${o.partial.code}: ${o.partial.message}` : null,
      artifacts: o.artifacts.map((a) => ({kind: a.kind, sha256: a.sha256})),
    })),
  )

  if (keys.length > 0) {
    await tx.query(
      `INSERT INTO device_keys (device_id, kind, fingerprint)
       SELECT x.device_id, x.kind, x.fingerprint FROM jsonb_to_recordset($1::jsonb) AS x(device_id BIGINT, kind TEXT, fingerprint TEXT)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(keys)],
    )
  }
  if (findings.length > 0) {
    await tx.query(
      `INSERT INTO findings (device_id, check_id, title, outcome, severity, service, message, evidence)
       SELECT x.device_id, x.check_id, x.title, x.outcome, x.severity, x.service, x.message, x.evidence
       FROM jsonb_to_recordset($1::jsonb) AS x(device_id BIGINT, check_id TEXT, title TEXT, outcome TEXT, severity TEXT,
         service TEXT, message TEXT, evidence JSONB)`,
      [JSON.stringify(findings)],
    )
  }
  if (requirements.length > 0) {
    await tx.query(
      `INSERT INTO requirement_verdicts (device_id, standard, requirement, title, level, verdict, reason)
       SELECT x.device_id, x.standard, x.requirement, x.title, x.level, x.verdict, x.reason
       FROM jsonb_to_recordset($1::jsonb) AS x(device_id BIGINT, standard TEXT, requirement TEXT, title TEXT, level TEXT,
         verdict TEXT, reason TEXT)`,
      [JSON.stringify(requirements)],
    )
  }
  if (observations.length > 0) {
    await tx.query(
      `INSERT INTO observations (device_id, observation_id, probe, service, collected_at, status, reason, artifacts)
       SELECT x.device_id, x.observation_id, x.probe, x.service, x.collected_at, x.status, x.reason, x.artifacts
       FROM jsonb_to_recordset($1::jsonb) AS x(device_id BIGINT, observation_id TEXT, probe TEXT, service TEXT,
         collected_at TIMESTAMPTZ, status TEXT, reason TEXT, artifacts JSONB)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(observations)],
    )
  }
  return findings.length
}

export interface IngestRefusal {
  path: string
  status: 'refused'
  problems: string[]
}

/** Verifies then stores one input; a refused input stores nothing and says why. */
export async function ingestPath(store: Store, path: string, target: IngestTarget = {}, options: {trust?: string[]} = {}): Promise<IngestOutcome | IngestRefusal> {
  return ingestInput(store, readInput(path, options), target)
}

/** Stores an input read and verified elsewhere (readInput, verifyReportObject); a refused one stores nothing. */
export async function ingestInput(store: Store, input: InputResult, target: IngestTarget = {}): Promise<IngestOutcome | IngestRefusal> {
  if (!input.ok) return {path: input.path, status: 'refused', problems: input.problems}
  return ingestVerified(store, input, target)
}
