import type {Device, Finding, Report} from '../evidence/types.js'
import {severityRank} from '../engine/verdict.js'
import {batchFindings, describeDifferences, inconsistentModels, modelLabel} from './batch.js'
import {coverageOf} from './shared.js'
import {requirementLines} from './requirements-text.js'
import {compareLikeLocale} from '../util/collate.js'

const OUTCOME_ORDER = ['fail', 'error', 'inconclusive', 'not_tested', 'pass', 'not_applicable']

/** A readable summary table for a terminal: one block per device, failures first. */
export function renderSummary(report: Report, options: {showPassed?: boolean; color?: boolean} = {}): string {
  const paint = colorizer(options.color ?? false)
  const lines: string[] = []
  for (const device of report.devices) {
    lines.push(`${paint.bold(`Device ${device.name ?? device.id}`)}  verdict: ${paint.verdict(device.verdict)}  (${device.services.map((s) => s.id).join(', ') || 'no services'})`)
    lines.push(`  coverage: ${coverageOf(device).statement}`)
    lines.push(...requirementLines(device, {showAll: options.showPassed ?? false, paint: paint.outcome}))
    const rows = sortFindings(device).filter((f) => options.showPassed || (f.outcome !== 'pass' && f.outcome !== 'not_applicable'))
    const widths = [10, 9, Math.max(5, ...rows.map((f) => f.check.length))]
    if (rows.length > 0) lines.push(`  ${pad('OUTCOME', widths[0])} ${pad('SEVERITY', widths[1])} ${pad('CHECK', widths[2])} MESSAGE`)
    for (const row of collapseRepeats(rows)) {
      const f = row.finding
      const check = row.count > 1 ? `${row.count} checks` : f.check
      lines.push(`  ${paint.outcome(pad(f.outcome.toUpperCase(), widths[0]), f.outcome)} ${pad(row.count > 1 ? '-' : f.severity, widths[1])} ${pad(check, widths[2])} ${truncate(f.message, 110)}`)
    }
    const passed = device.findings.filter((f) => f.outcome === 'pass').length
    const na = device.findings.filter((f) => f.outcome === 'not_applicable').length
    if (!options.showPassed) lines.push(`  … ${passed} passed, ${na} not applicable`)
    lines.push('')
  }
  if (report.batch) {
    const rows = batchFindings(report).filter((f) => options.showPassed || (f.outcome !== 'pass' && f.outcome !== 'not_applicable'))
    lines.push(`${paint.bold('Batch')}  (${report.devices.length} devices, ${report.batch.models.length} declared model(s))`)
    for (const f of rows) {
      lines.push(`  ${paint.outcome(pad(f.outcome.toUpperCase(), 10), f.outcome)} ${pad(f.severity, 9)} ${f.check} ${truncate(f.message, 160)}`)
    }
    const passed = report.batch.findings.filter((f) => f.outcome === 'pass').length
    if (!options.showPassed) lines.push(`  … ${passed} batch check(s) passed`)
    for (const m of inconsistentModels(report)) lines.push(`  model ${modelLabel(m)}: ${m.samples} samples differ in ${truncate(describeDifferences(m), 150)}`)
    lines.push('')
  }
  const s = report.summary
  lines.push(
    `${s.devices} device(s): ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts.incomplete} incomplete · ` +
      `findings: ${s.outcomes.fail} fail, ${s.outcomes.error} error, ${s.outcomes.not_tested} not tested, ${s.outcomes.pass} pass · ` +
      `fail-on ${s.failOn} → exit ${s.exitCode}`,
  )
  return lines.join('\n')
}

/** Many checks failing for one reason (an unreachable service) read better as one line. */
function collapseRepeats(rows: Finding[]): Array<{finding: Finding; count: number}> {
  const out: Array<{finding: Finding; count: number}> = []
  for (const f of rows) {
    const same = out.find((r) => r.finding.outcome === f.outcome && r.finding.service === f.service && r.finding.message === f.message)
    if (same && f.outcome !== 'fail') same.count++
    else out.push({finding: f, count: 1})
  }
  return out
}

function sortFindings(device: Device): Finding[] {
  return [...device.findings].sort(
    (a, b) =>
      OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      compareLikeLocale(a.check, b.check),
  )
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`)

function colorizer(on: boolean) {
  const wrap = (code: number) => (s: string) => (on ? `\u001B[${code}m${s}\u001B[0m` : s)
  const red = wrap(31), green = wrap(32), yellow = wrap(33), bold = wrap(1)
  return {
    bold,
    verdict: (v: string) => (v === 'pass' ? green(v) : v === 'fail' ? red(v) : yellow(v)),
    outcome: (text: string, o: string) => (o === 'fail' ? red(text) : o === 'pass' ? green(text) : o === 'error' || o === 'not_tested' ? yellow(text) : text),
  }
}
