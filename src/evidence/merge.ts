/**
 * Merging reports of one profile (e.g. the same lab's scans of several devices, or one device's services
 * scanned in separate runs) into one report.
 *
 * - Devices are unioned by id, in order of first appearance (input order, then device order).
 * - A device id present in several inputs with identical content is kept once. With different content it is a
 *   conflict: by default the merge fails (the caller exits 1 listing the conflicts); `prefer: 'first'` keeps the
 *   device from the earliest input given, `prefer: 'newest'` the one from the input whose run finished last (ties:
 *   the earlier input). Devices are never combined field by field: a device's findings are judged from its own
 *   observations, and mixing two runs' would make evidence the findings do not cite.
 * - Every input must use the identical profile (id, version, sha256): otherwise MergeProfileError.
 * - failOn: from the first input unless given; device verdicts and the summary are recomputed with it.
 * - run: id content-derived from the inputs' run ids (sorted, so argument order does not change it), startedAt the
 *   earliest, finishedAt the latest, statistics summed (peak per device: the maximum) when every input has them.
 * - batch: recomputed from the merged devices (keys shared between devices of different inputs are found) when
 *   more than one device carries a `device.identity` observation, i.e. the profile selected identity checks.
 * - Inputs are re-verified first (consistency.ts): an input that contradicts itself is refused (MergeInputError),
 *   never trusted.
 * - Provenance: run.sources keeps each input's own (file digest, run id, tool build, profile, times, command
 *   line(s), data and input digests, and which devices it contributed; an input that is itself a merge contributes
 *   its sources). Inputs judged by different tool builds (version, commit or package) or with different data
 *   files are refused (MergeBuildError) unless `allowMixedBuilds`, which merges them and lists the differences
 *   in `mixedBuilds` for the caller to flag. tool is the merging build (it recomputed verdicts and summary).
 */
import {deviceCoverage} from '../engine/coverage.js'
import {deviceVerdict, summarize, withBatch} from '../engine/verdict.js'
import {analyzeBatch, defaultBatchChecks, identityDigest, type SelectedBatchCheck} from '../identity/batch.js'
import {refreshBatchRequirements} from '../requirements/assess.js'
import {P_DEVICE_IDENTITY} from '../identity/types.js'
import {ConfigError} from '../profiles/errors.js'
import {resolveProfile} from '../profiles/loader.js'
import {reportContradictions} from './consistency.js'
import {canonicalJson, contentId} from './ids.js'
import {toolInfo} from './provenance.js'
import type {Device, Report, ReportSource, Severity, ToolInfo} from './types.js'
import {SCHEMA_VERSION} from './version.js'

export type MergePreference = 'first' | 'newest'

export interface MergeInput {
  /** How messages name this input (its file name). */
  name: string
  report: Report
  /** SHA-256 of the input file's bytes, recorded in run.sources. */
  sha256?: string
}

export interface MergeOptions {
  prefer?: MergePreference
  failOn?: Severity
  /** run.commandLine of the merged report (redacted by the caller). */
  commandLine?: string
  /** Merge inputs judged by different tool builds or data (each keeps its own in run.sources); default refuse. */
  allowMixedBuilds?: boolean
  /** Re-verify each input's consistency first (default true; off only for hand-made test reports). */
  verifyInputs?: boolean
}

export interface MergeConflict {
  deviceId: string
  /** Inputs (names) holding different content for the device, in input order. */
  inputs: string[]
  /** Which top-level device fields differ between the first two differing versions. */
  fields: string[]
  /** The input whose device was kept, when a preference resolved the conflict. */
  kept?: string
}

export interface MergeResult {
  /** Undefined when conflicts are unresolved (no preference given). */
  report?: Report
  conflicts: MergeConflict[]
  /** With allowMixedBuilds: each input whose build or data differs from the first input's, and how. */
  mixedBuilds: string[]
}

/** The inputs use different profiles: a usage error (exit 2). */
export class MergeProfileError extends ConfigError {}

/** An input contradicts itself (report verify would reject it): exit 2. */
export class MergeInputError extends ConfigError {}

/** The inputs were judged by different tool builds or data: exit 2 unless allowMixedBuilds. */
export class MergeBuildError extends ConfigError {}

/** How a build is named in messages and compared: version, commit or package integrity (Node aside). */
export function buildKey(tool: ToolInfo): string {
  return `${tool.name} ${tool.version}${tool.commit ? ` commit ${tool.commit}` : ''}${tool.packageIntegrity ? ` package ${tool.packageIntegrity}` : ''}`
}

