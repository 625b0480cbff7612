/**
 * `db history MODEL`: every firmware version of one model, and what changed from one to the next as `report diff`
 * sees it — the stored report.json of the run that first showed each firmware (the bytes ingest verified,
 * migration 5), cut down to that model's devices on that firmware, diffed against the previous firmware's.
 */
import {diffReports, type ReportDiff} from '../evidence/diff/index.js'
import type {Device, Report} from '../evidence/types.js'
import {evidenceBlob} from './evidence.js'
import type {Queryable, SqlValue} from './store.js'

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v))
const num = (v: unknown): number => Number(v ?? 0)

export interface FirmwareChanges {
  /** The previous firmware (by first seen) this one is compared with. */
  against: string | null
  /** The two runs compared (their report run ids and report SHA-256). */
  runs: {a: {runId: string; reportSha256: string}; b: {runId: string; reportSha256: string}}
  devices: ReportDiff['summary']['devices']
  findings: ReportDiff['summary']['findings']
  /** Devices whose verdict changed (matched by report diff: id, serial, certificate, keys …). */
  verdictChanges: Array<{device: string; from: string; to: string}>
  /** Requirement verdicts that changed on matched devices. */
  requirementChanges: Array<{device: string; standard: string; requirement: string; from: string; to: string}>
  /** Report diff's regressions (new failures at or above the newer report's fail-on). */
  regressions: number
}

export interface FirmwareHistory {
  firmware: string | null
  firstSeen: string
  lastSeen: string
  devices: number
  verdicts: {pass: number; fail: number; incomplete: number}
  /** Checks failed on at least one device of this firmware. */
  failing: string[]
  /** Against the previous firmware, from report diff: checks with a new failure, and checks with a fixed one. */
  newlyFailing: string[]
  fixed: string[]
  /** Report diff against the previous firmware; absent for the first, or `unavailable` says why there is none. */
  changes?: FirmwareChanges
  unavailable?: string
}

interface Representative {
  id: number
  runId: string
  reportSha256: string
}

/** Every firmware version of one model (case-insensitive), oldest first, with what changed between them. */
export async function modelHistory(q: Queryable, model: string, vendor?: string): Promise<FirmwareHistory[]> {
  const params: SqlValue[] = [model]
  const byVendor = vendor ? ` AND lower(d.vendor) = lower($${params.push(vendor)})` : ''
  const rows = await q.query<Record<string, unknown>>(
    `SELECT d.firmware, min(r.finished_at) AS first_seen, max(r.finished_at) AS last_seen, count(*) AS devices,
       count(*) FILTER (WHERE d.verdict = 'pass') AS pass, count(*) FILTER (WHERE d.verdict = 'fail') AS fail,
       count(*) FILTER (WHERE d.verdict = 'incomplete') AS incomplete,
       (SELECT array_agg(DISTINCT f.check_id) FROM findings f JOIN devices d2 ON d2.id = f.device_id
          WHERE f.outcome = 'fail' AND lower(d2.model) = lower($1) AND d2.firmware IS NOT DISTINCT FROM d.firmware${byVendor.replace(/\bd\./g, 'd2.')}) AS failing,
       (SELECT r2.id || ' ' || r2.run_id || ' ' || r2.report_sha256 FROM devices d3 JOIN runs r2 ON r2.id = d3.run_id
          WHERE lower(d3.model) = lower($1) AND d3.firmware IS NOT DISTINCT FROM d.firmware${byVendor.replace(/\bd\./g, 'd3.')}
            AND EXISTS (SELECT 1 FROM run_files rf WHERE rf.run_id = r2.id AND rf.sha256 = r2.report_sha256)
          ORDER BY r2.finished_at, r2.id LIMIT 1) AS representative
     FROM devices d JOIN runs r ON r.id = d.run_id
     WHERE lower(d.model) = lower($1)${byVendor}
     GROUP BY d.firmware ORDER BY first_seen, d.firmware`,
    params,
  )
  const history: FirmwareHistory[] = []
  let previous: {firmware: string | null; report?: Report; run?: Representative} | undefined
  for (const r of rows) {
    const firmware = (r.firmware as string | null) ?? null
    const run = parseRepresentative(r.representative)
    const report = run ? await modelReport(q, run, model, firmware, vendor) : undefined
    const entry: FirmwareHistory = {
      firmware,
      firstSeen: iso(r.first_seen),
      lastSeen: iso(r.last_seen),
      devices: num(r.devices),
      verdicts: {pass: num(r.pass), fail: num(r.fail), incomplete: num(r.incomplete)},
      failing: ((r.failing as string[] | null) ?? []).slice().sort(),
      newlyFailing: [],
      fixed: [],
    }
    if (previous) {
      if (previous.report && previous.run && report && run) {
        const {changes, newlyFailing, fixed} = changesBetween(previous.firmware, previous.run, previous.report, run, report)
        Object.assign(entry, {changes, newlyFailing, fixed})
      } else {
        entry.unavailable = 'no stored report.json for one of the two firmware versions (runs ingested before the store kept evidence bytes): nothing to diff'
      }
    }
    history.push(entry)
    previous = {firmware, ...(report ? {report} : {}), ...(run ? {run} : {})}
  }
  return history
}

