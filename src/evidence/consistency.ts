/**
 * Is a (schema-valid) report consistent with itself? Everything derived is recomputed from what it is derived
 * from and compared: a report edited by hand — a finding whose evidence does not exist, a service the device does
 * not have, a verdict or exit code that its findings do not give — is named, first contradiction first.
 *
 * Recomputed: each artifact's SHA-256 from its content; each observation id from its content (ids.ts
 * observationId, artifacts' SHA-256 included); every finding's service is one of its device's; every evidence id
 * resolves to an observation of the same device; each device verdict (verdict.ts deviceVerdict); the batch
 * findings (when the report's profile is a built-in one with the same bytes: recomputed from the devices;
 * otherwise their devices and evidence must resolve); the summary and the exit code (summarize + withBatch) from
 * the findings and the report's failOn.
 *
 * Not recomputed: each finding from its observations (that needs the checks of the build that judged it, and
 * checks change between versions: `report diff` against a rescan is the tool for that).
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {deviceVerdict, summarize, withBatch} from '../engine/verdict.js'
import {analyzeBatch, identityDigest, type SelectedBatchCheck} from '../identity/batch.js'
import {deviceServiceId} from '../identity/derive.js'
import {P_DEVICE_IDENTITY} from '../identity/types.js'
import {builtInProfileDir, loadProfileFile} from '../profiles/loader.js'
import {requirementContradictions} from '../requirements/consistency.js'
import {canonicalJson, observationId, sha256Hex} from './ids.js'
import type {BatchSummary, Device, Report} from './types.js'

export interface ConsistencyResult {
  /** Contradictions, each naming where in the report (JSON pointer-like path) and what differs; first one first. */
  problems: string[]
  /** What could not be recomputed and why (not a problem). */
  notes: string[]
}

export function reportContradictions(report: Report): ConsistencyResult {
  const problems: string[] = []
  const notes: string[] = []
  const failOn = report.summary.failOn
  if (/^1\.0\./.test(report.schemaVersion)) {
    notes.push(`schemaVersion ${report.schemaVersion}: written before observation ids bound the artifacts' SHA-256 (schema 1.1.0), so its ids do not recompute here; verify it with the sg17scan build that wrote it`)
  }

  const deviceIds = new Set<string>()
  report.devices.forEach((device, d) => {
    const at = `devices[${d}] (${device.id})`
    if (deviceIds.has(device.id)) problems.push(`${at}: device id ${JSON.stringify(device.id)} appears twice`)
    deviceIds.add(device.id)
    checkDevice(device, at, problems)
    const verdict = deviceVerdict(device.findings, failOn)
    if (verdict !== device.verdict) problems.push(`${at}.verdict: says ${device.verdict}, its findings give ${verdict} (fail-on ${failOn})`)
  })

  checkBatch(report, deviceIds, problems, notes)
  // Requirement verdicts (whole-standard profiles) are derived by rule: derived again here.
  const requirements = requirementContradictions(report)
  problems.push(...requirements.problems)
  notes.push(...requirements.notes)

  // The summary from the devices as they are (their verdicts, already checked above) and the batch as stored.
  const expected = withBatch(summarize(report.devices, failOn), report.batch)
  for (const key of ['devices', 'verdicts', 'outcomes', 'failedBySeverity', 'exitCode'] as const) {
    if (canonicalJson(report.summary[key]) !== canonicalJson(expected[key])) {
      problems.push(`summary.${key}: says ${JSON.stringify(report.summary[key])}, the findings give ${JSON.stringify(expected[key])} (fail-on ${failOn})`)
    }
  }
  return {problems, notes}
}

