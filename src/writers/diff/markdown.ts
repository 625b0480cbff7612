/** Markdown rendering of a report diff (a CI job summary, a release note). */
import type {ReportDiff} from '../../evidence/diff/types.js'
import {mdCell} from '../md.js'
import {CHANGE_LABEL, deviceTitle, findingDetail, findingMessage, gateLine, observationDetail, OBSERVATION_LABEL, summaryLine, verdictChange} from './text.js'

export function renderDiffMarkdown(diff: ReportDiff): string {
  const out = [
    '# sg17scan report diff',
    '',
    `- **A**: ${mdCell(diff.a.source)} (${diff.a.kind}, run ${mdCell(diff.a.runId)}, ${diff.a.startedAt})`,
    `- **B**: ${mdCell(diff.b.source)} (${diff.b.kind}, run ${mdCell(diff.b.runId)}, ${diff.b.startedAt})`,
    '',
    `**${mdCell(gateLine(diff))}**`,
    '',
    mdCell(summaryLine(diff)),
  ]
  for (const d of diff.devices) {
    if (d.findings.length === 0 && d.observations.length === 0 && d.status === 'matched') continue
    out.push('', `## ${mdCell(deviceTitle(d))}`, '', `Verdict: ${mdCell(verdictChange(d))}`)
    if (d.findings.length > 0) {
      out.push('', '| | change | check | service | A → B | message |', '|---|---|---|---|---|---|')
      for (const f of d.findings) {
        out.push(`| ${f.gate ? '❗' : ''} | ${CHANGE_LABEL[f.change]} | ${mdCell(f.check)} | ${mdCell(f.service)} | ${mdCell(findingDetail(f))} | ${mdCell(findingMessage(f))} |`)
      }
    }
    if (d.observations.length > 0) {
      out.push('', '| observation | service | change |', '|---|---|---|')
      for (const o of d.observations) out.push(`| ${OBSERVATION_LABEL[o.kind]} | ${mdCell(o.service)} | ${mdCell(observationDetail(o))} |`)
    }
  }
  if (diff.batch.length > 0) {
    out.push('', '## Batch findings', '', '| change | check | severity | devices |', '|---|---|---|---|')
    for (const f of diff.batch) out.push(`| ${f.change === 'new' ? 'NEW' : 'FIXED'} | ${mdCell(f.check)} | ${f.severity} | ${mdCell(f.devices.join(', '))} |`)
  }
  return `${out.join('\n')}\n`
}
