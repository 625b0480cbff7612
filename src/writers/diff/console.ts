/** The terminal rendering of a report diff: one block per device with something to say. */
import type {ReportDiff} from '../../evidence/diff/types.js'
import {CHANGE_LABEL, deviceTitle, findingDetail, findingMessage, gateLine, observationDetail, OBSERVATION_LABEL, summaryLine, verdictChange} from './text.js'

export function renderDiffConsole(diff: ReportDiff): string {
  const lines = [
    `A: ${diff.a.source} (${diff.a.kind}, run ${diff.a.runId}, ${diff.a.startedAt}, ${diff.a.devices} devices)`,
    `B: ${diff.b.source} (${diff.b.kind}, run ${diff.b.runId}, ${diff.b.startedAt}, ${diff.b.devices} devices)`,
  ]
  if (diff.a.profile.sha256 !== diff.b.profile.sha256) lines.push(`Profiles differ: ${diff.a.profile.id} ${diff.a.profile.version} → ${diff.b.profile.id} ${diff.b.profile.version}`)
  for (const d of diff.devices) {
    if (d.status === 'matched' && d.findings.length === 0 && d.observations.length === 0) continue
    lines.push('', `${deviceTitle(d)}  [verdict ${verdictChange(d)}]`)
    for (const f of d.findings) {
      lines.push(`  ${f.gate ? '!' : ' '} ${CHANGE_LABEL[f.change].padEnd(8)} ${f.check} on ${f.service}: ${findingDetail(f)} — ${findingMessage(f)}`)
    }
    for (const o of d.observations) {
      const detail = observationDetail(o)
      lines.push(`    ${OBSERVATION_LABEL[o.kind]} on ${o.service}${detail ? `: ${detail}` : ''}`)
    }
  }
  for (const f of diff.batch) lines.push('', `batch ${f.change === 'new' ? 'NEW' : 'FIXED'} ${f.check} (${f.severity}): ${f.devices.join(', ')}`)
  const unchanged = diff.devices.filter((d) => d.status === 'matched' && d.findings.length === 0 && d.observations.length === 0).length
  if (unchanged > 0) lines.push('', `${unchanged} matched device${unchanged === 1 ? '' : 's'} without changes.`)
  lines.push('', summaryLine(diff), gateLine(diff))
  return `${lines.join('\n')}\n`
}
