/** One self-contained HTML page for a report diff (no scripts, no external resources). */
import type {ReportDiff} from '../../evidence/diff/types.js'
import {esc} from '../html.js'
import {CHANGE_LABEL, deviceTitle, findingDetail, findingMessage, gateLine, observationDetail, OBSERVATION_LABEL, summaryLine, verdictChange} from './text.js'

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1f24}table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f6f8fa}
.gate{background:#ffebe9}.new{color:#cf222e;font-weight:600}.fixed{color:#1a7f37;font-weight:600}.ok{color:#1a7f37}.bad{color:#cf222e}`

export function renderDiffHtml(diff: ReportDiff): string {
  const s = diff.summary
  const body: string[] = [
    '<h1>sg17scan report diff</h1>',
    `<p>A: ${esc(diff.a.source)} (${esc(diff.a.kind)}, run ${esc(diff.a.runId)}, ${esc(diff.a.startedAt)})<br>B: ${esc(diff.b.source)} (${esc(diff.b.kind)}, run ${esc(diff.b.runId)}, ${esc(diff.b.startedAt)})</p>`,
    `<p class="${s.regressions > 0 ? 'bad' : 'ok'}"><strong>${esc(gateLine(diff))}</strong></p>`,
    `<p>${esc(summaryLine(diff))}</p>`,
  ]
  for (const d of diff.devices) {
    if (d.findings.length === 0 && d.observations.length === 0 && d.status === 'matched') continue
    body.push(`<h2>${esc(deviceTitle(d))}</h2>`, `<p>Verdict: ${esc(verdictChange(d))}</p>`)
    if (d.findings.length > 0) {
      body.push('<table><thead><tr><th>change</th><th>check</th><th>service</th><th>A → B</th><th>message</th></tr></thead><tbody>')
      for (const f of d.findings) {
        body.push(
          `<tr${f.gate ? ' class="gate"' : ''}><td class="${f.change === 'new' ? 'new' : f.change === 'fixed' ? 'fixed' : ''}">${CHANGE_LABEL[f.change]}</td><td>${esc(f.check)}</td><td>${esc(f.service)}</td><td>${esc(findingDetail(f))}</td><td>${esc(findingMessage(f))}</td></tr>`,
        )
      }
      body.push('</tbody></table>')
    }
    if (d.observations.length > 0) {
      body.push('<table><thead><tr><th>observation</th><th>service</th><th>change</th></tr></thead><tbody>')
      for (const o of d.observations) body.push(`<tr><td>${esc(OBSERVATION_LABEL[o.kind])}</td><td>${esc(o.service)}</td><td>${esc(observationDetail(o))}</td></tr>`)
      body.push('</tbody></table>')
    }
  }
  if (diff.batch.length > 0) {
    body.push('<h2>Batch findings</h2><table><thead><tr><th>change</th><th>check</th><th>severity</th><th>devices</th></tr></thead><tbody>')
    for (const f of diff.batch) body.push(`<tr><td>${f.change === 'new' ? 'NEW' : 'FIXED'}</td><td>${esc(f.check)}</td><td>${esc(f.severity)}</td><td>${esc(f.devices.join(', '))}</td></tr>`)
    body.push('</tbody></table>')
  }
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>sg17scan report diff</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`
}
