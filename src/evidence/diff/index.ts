/**
 * `report diff A B`: a pure function of two reports (no I/O). Rendering lives in src/writers/diff/, loading and
 * bundle verification in src/cli/diff-input.ts.
 */
import type {Device, Report, Severity} from '../types.js'
import {diffFindings} from './findings.js'
import {matchDevices, matchServices} from './match.js'
import {diffObservations} from './observations.js'
import {
  type BatchFindingChange,
  DIFF_SCHEMA_VERSION,
  type DeviceDiff,
  type DeviceRef,
  type DiffSide,
  type FindingChangeKind,
  type ReportDiff,
} from './types.js'

export * from './types.js'

export interface DiffInput {
  report: Report
  source: string
  kind: DiffSide['kind']
  bundle?: DiffSide['bundle']
}

const ref = (d: Device): DeviceRef => ({id: d.id, ...(d.name ? {name: d.name} : {}), verdict: d.verdict})

function sideOf(input: DiffInput): DiffSide {
  const r = input.report
  return {
    source: input.source,
    kind: input.kind,
    runId: r.run.id,
    startedAt: r.run.startedAt,
    tool: {name: r.tool.name, version: r.tool.version},
    profile: {...r.run.profile},
    devices: r.devices.length,
    ...(input.bundle ? {bundle: input.bundle} : {}),
  }
}

/** Batch findings (shared keys …) that fail in one report and not the other, devices named as in B. */
function diffBatch(a: Report, b: Report, aToB: ReadonlyMap<string, string>): BatchFindingChange[] {
  const key = (check: string, devices: readonly string[]) => `${check}\u0000${[...devices].sort().join('\u0000')}`
  const failing = (r: Report) => (r.batch?.findings ?? []).filter((f) => f.outcome === 'fail')
  const inA = new Map(failing(a).map((f) => [key(f.check, f.devices.map((d) => aToB.get(d) ?? `a:${d}`)), f]))
  const inB = new Map(failing(b).map((f) => [key(f.check, f.devices), f]))
  const changes: BatchFindingChange[] = []
  for (const [k, f] of inB) if (!inA.has(k)) changes.push({change: 'new', check: f.check, title: f.title, severity: f.severity, devices: [...f.devices]})
  for (const [k, f] of inA) if (!inB.has(k)) changes.push({change: 'fixed', check: f.check, title: f.title, severity: f.severity, devices: [...f.devices]})
  return changes
}

export function diffReports(a: DiffInput, b: DiffInput, failOn: Severity): ReportDiff {
  const devices: DeviceDiff[] = []
  const aToB = new Map<string, string>()
  for (const pair of matchDevices(a.report.devices, b.report.devices)) {
    if (pair.a && pair.b) {
      aToB.set(pair.a.id, pair.b.id)
      const services = matchServices(pair.a, pair.b)
      devices.push({
        status: 'matched',
        a: ref(pair.a),
        b: ref(pair.b),
        ...(pair.matchedBy ? {matchedBy: pair.matchedBy, matchedOn: pair.matchedOn ?? ''} : {}),
        findings: diffFindings(pair.a, pair.b, services.bToA, failOn),
        observations: diffObservations(pair.a, pair.b, services),
      })
    } else if (pair.b) {
      devices.push({status: 'added', b: ref(pair.b), findings: diffFindings(undefined, pair.b, new Map(), failOn), observations: []})
    } else if (pair.a) {
      devices.push({status: 'removed', a: ref(pair.a), findings: [], observations: []})
    }
  }
  const findings: Record<FindingChangeKind, number> = {new: 0, fixed: 0, outcome: 0, severity: 0}
  let regressions = 0
  let observationChanges = 0
  for (const d of devices) {
    for (const f of d.findings) {
      findings[f.change]++
      if (f.gate) regressions++
    }
    observationChanges += d.observations.length
  }
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    a: sideOf(a),
    b: sideOf(b),
    devices,
    batch: diffBatch(a.report, b.report, aToB),
    summary: {
      devices: {
        matched: devices.filter((d) => d.status === 'matched').length,
        added: devices.filter((d) => d.status === 'added').length,
        removed: devices.filter((d) => d.status === 'removed').length,
      },
      findings,
      observationChanges,
      regressions,
      failOn,
      exitCode: regressions > 0 ? 1 : 0,
    },
  }
}
