import type {Device, Finding, Verdict} from '../evidence/types.js'
import {batchFindings, describeDifferences, modelLabel} from './batch.js'
import {requirementMarkdown, requirementsByModelMarkdown} from './requirements-text.js'
import {coverageGaps, coverageOf, deviceLabel, severityWeight} from './shared.js'
import type {Writer} from './types.js'

/** Rows of the findings table per device before the rest is summarised: the summary must stay short. */
const MAX_ROWS = 50

const VERDICT: Record<Verdict, string> = {pass: '✅ pass', fail: '❌ fail', incomplete: '⚠️ incomplete'}

/**
 * Text from the report as one inline Markdown table cell: pipes and Markdown/HTML syntax characters are
 * escaped (a message cannot add columns, links or tags), line breaks become <br>.
 */
export function mdCell(value: string): string {
  return value
    .replace(/[\\`*_[\]#|~!]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, '<br>')
}

const OUTCOME_RANK: Record<string, number> = {fail: 0, error: 1, inconclusive: 2}

function problems(device: Device): Finding[] {
  return device.findings
    .filter((f) => f.outcome in OUTCOME_RANK)
    .map((f, index) => ({f, index}))
    .sort(
      (a, b) =>
        OUTCOME_RANK[a.f.outcome] - OUTCOME_RANK[b.f.outcome] || severityWeight(b.f.severity) - severityWeight(a.f.severity) || a.index - b.index,
    )
    .map(({f}) => f)
}

function counts(findings: readonly Finding[]): string {
  const n = (o: Finding['outcome']) => findings.filter((f) => f.outcome === o).length
  return `${n('fail')} fail · ${n('error')} error · ${n('inconclusive')} inconclusive · ${n('not_tested')} not tested · ${n('pass')} pass · ${n('not_applicable')} not applicable`
}

/** A short Markdown summary for a CI job summary page (e.g. $GITHUB_STEP_SUMMARY). */
export const mdWriter: Writer = {
  format: 'md',
  extensions: ['.md'],
  description: 'Markdown summary (CI job summaries): verdicts, counts and the failed or errored findings',
  write(report) {
    const s = report.summary
    const {profile} = report.run
    const out: string[] = [
      '# sg17scan report',
      '',
      `Profile **${mdCell(profile.id)}** v${mdCell(profile.version)} · sg17scan ${mdCell(report.tool.version)} · ` +
        `${s.devices} device(s): ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts.incomplete} incomplete · ` +
        `fail-on ${s.failOn} → exit code ${s.exitCode}`,
      '',
      `Findings: ${s.outcomes.fail} fail · ${s.outcomes.error} error · ${s.outcomes.inconclusive} inconclusive · ${s.outcomes.not_tested} not tested · ${s.outcomes.pass} pass · ${s.outcomes.not_applicable} not applicable`,
      '',
      '| Device | Verdict | Services | Failed | Errors |',
      '| --- | --- | --- | ---: | ---: |',
    ]
    for (const d of report.devices) {
      const failed = d.findings.filter((f) => f.outcome === 'fail').length
      const errors = d.findings.filter((f) => f.outcome === 'error' || f.outcome === 'inconclusive').length
      out.push(`| ${mdCell(deviceLabel(d))} | ${VERDICT[d.verdict]} | ${d.services.length} | ${failed} | ${errors} |`)
    }
    for (const d of report.devices) {
      const coverage = coverageOf(d)
      out.push('', `## ${mdCell(deviceLabel(d))}: ${VERDICT[d.verdict]}`, '', ...requirementMarkdown(d), counts(d.findings), '', `Coverage: ${mdCell(coverage.statement)}`, '')
      const gaps = coverageGaps(coverage)
      if (gaps.length) {
        for (const g of gaps.slice(0, MAX_ROWS)) out.push(`- ${mdCell(g)}`)
        if (gaps.length > MAX_ROWS) out.push(`- … and ${gaps.length - MAX_ROWS} more (see the full report)`)
        out.push('')
      }
      const rows = problems(d)
      if (rows.length === 0) {
        out.push('No failed or errored findings.')
        continue
      }
      out.push('| Outcome | Severity | Check | Service | Message |', '| --- | --- | --- | --- | --- |')
      for (const f of rows.slice(0, MAX_ROWS)) {
        out.push(`| ${f.outcome} | ${f.severity} | ${mdCell(f.check)} | ${mdCell(f.service)} | ${mdCell(f.message)} |`)
      }
      if (rows.length > MAX_ROWS) out.push('', `… and ${rows.length - MAX_ROWS} more (see the full report).`)
    }
    if (report.batch) {
      const all = batchFindings(report)
      const rows = all.filter((f) => f.outcome in OUTCOME_RANK)
      const n = (o: string) => all.filter((f) => f.outcome === o).length
      out.push('', '## Batch', '', `Findings about several devices at once: ${n('fail')} fail · ${n('error')} error · ${n('pass')} pass · ${n('not_applicable')} not applicable`, '')
      if (rows.length === 0) out.push('No failed or errored batch findings.')
      else out.push('| Outcome | Severity | Check | Devices | Message |', '| --- | --- | --- | ---: | --- |')
      for (const f of rows) out.push(`| ${f.outcome} | ${f.severity} | ${mdCell(f.check)} | ${f.devices.length} | ${mdCell(f.message)} |`)
      if (report.batch.models.length > 0) {
        out.push('', '| Declared model | Samples | Consistent | Differences |', '| --- | ---: | --- | --- |')
        for (const m of report.batch.models.slice(0, MAX_ROWS)) {
          out.push(`| ${mdCell(modelLabel(m))} | ${m.samples} | ${m.differences.length === 0 ? 'yes' : 'no'} | ${mdCell(describeDifferences(m))} |`)
        }
        if (report.batch.models.length > MAX_ROWS) out.push('', `… and ${report.batch.models.length - MAX_ROWS} more models (see the full report).`)
      }
    }
    out.push(...requirementsByModelMarkdown(report, MAX_ROWS))
    return `${out.join('\n')}\n`
  },
}