export function mergeReports(inputs: MergeInput[], options: MergeOptions = {}): MergeResult {
  if (inputs.length === 0) throw new ConfigError('nothing to merge: give at least one report')
  if (options.verifyInputs !== false) {
    for (const input of inputs) {
      const {problems} = reportContradictions(input.report)
      if (problems.length > 0) {
        throw new MergeInputError(`${input.name} contradicts itself (report verify rejects it): nothing merged`, problems.slice(0, 10).concat(problems.length > 10 ? [`… and ${problems.length - 10} more`] : []))
      }
    }
  }
  const first = inputs[0]!
  const profileKey = (r: Report) => canonicalJson(r.run.profile)
  for (const input of inputs.slice(1)) {
    if (profileKey(input.report) !== profileKey(first.report)) {
      throw new MergeProfileError('the reports use different profiles; only reports of one profile can be merged', [
        `${first.name}: ${describeProfile(first.report)}`,
        `${input.name}: ${describeProfile(input.report)}`,
      ])
    }
  }

  const mixedBuilds = buildDifferences(inputs)
  if (mixedBuilds.length > 0 && !options.allowMixedBuilds) {
    throw new MergeBuildError('the reports were judged by different tool builds or data; merging them would mix judgements (give --allow-mixed-builds to merge anyway, each input keeping its build in run.sources)', mixedBuilds)
  }

  // Per device id: each distinct version with the inputs that hold it.
  const order: string[] = []
  const versions = new Map<string, Array<{device: Device; key: string; holders: number[]}>>()
  inputs.forEach((input, index) => {
    for (const device of input.report.devices) {
      const key = canonicalJson(device)
      let list = versions.get(device.id)
      if (!list) {
        list = []
        versions.set(device.id, list)
        order.push(device.id)
      }
      const same = list.find((v) => v.key === key)
      if (same) {
        if (!same.holders.includes(index)) same.holders.push(index)
      } else list.push({device, key, holders: [index]})
    }
  })

  const conflicts: MergeConflict[] = []
  const chosen = new Map<string, Device>()
  for (const id of order) {
    const list = versions.get(id)!
    if (list.length === 1) {
      chosen.set(id, list[0]!.device)
      continue
    }
    const holders = [...new Set(list.flatMap((v) => v.holders))].sort((a, b) => a - b)
    const conflict: MergeConflict = {
      deviceId: id,
      inputs: holders.map((i) => inputs[i]!.name),
      fields: differingFields(list[0]!.device, list[1]!.device),
    }
    if (options.prefer) {
      const pick = pickInput(holders, inputs, options.prefer)
      const version = list.find((v) => v.holders.includes(pick))!
      chosen.set(id, version.device)
      conflict.kept = inputs[pick]!.name
    }
    conflicts.push(conflict)
  }
  if (conflicts.length > 0 && !options.prefer) return {conflicts, mixedBuilds}

  const failOn = options.failOn ?? first.report.summary.failOn
  const devices: Device[] = order.map((id) => {
    const device = structuredClone(chosen.get(id)!)
    device.verdict = deviceVerdict(device.findings, failOn)
    device.coverage = deviceCoverage(device)
    return device
  })

  const reports = inputs.map((i) => i.report)
  const runIds = [...new Set(reports.map((r) => r.run.id))].sort()
  const data = reports.every((r) => r.run.data && canonicalJson(r.run.data) === canonicalJson(reports[0]!.run.data)) ? reports[0]!.run.data : undefined
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: toolInfo(),
    run: {
      id: contentId('merge', runIds),
      startedAt: earliest(reports.map((r) => r.run.startedAt)),
      finishedAt: latest(reports.map((r) => r.run.finishedAt)),
      commandLine: options.commandLine ?? `sg17scan report merge (${runIds.join(', ')})`,
      profile: {...first.report.run.profile},
      ...(data ? {data: structuredClone(data)} : {}),
      sources: sourcesOf(inputs, chosen, devices),
    },
    devices,
    summary: summarize(devices, failOn),
  }
  const batch = mergedBatch(devices, first.report)
  if (batch) {
    report.batch = batch
    report.summary = withBatch(report.summary, batch)
  }
  // Shards of one batch are compared now: the shared-key requirement verdicts read the merged batch.
  report.devices = report.devices.map((d) => refreshBatchRequirements(d, batch ? {summary: batch, devices: report.devices.length} : undefined))
  const stats = reports.map((r) => r.run.statistics)
  if (stats.every((s) => s !== undefined)) {
    report.run.statistics = {
      connections: stats.reduce((n, s) => n + s.connections, 0),
      peakConnectionsPerDevice: Math.max(...stats.map((s) => s.peakConnectionsPerDevice)),
      probeUnits: stats.reduce((n, s) => n + s.probeUnits, 0),
      durationMs: stats.reduce((n, s) => n + s.durationMs, 0),
    }
  }
  return {report, conflicts, mixedBuilds}
}

