/** The requirement tables of the HTML report: shown before the checks, one per device with requirements. Each
 *  row links the findings that decided it to their expandable blocks further down. */
import type {Device, Report, RequirementResult} from '../evidence/types.js'
import {countsLine, hasRequirements, standardsOf, VERDICT_LABEL, VERDICT_ORDER, verdictsByModel} from './requirements.js'

type Esc = (value: string) => string

export const REQUIREMENTS_CSS = `
.badge.r-pass{background:#2e7d32}.badge.r-fail{background:#c62828}.badge.r-inconclusive{background:#7b1fa2}
.badge.r-not-applicable{background:#b0bec5;color:#263238}.badge.r-not-assessed-remotely{background:#eceff1;color:#37474f;border:1px solid #b0bec5}
table.reqs td{vertical-align:top}table.reqs td.id{white-space:nowrap;font-weight:600}`

function decidedBy(r: RequirementResult, device: Device, findingHref: (findingIndex: number) => string, esc: Esc): string {
  const links = r.decidedBy.findings.map((ref) => {
    const at = ref.indexOf('@')
    const index = at < 0 ? -1 : device.findings.findIndex((f) => f.check === ref.slice(0, at) && f.service === ref.slice(at + 1))
    return index >= 0 ? `<a href="${findingHref(index)}"><code>${esc(ref)}</code></a>` : `<code>${esc(ref)}</code>`
  })
  const items = [...links, ...r.decidedBy.declaration.map((d) => `declaration <code>${esc(d)}</code>`)]
  return items.length > 0 ? items.join('<br>') : '<span class="muted">documentation</span>'
}

export function requirementsSection(
  report: Report,
  h: {esc: Esc; deviceLabel: (d: Device) => string; findingHref: (deviceIndex: number, findingIndex: number) => string},
): string {
  if (!hasRequirements(report)) return ''
  const {esc} = h
  const tables = report.devices.map((d, di) => {
    const rs = d.requirements ?? []
    if (rs.length === 0) return ''
    const rows = [...rs]
      .map((r, index) => ({r, index}))
      .sort((a, b) => VERDICT_ORDER.indexOf(a.r.verdict) - VERDICT_ORDER.indexOf(b.r.verdict) || a.index - b.index)
      .map(
        ({r}) =>
          `<tr><td><span class="badge r-${r.verdict.replace(/_/g, '-')}">${esc(VERDICT_LABEL[r.verdict])}</span></td><td class="id">${esc(r.id)}</td><td>${esc(r.level ?? '—')}</td><td>${esc(r.title)}<div class="small muted">${esc(r.reason)}</div></td><td class="small">${decidedBy(r, d, (fi) => h.findingHref(di, fi), esc)}</td></tr>`,
      )
    return `<h3>${esc(h.deviceLabel(d))}: ${esc(standardsOf(d))}</h3>
<p class="small muted">${esc(countsLine(rs))}${d.declaration ? ` · declaration ${esc(d.declaration.source)} (sha256 ${esc(d.declaration.sha256.slice(0, 16))}…)` : ' · no declaration'}</p>
<table class="devices reqs"><thead><tr><th>Verdict</th><th>Requirement</th><th>Level</th><th>Title and reason</th><th>Decided by</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  })
  const byModel = report.devices.length > 1 ? verdictsByModel(report) : []
  const models = byModel.map((m) => {
    const open = m.requirements.filter((r) => r.counts.fail > 0 || r.counts.inconclusive > 0)
    const rows = open.map((r) => `<tr><td>${esc(r.key)}</td><td class="num">${r.counts.fail}</td><td class="num">${r.counts.inconclusive}</td><td class="num">${r.counts.pass}</td><td class="num">${r.counts.not_applicable}</td><td class="num">${r.counts.not_assessed_remotely}</td></tr>`)
    return `<h4>${esc(m.model)} (${m.devices} device(s)): ${open.length} of ${m.requirements.length} requirements failed or inconclusive on some sample</h4>${rows.length ? `<table class="devices"><thead><tr><th>Requirement</th><th class="num">Fail</th><th class="num">Inconclusive</th><th class="num">Pass</th><th class="num">N/A</th><th class="num">Not assessed remotely</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : ''}`
  })
  return `<section id="requirements"><h2>Requirements</h2>
${models.length > 0 ? `<h3>By declared model</h3>${models.join('\n')}` : ''}
<p class="muted small">Each verdict is derived by the profile's rule from the check findings and the manufacturer's declaration; requirements no network test can decide are listed as not assessed remotely.</p>
${tables.join('\n')}</section>`
}
