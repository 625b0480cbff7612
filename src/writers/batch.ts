/** Shared reading of a report's optional batch section for the summary writers (console, md, html). */
import type {BatchFinding, ModelConsistency, Report} from '../evidence/types.js'
import {compareStrings, severityWeight} from './shared.js'

const RANK: Record<string, number> = {fail: 0, error: 1, inconclusive: 2, not_tested: 3, pass: 4, not_applicable: 5}

/** Batch findings, problems first, worst severity first, then check id (the same order on every machine). */
export function batchFindings(report: Report): BatchFinding[] {
  return [...(report.batch?.findings ?? [])].sort(
    (a, b) => (RANK[a.outcome] ?? 9) - (RANK[b.outcome] ?? 9) || severityWeight(b.severity) - severityWeight(a.severity) || compareStrings(a.check, b.check) || compareStrings(a.message, b.message),
  )
}

/** Models whose samples are not all alike. */
export function inconsistentModels(report: Report): ModelConsistency[] {
  return (report.batch?.models ?? []).filter((m) => m.differences.length > 0)
}

/** "firmware: 3.1.7 (a, b) vs 3.2.0 (c)" for one model. */
export function describeDifferences(model: ModelConsistency, maxDevices = 5): string {
  return model.differences
    .map((d) => `${d.attribute}: ${d.values.map((v) => `${v.value} (${v.devices.slice(0, maxDevices).join(', ')}${v.devices.length > maxDevices ? ` … +${v.devices.length - maxDevices}` : ''})`).join(' vs ')}`)
    .join('; ')
}

export function modelLabel(model: ModelConsistency): string {
  return model.vendor ? `${model.vendor} ${model.model}` : model.model
}
