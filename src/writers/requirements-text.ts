/** The requirement table in the console summary and in Markdown: first in each device's block. */
import type {Device, Report} from '../evidence/types.js'
import {mdCell} from './md.js'
import {countsLine, decidedByText, standardsOf, VERDICT_LABEL, VERDICT_ORDER, verdictsByModel} from './requirements.js'

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`)

/** Console: a counts line, then the requirements that failed or stayed inconclusive (all with --show-passed);
 *  those not assessed remotely are named in one line, never dropped. */
export function requirementLines(device: Device, o: {showAll: boolean; paint: (text: string, outcome: string) => string}): string[] {
  const rs = device.requirements ?? []
  if (rs.length === 0) return []
  const lines = [`  Requirements (${standardsOf(device)}): ${countsLine(rs)}`]
  const shown = [...rs]
    .filter((r) => r.verdict !== 'not_assessed_remotely' && (o.showAll || r.verdict === 'fail' || r.verdict === 'inconclusive'))
    .sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict))
  const width = Math.max(11, ...shown.map((r) => r.id.length))
  for (const r of shown) {
    lines.push(`  ${o.paint(pad(VERDICT_LABEL[r.verdict].toUpperCase(), 14), r.verdict)} ${pad(r.id, width)} ${truncate(r.reason, 120)}`)
  }
  // Listed in full (wrapped), never cut: they are the part of the standard this scan leaves to other review.
  const remote = rs.filter((r) => r.verdict === 'not_assessed_remotely').map((r) => r.id)
  if (remote.length > 0) {
    lines.push(`  NOT ASSESSED REMOTELY (${remote.length}, documentation or physical review):`)
    let line = ''
    for (const id of remote) {
      if (line && line.length + id.length + 2 > 110) {
        lines.push(`    ${line},`)
        line = ''
      }
      line = line ? `${line}, ${id}` : id
    }
    lines.push(`    ${line}`)
  }
  lines.push('  Checks:')
  return lines
}

/** Markdown: every requirement decided by a rule with its reason and what decided it; the ones not assessed
 *  remotely listed by id. */
export function requirementMarkdown(device: Device): string[] {
  const rs = device.requirements ?? []
  if (rs.length === 0) return []
  const out = [`### Requirements: ${mdCell(standardsOf(device))}`, '', countsLine(rs), '']
  const decided = [...rs].filter((r) => r.verdict !== 'not_assessed_remotely').sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict))
  if (decided.length > 0) {
    out.push('| Verdict | Requirement | Level | Title | Reason | Decided by |', '| --- | --- | --- | --- | --- | --- |')
    for (const r of decided) {
      out.push(`| ${VERDICT_LABEL[r.verdict]} | ${mdCell(r.id)} | ${r.level ?? '—'} | ${mdCell(r.title)} | ${mdCell(r.reason)} | ${mdCell(decidedByText(r))} |`)
    }
  }
  const remote = rs.filter((r) => r.verdict === 'not_assessed_remotely')
  if (remote.length > 0) out.push('', `Not assessed remotely (${remote.length}, documentation or physical review): ${remote.map((r) => mdCell(r.id)).join(', ')}`)
  out.push('', '### Checks', '')
  return out
}

/** Markdown, batch reports: requirement verdicts aggregated per declared model — the requirements some sample
 *  failed or left inconclusive, with how many samples had each verdict. */
export function requirementsByModelMarkdown(report: Report, maxRows: number): string[] {
  const models = verdictsByModel(report)
  if (report.devices.length < 2 || models.length === 0) return []
  const out = ['', '## Requirements by declared model', '']
  for (const m of models) {
    const open = m.requirements.filter((r) => r.counts.fail > 0 || r.counts.inconclusive > 0)
    out.push(`**${mdCell(m.model)}** (${m.devices} device(s)): ${m.requirements.length} requirements, ${open.length} failed or inconclusive on some sample`, '')
    if (open.length === 0) continue
    out.push('| Requirement | Fail | Inconclusive | Pass | Not applicable | Not assessed remotely |', '| --- | ---: | ---: | ---: | ---: | ---: |')
    for (const r of open.slice(0, maxRows)) {
      out.push(`| ${mdCell(r.key)} | ${r.counts.fail} | ${r.counts.inconclusive} | ${r.counts.pass} | ${r.counts.not_applicable} | ${r.counts.not_assessed_remotely} |`)
    }
    if (open.length > maxRows) out.push('', `… and ${open.length - maxRows} more (see the requirements CSV).`)
    out.push('')
  }
  return out
}