function checkDevice(device: Device, at: string, problems: string[]): void {
  const services = new Set(device.services.map((s) => s.id))
  // Observations may also be of the device itself (identity) or of a bare host (port discovery).
  const hosts = new Set(device.observations.filter((o) => o.service.startsWith('host://')).map((o) => o.service.slice('host://'.length)))
  const ownService = (id: string) => services.has(id) || id === deviceServiceId(device.id) || hosts.has(id) || hosts.has(id.replace(/^host:\/\//, ''))
  const observations = new Map<string, number>()
  device.observations.forEach((o, i) => {
    const where = `${at}.observations[${i}]`
    o.artifacts.forEach((a, k) => {
      const actual = sha256Hex(a.content)
      if (actual !== a.sha256) problems.push(`${where}.artifacts[${k}]: records sha256 ${a.sha256.slice(0, 16)}…, its content hashes to ${actual.slice(0, 16)}…`)
    })
    const id = observationId(o)
    if (id !== o.id) problems.push(`${where}: id ${o.id} does not match its content (recomputed ${id})`)
    if (!ownService(o.service)) problems.push(`${where}: service ${o.service} is not a service of the device`)
    observations.set(o.id, i)
  })
  device.findings.forEach((f, i) => {
    const where = `${at}.findings[${i}] (${f.check})`
    if (!ownService(f.service)) problems.push(`${where}: service ${f.service} is not a service of the device (${[...services].join(', ') || 'none'})`)
    for (const e of f.evidence) {
      const index = observations.get(e)
      if (index === undefined) problems.push(`${where}: evidence ${e} is not an observation of the device`)
      else {
        const o = device.observations[index]!
        if (o.service !== f.service && o.service !== deviceServiceId(device.id) && !o.service.startsWith('host://')) {
          problems.push(`${where}: evidence ${e} is an observation of ${o.service}, not of ${f.service}`)
        }
      }
    }
  })
}

function checkBatch(report: Report, deviceIds: Set<string>, problems: string[], notes: string[]): void {
  const identities = new Map<string, string>()
  for (const d of report.devices) for (const o of d.observations) if (o.probe === P_DEVICE_IDENTITY) identities.set(o.id, d.id)
  report.batch?.findings.forEach((f, i) => {
    const where = `batch.findings[${i}] (${f.check})`
    for (const id of f.devices) if (!deviceIds.has(id)) problems.push(`${where}: device ${id} is not in the report`)
    for (const e of f.evidence) {
      const owner = identities.get(e)
      if (!owner) problems.push(`${where}: evidence ${e} is not a ${P_DEVICE_IDENTITY} observation of the report`)
      else if (!f.devices.includes(owner)) problems.push(`${where}: evidence ${e} belongs to device ${owner}, which the finding does not name`)
    }
  })

  const checks = builtInBatchChecks(report)
  if (!checks) {
    if (report.batch) notes.push(`batch findings not recomputed: profile ${report.run.profile.id} (sha256 ${report.run.profile.sha256.slice(0, 12)}…) is not a built-in profile of this build`)
    return
  }
  // Scan and merge analyse a batch whenever there are several devices and the profile selects batch checks.
  const identified = report.devices.some((d) => d.observations.some((o) => o.probe === P_DEVICE_IDENTITY))
  const expected: BatchSummary | undefined =
    report.devices.length > 1 && checks.length > 0 && identified ? analyzeBatch(report.devices.map(identityDigest), checks) : undefined
  if (!expected) return
  if (!report.batch) {
    const failed = expected.findings.filter((f) => f.outcome === 'fail')
    if (failed.length > 0) problems.push(`batch: missing, but the devices give ${failed.length} failed batch finding(s): ${failed.map((f) => `${f.check} on ${f.devices.join(', ')}`).join('; ')}`)
    return
  }
  const stored = report.batch.findings
  const n = Math.max(stored.length, expected.findings.length)
  for (let i = 0; i < n; i++) {
    const s = stored[i]
    const e = expected.findings[i]
    if (canonicalJson(s) === canonicalJson(e)) continue
    const show = (f: typeof s) => (f ? `${f.check} ${f.outcome} ${f.severity} on ${f.devices.join(', ') || 'no device'}` : 'nothing')
    problems.push(`batch.findings[${i}]: says ${show(s)}, the devices give ${show(e)}`)
    break
  }
}

/** The batch checks of the report's profile when this build has it built in with the same bytes. */
function builtInBatchChecks(report: Report): SelectedBatchCheck[] | undefined {
  // Looked up among the built-in profiles only: a report's profile id is never opened as a path.
  const {id, sha256} = report.run.profile
  const file = join(builtInProfileDir(), `${id}.yaml`)
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(id) || !existsSync(file)) return undefined
  const profile = loadProfileFile(file)
  if (profile.sha256 !== sha256) return undefined
  return profile.checks.filter((s) => s.check.scope === 'batch') as SelectedBatchCheck[] | undefined
}