/** Each input's provenance; an input that is itself a merge contributes its own sources. */
function sourcesOf(inputs: MergeInput[], chosen: Map<string, Device>, devices: Device[]): ReportSource[] {
  const out: ReportSource[] = []
  for (const input of inputs) {
    const r = input.report
    // The devices of the merged report taken from this input (the same object: identical content counts).
    const contributed = devices.map((d) => d.id).filter((id) => r.devices.some((d) => d.id === id && canonicalJson(d) === canonicalJson(chosen.get(id))))
    if (r.run.sources?.length) {
      for (const s of r.run.sources) out.push({...structuredClone(s), name: `${input.name} > ${s.name}`, devices: s.devices.filter((id) => contributed.includes(id))})
      continue
    }
    out.push({
      name: input.name,
      ...(input.sha256 ? {sha256: input.sha256} : {}),
      runId: r.run.id,
      tool: {...r.tool},
      profile: {...r.run.profile},
      startedAt: r.run.startedAt,
      finishedAt: r.run.finishedAt,
      commandLine: r.run.commandLine,
      ...(r.run.sessions ? {sessions: structuredClone(r.run.sessions)} : {}),
      ...(r.run.data ? {data: structuredClone(r.run.data)} : {}),
      ...(r.run.inputs ? {inputs: structuredClone(r.run.inputs)} : {}),
      devices: contributed,
    })
  }
  return out
}

/** Inputs (or their sources) judged by another build or with other data than the first input. */
function buildDifferences(inputs: MergeInput[]): string[] {
  const builds = inputs.flatMap((input) =>
    input.report.run.sources?.length
      ? input.report.run.sources.map((s) => ({name: `${input.name} > ${s.name}`, tool: s.tool, data: s.data}))
      : [{name: input.name, tool: input.report.tool, data: input.report.run.data}],
  )
  const base = builds[0]!
  const out: string[] = []
  for (const b of builds.slice(1)) {
    if (buildKey(b.tool) !== buildKey(base.tool)) out.push(`${b.name}: ${buildKey(b.tool)} (${base.name}: ${buildKey(base.tool)})`)
    if (b.data && base.data && canonicalJson(b.data) !== canonicalJson(base.data)) {
      const files = new Map(base.data.map((d) => [d.file, d.sha256]))
      const changed = b.data.filter((d) => files.get(d.file) !== d.sha256).map((d) => d.file)
      out.push(`${b.name}: data files differ from ${base.name}'s (${changed.join(', ') || 'a file is missing'})`)
    }
  }
  return out
}

/** Batch analysis of the merged devices, with the batch checks (severities, references) of the inputs' profile
 *  when it is the built-in one with the same bytes, else the checks' defaults. */
function mergedBatch(devices: Device[], first: Report): Report['batch'] {
  const identified = devices.filter((d) => d.observations.some((o) => o.probe === P_DEVICE_IDENTITY))
  if (devices.length < 2 || identified.length === 0) return undefined
  let checks: SelectedBatchCheck[] = defaultBatchChecks()
  try {
    const profile = resolveProfile(first.run.profile.id)
    if (profile.sha256 === first.run.profile.sha256) checks = profile.checks.filter((s) => s.check.scope === 'batch') as SelectedBatchCheck[]
  } catch {
    // Not a built-in profile (a file given at scan time): the checks' own defaults apply.
  }
  if (checks.length === 0) return undefined
  return analyzeBatch(devices.map(identityDigest), checks)
}

function describeProfile(report: Report): string {
  const p = report.run.profile
  return `profile ${p.id} version ${p.version} (sha256 ${p.sha256})`
}

function differingFields(a: Device, b: Device): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return keys.filter((k) => canonicalJson((a as unknown as Record<string, unknown>)[k]) !== canonicalJson((b as unknown as Record<string, unknown>)[k]))
}

function pickInput(holders: number[], inputs: MergeInput[], prefer: MergePreference): number {
  if (prefer === 'first') return holders[0]!
  let best = holders[0]!
  for (const i of holders.slice(1)) if (time(inputs[i]!.report.run.finishedAt) > time(inputs[best]!.report.run.finishedAt)) best = i
  return best
}

const time = (iso: string) => Date.parse(iso)

function earliest(values: string[]): string {
  return values.reduce((a, b) => (time(b) < time(a) ? b : a))
}

function latest(values: string[]): string {
  return values.reduce((a, b) => (time(b) > time(a) ? b : a))
}
