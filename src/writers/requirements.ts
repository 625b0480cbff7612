/**
 * The requirement table (device.requirements, whole-standard profiles) as each format shows it. Kept apart from
 * the writers' check sections so both can change independently; every writer calls in here.
 */
import {REQUIREMENT_VERDICTS, type Device, type Report, type RequirementResult, type RequirementVerdict} from '../evidence/types.js'

export const VERDICT_LABEL: Record<RequirementVerdict, string> = {
  pass: 'pass',
  fail: 'fail',
  not_applicable: 'not applicable',
  inconclusive: 'inconclusive',
  not_assessed_remotely: 'not assessed remotely',
}

/** Display order: problems first, then what was decided, then what needs other review. */
export const VERDICT_ORDER: readonly RequirementVerdict[] = ['fail', 'inconclusive', 'pass', 'not_applicable', 'not_assessed_remotely']

export function hasRequirements(report: Report): boolean {
  return report.devices.some((d) => (d.requirements?.length ?? 0) > 0)
}

export function verdictCounts(rs: readonly RequirementResult[]): Record<RequirementVerdict, number> {
  const out = Object.fromEntries(REQUIREMENT_VERDICTS.map((v) => [v, 0])) as Record<RequirementVerdict, number>
  for (const r of rs) out[r.verdict]++
  return out
}

export function countsLine(rs: readonly RequirementResult[]): string {
  const c = verdictCounts(rs)
  return VERDICT_ORDER.map((v) => `${c[v]} ${VERDICT_LABEL[v]}`).join(', ')
}

/** Standards a device's requirements belong to (one per whole-standard profile). */
export function standardsOf(device: Device): string {
  return [...new Set((device.requirements ?? []).map((r) => r.standard))].join(', ')
}

/** "cred.default.ssh@ssh://…, accounts.passwordScheme": everything a verdict was derived from, on one line. */
export function decidedByText(r: RequirementResult): string {
  const parts = [...r.decidedBy.findings, ...r.decidedBy.declaration.map((d) => `declaration ${d}`)]
  return parts.length > 0 ? parts.join(', ') : r.decidedBy.checks.length > 0 ? `checks ${r.decidedBy.checks.join(', ')}` : 'no test (documentation)'
}

/** A stable key for a requirement across formats: "ETSI EN 303 645 5.1-1". */
export const requirementKey = (r: Pick<RequirementResult, 'standard' | 'id'>) => `${r.standard} ${r.id}`

/** Requirement verdicts per declared model (or per device when no model is declared): for batch reports. */
export function verdictsByModel(report: Report): Array<{model: string; devices: number; requirements: Array<{key: string; title: string; counts: Record<RequirementVerdict, number>}>}> {
  const groups = new Map<string, Device[]>()
  for (const d of report.devices) {
    if (!d.requirements?.length) continue
    const model = d.declared?.model ? `${d.declared.vendor ? `${d.declared.vendor} ` : ''}${d.declared.model}` : '(model not declared)'
    const list = groups.get(model)
    if (list) list.push(d)
    else groups.set(model, [d])
  }
  return [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([model, devices]) => {
      const rows = new Map<string, {key: string; title: string; counts: Record<RequirementVerdict, number>}>()
      for (const d of devices) {
        for (const r of d.requirements!) {
          const key = requirementKey(r)
          let row = rows.get(key)
          if (!row) rows.set(key, (row = {key, title: r.title, counts: verdictCounts([])}))
          row.counts[r.verdict]++
        }
      }
      return {model, devices: devices.length, requirements: [...rows.values()]}
    })
}

/** For SARIF rules: the requirements ("ETSI EN 303 645 5.5-1") whose network-testable part each check assesses. */
export function requirementIdsByCheck(report: Report): Map<string, string[]> {
  const out = new Map<string, Set<string>>()
  for (const d of report.devices) {
    for (const r of d.requirements ?? []) {
      for (const check of r.decidedBy.checks) {
        let set = out.get(check)
        if (!set) out.set(check, (set = new Set()))
        set.add(requirementKey(r))
      }
    }
  }
  return new Map([...out.entries()].map(([k, v]) => [k, [...v].sort()]))
}