function parseRepresentative(value: unknown): Representative | undefined {
  if (typeof value !== 'string') return undefined
  const [id, runId, reportSha256] = value.split(' ')
  return id && runId !== undefined && reportSha256 ? {id: Number(id), runId, reportSha256} : undefined
}

/** The run's stored report with only this model's devices on this firmware (batch findings left out: they are
 *  about the whole run's devices). */
async function modelReport(q: Queryable, run: Representative, model: string, firmware: string | null, vendor?: string): Promise<Report | undefined> {
  const bytes = await evidenceBlob(q, run.reportSha256)
  if (!bytes) return undefined
  const params: SqlValue[] = [run.id, model, firmware]
  const byVendor = vendor ? ` AND lower(vendor) = lower($${params.push(vendor)})` : ''
  const keys = new Set(
    (await q.query<{device_key: string}>(`SELECT device_key FROM devices WHERE run_id = $1 AND lower(model) = lower($2) AND firmware IS NOT DISTINCT FROM $3${byVendor}`, params)).map(
      (k) => k.device_key,
    ),
  )
  const report = JSON.parse(bytes.toString('utf8')) as Report
  const {batch: _batch, ...rest} = report
  return {...rest, devices: report.devices.filter((d) => keys.has(d.id))}
}

function changesBetween(against: string | null, aRun: Representative, a: Report, bRun: Representative, b: Report): {changes: FirmwareChanges; newlyFailing: string[]; fixed: string[]} {
  const diff = diffReports({report: a, source: aRun.runId, kind: 'report'}, {report: b, source: bRun.runId, kind: 'report'}, b.summary.failOn)
  const aById = new Map(a.devices.map((d) => [d.id, d]))
  const bById = new Map(b.devices.map((d) => [d.id, d]))
  const verdictChanges: FirmwareChanges['verdictChanges'] = []
  const requirementChanges: FirmwareChanges['requirementChanges'] = []
  for (const pair of diff.devices) {
    if (pair.status !== 'matched' || !pair.a || !pair.b) continue
    const name = pair.b.name ?? pair.b.id
    if (pair.a.verdict !== pair.b.verdict) verdictChanges.push({device: name, from: pair.a.verdict, to: pair.b.verdict})
    const before = requirementVerdicts(aById.get(pair.a.id))
    for (const [key, to] of requirementVerdicts(bById.get(pair.b.id))) {
      const from = before.get(key)
      if (from !== undefined && from !== to) {
        const [standard, requirement] = key.split('\u0000') as [string, string]
        requirementChanges.push({device: name, standard, requirement, from, to})
      }
    }
  }
  const checks = (kind: 'new' | 'fixed') => [...new Set(diff.devices.flatMap((d) => d.findings.filter((f) => f.change === kind).map((f) => f.check)))].sort()
  const changes: FirmwareChanges = {
    against,
    runs: {a: {runId: aRun.runId, reportSha256: aRun.reportSha256}, b: {runId: bRun.runId, reportSha256: bRun.reportSha256}},
    devices: diff.summary.devices,
    findings: diff.summary.findings,
    verdictChanges,
    requirementChanges,
    regressions: diff.summary.regressions,
  }
  return {changes, newlyFailing: checks('new'), fixed: checks('fixed')}
}

/** A device's requirement verdicts (reports of profiles with requirements), keyed by standard and id. */
function requirementVerdicts(device: Device | undefined): Map<string, string> {
  const list = (device as (Device & {requirements?: unknown}) | undefined)?.requirements
  const out = new Map<string, string>()
  if (!Array.isArray(list)) return out
  for (const r of list as Array<{standard?: unknown; id?: unknown; verdict?: unknown}>) {
    if (typeof r?.id === 'string' && typeof r.verdict === 'string') out.set(`${typeof r.standard === 'string' ? r.standard : ''}\u0000${r.id}`, r.verdict)
  }
  return out
}
