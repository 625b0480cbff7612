import {checkById} from '../../checks/index.js'
import {SEVERITIES, type Device, type Finding, type Observation, type Outcome, type Report, type Severity, type Verdict} from '../evidence/types.js'
import {batchFindings, describeDifferences, modelLabel} from './batch.js'
import {compareStrings, deviceLabel, formatReference, severityWeight, coverageGaps, coverageOf} from './shared.js'
import type {Writer} from './types.js'
import {REQUIREMENTS_CSS, requirementsSection} from './requirements-html.js'
import {hasRequirements} from './requirements.js'

/** Characters of an observation's pretty-printed data shown under a finding; the evidence report has the rest. */
export const DATA_EXCERPT_CHARS = 4096

/**
 * Text from the report as HTML text or a double- or single-quoted attribute value. Characters that are not
 * allowed in an HTML (or XML) document — C0 controls other than tab/CR/LF, DEL, lone surrogates, U+FFFE/U+FFFF
 * — become U+FFFD so the page stays well-formed.
 */
export function esc(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const OUTCOME_LABEL: Record<Outcome, string> = {
  fail: 'Fail',
  error: 'Error',
  inconclusive: 'Inconclusive',
  not_tested: 'Not tested',
  not_applicable: 'N/A',
  pass: 'Pass',
}
/** Display order: problems first. Also the order used to pick the worst outcome of a check on one device. */
const OUTCOME_ORDER: readonly Outcome[] = ['fail', 'error', 'inconclusive', 'not_tested', 'not_applicable', 'pass']
const OUTCOME_COLOR: Record<Outcome, string> = {
  fail: '#c62828',
  error: '#e65100',
  inconclusive: '#7b1fa2',
  not_tested: '#78909c',
  not_applicable: '#b0bec5',
  pass: '#2e7d32',
}
const SEVERITY_COLOR: Record<Severity, string> = {critical: '#7f0000', high: '#c62828', medium: '#ef6c00', low: '#f9a825', info: '#607d8b'}
const VERDICT_LABEL: Record<Verdict, string> = {pass: 'PASS', fail: 'FAIL', incomplete: 'INCOMPLETE'}

const outcomeRank = (o: Outcome) => OUTCOME_ORDER.indexOf(o)
const familyOf = (check: string) => checkById(check)?.family ?? (check.split('.')[0] || check)
const cls = (o: string) => o.replace(/_/g, '-')

function badge(outcome: Outcome): string {
  return `<span class="badge o-${cls(outcome)}">${OUTCOME_LABEL[outcome]}</span>`
}
function sevBadge(severity: Severity): string {
  return `<span class="sev s-${severity}">${severity}</span>`
}
function verdictBadge(verdict: Verdict): string {
  return `<span class="verdict v-${verdict}">${VERDICT_LABEL[verdict]}</span>`
}

/** The first `max` characters, not splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text
  const end = /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max
  return text.slice(0, end)
}

function dataExcerpt(data: Record<string, unknown>): string {
  const json = JSON.stringify(data, null, 2) ?? '{}'
  if (json.length <= DATA_EXCERPT_CHARS) return json
  return `${cut(json, DATA_EXCERPT_CHARS)}\n… (excerpt: ${DATA_EXCERPT_CHARS} of ${json.length} characters; the evidence report has the rest)`
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${ms} ms`
  const s = ms / 1000
  return s < 120 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
}

/** Problems first, worst severity first, then check id and service: the same order on every machine. */
function sortFindings(findings: readonly Finding[]): Array<{finding: Finding; index: number}> {
  return findings
    .map((finding, index) => ({finding, index}))
    .sort(
      (a, b) =>
        outcomeRank(a.finding.outcome) - outcomeRank(b.finding.outcome) ||
        severityWeight(b.finding.severity) - severityWeight(a.finding.severity) ||
        compareStrings(a.finding.check, b.finding.check) ||
        compareStrings(a.finding.service, b.finding.service) ||
        a.index - b.index,
    )
}

const findingAnchor = (deviceIndex: number, findingIndex: number) => `f-${deviceIndex}-${findingIndex}`
const deviceAnchor = (deviceIndex: number) => `d-${deviceIndex}`

function countOutcomes(findings: readonly Finding[]): Record<Outcome, number> {
  const counts = Object.fromEntries(OUTCOME_ORDER.map((o) => [o, 0])) as Record<Outcome, number>
  for (const f of findings) counts[f.outcome]++
  return counts
}

function header(report: Report): string {
  const {run, tool, summary: s} = report
  const duration = Date.parse(run.finishedAt) - Date.parse(run.startedAt)
  const meta: Array<[string, string]> = [
    ['Profile', `${run.profile.id} v${run.profile.version}`],
    ['Profile SHA-256', run.profile.sha256],
    ['Run', run.id],
    ['Started', run.startedAt],
    ['Finished', run.finishedAt],
    ['Duration', formatDuration(run.statistics?.durationMs ?? duration)],
    ['Tool', `${tool.name} ${tool.version}`],
    ['Fail on', `${s.failOn} and above`],
  ]
  if (run.commandLine) meta.push(['Command line', run.commandLine])
  if (run.statistics) {
    const st = run.statistics
    meta.push(['Work done', `${st.connections} connections, at most ${st.peakConnectionsPerDevice} per device, ${st.probeUnits} probe units`])
  }
  const overall: Verdict = s.verdicts.fail > 0 ? 'fail' : s.verdicts.incomplete > 0 ? 'incomplete' : 'pass'
  const cards: Array<[string, string, string]> = [
    ['Devices', String(s.devices), ''],
    ['Pass', String(s.verdicts.pass), 'v-pass'],
    ['Fail', String(s.verdicts.fail), 'v-fail'],
    ['Incomplete', String(s.verdicts.incomplete), 'v-incomplete'],
    ['Failed checks', String(s.outcomes.fail), ''],
    ['Exit code', String(s.exitCode), ''],
  ]
  return `<header class="top">
<div class="brand">${esc(tool.name)} · security conformance report</div>
<h1>${esc(run.profile.id)} <span class="muted">v${esc(run.profile.version)}</span></h1>
<p class="overall">Overall result: ${verdictBadge(overall)}</p>
<dl class="meta">${meta.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
</header>
<section class="cards">${cards.map(([k, v, c]) => `<div class="card ${c}"><div class="num">${esc(v)}</div><div class="lbl">${esc(k)}</div></div>`).join('')}</section>`
}

function deviceTable(report: Report): string {
  const rows = report.devices.map((d, i) => {
    const c = countOutcomes(d.findings)
    const worst = d.findings.filter((f) => f.outcome === 'fail').reduce<Severity | undefined>(
      (w, f) => (w === undefined || severityWeight(f.severity) > severityWeight(w) ? f.severity : w),
      undefined,
    )
    return `<tr><td><a href="#${deviceAnchor(i)}">${esc(deviceLabel(d))}</a>${d.name !== undefined && d.name !== d.id ? `<div class="muted small">${esc(d.id)}</div>` : ''}</td>
<td>${verdictBadge(d.verdict)}</td>
<td class="small">${d.services.length > 0 ? d.services.map((s) => esc(s.id)).join('<br/>') : '<span class="muted">none reached</span>'}</td>
${OUTCOME_ORDER.map((o) => `<td class="num${c[o] > 0 ? ` n-${cls(o)}` : ' zero'}">${c[o]}</td>`).join('')}
<td>${worst ? sevBadge(worst) : '<span class="muted">—</span>'}</td></tr>`
  })
  return `<section id="devices"><h2>Device verdicts</h2>
<table class="devices"><thead><tr><th>Device</th><th>Verdict</th><th>Services</th>${OUTCOME_ORDER.map((o) => `<th class="num">${OUTCOME_LABEL[o]}</th>`).join('')}<th>Worst failure</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`
}

interface Bar {
  label: string
  segments: Array<{value: number; color: string; name: string}>
}

/** A horizontal (stacked) bar chart as inline SVG, scaled to the largest total. */
function barChart(title: string, bars: readonly Bar[], legend: ReadonlyArray<{name: string; color: string}>): string {
  const labelWidth = 150
  const barWidth = 300
  const rowHeight = 26
  const width = labelWidth + barWidth + 50
  const height = Math.max(1, bars.length) * rowHeight + 6
  const max = Math.max(1, ...bars.map((b) => b.segments.reduce((n, s) => n + s.value, 0)))
  const rows = bars.map((bar, i) => {
    const y = i * rowHeight + 4
    let x = labelWidth
    const rects = bar.segments
      .filter((s) => s.value > 0)
      .map((s) => {
        const w = (s.value / max) * barWidth
        const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${s.color}"><title>${esc(`${bar.label}: ${s.value} ${s.name}`)}</title></rect>`
        x += w
        return rect
      })
    const total = bar.segments.reduce((n, s) => n + s.value, 0)
    return `<text x="${labelWidth - 8}" y="${y + rowHeight / 2}" text-anchor="end" class="axis">${esc(bar.label)}</text>${rects.join('')}<text x="${(x + 6).toFixed(1)}" y="${y + rowHeight / 2}" class="count">${total}</text>`
  })
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption>
<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${rows.join('')}</svg>
<div class="legend">${legend.map((l) => `<span><i style="background:${l.color}"></i>${esc(l.name)}</span>`).join('')}</div></figure>`
}

function charts(report: Report): string {
  const all = report.devices.flatMap((d) => d.findings)
  const families = [...new Set(all.map((f) => familyOf(f.check)))].sort(compareStrings)
  const groups: Array<{name: string; color: string; outcomes: Outcome[]}> = [
    {name: 'pass', color: OUTCOME_COLOR.pass, outcomes: ['pass']},
    {name: 'fail', color: OUTCOME_COLOR.fail, outcomes: ['fail']},
    {name: 'error / inconclusive', color: OUTCOME_COLOR.error, outcomes: ['error', 'inconclusive']},
    {name: 'not tested / N/A', color: OUTCOME_COLOR.not_applicable, outcomes: ['not_tested', 'not_applicable']},
  ]
  const byFamily = barChart(
    'Findings by check family',
    families.map((family) => ({
      label: family,
      segments: groups.map((g) => ({
        name: g.name,
        color: g.color,
        value: all.filter((f) => familyOf(f.check) === family && g.outcomes.includes(f.outcome)).length,
      })),
    })),
    groups,
  )
  const bySeverity = barChart(
    'Failed checks by severity',
    SEVERITIES.map((sev) => ({label: sev, segments: [{name: 'failed', color: SEVERITY_COLOR[sev], value: report.summary.failedBySeverity[sev]}]})),
    SEVERITIES.map((sev) => ({name: sev, color: SEVERITY_COLOR[sev]})),
  )
  return `<section id="charts"><h2>Overview</h2><div class="charts">${byFamily}${bySeverity}</div></section>`
}

function matrix(report: Report): string {
  const checks = new Map<string, {title: string; severity: Severity}>()
  for (const d of report.devices) {
    for (const f of d.findings) {
      const c = checks.get(f.check)
      if (!c) checks.set(f.check, {title: f.title, severity: f.severity})
      else if (severityWeight(f.severity) > severityWeight(c.severity)) c.severity = f.severity
    }
  }
  const ids = [...checks.keys()].sort(compareStrings)
  const rows = ids.map((id) => {
    const meta = checks.get(id)!
    const cells = report.devices.map((d, di) => {
      const hits = d.findings.map((f, fi) => ({f, fi})).filter(({f}) => f.check === id)
      if (hits.length === 0) return '<td class="cell none" title="not evaluated">—</td>'
      const worst = hits.reduce((w, h) => (outcomeRank(h.f.outcome) < outcomeRank(w.f.outcome) ? h : w))
      const tip = hits.map(({f}) => `${f.service}: ${OUTCOME_LABEL[f.outcome]}`).join('\n')
      const more = hits.length > 1 ? ` <span class="times">×${hits.length}</span>` : ''
      return `<td class="cell o-${cls(worst.f.outcome)}" title="${esc(tip)}"><a href="#${findingAnchor(di, worst.fi)}">${OUTCOME_LABEL[worst.f.outcome]}${more}</a></td>`
    })
    return `<tr><th scope="row"><code>${esc(id)}</code><div class="small muted">${esc(meta.title)}</div></th><td>${sevBadge(meta.severity)}</td>${cells.join('')}</tr>`
  })
  return `<section id="matrix"><h2>Compliance matrix</h2>
<p class="muted small">One row per check, one column per device. A cell shows the worst outcome of the check on the device (×N: evaluated on N services); select it for the finding.</p>
<div class="scroll"><table class="matrix"><thead><tr><th>Check</th><th>Severity</th>${report.devices.map((d, i) => `<th class="dev"><a href="#${deviceAnchor(i)}">${esc(deviceLabel(d))}</a></th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></section>`
}

function observationBlock(id: string, observation: Observation | undefined): string {
  if (!observation) return `<li class="obs"><code>${esc(id)}</code> <span class="muted">(not in the report)</span></li>`
  const o = observation
  const artifacts =
    o.artifacts.length === 0
      ? ''
      : `<ul class="artifacts">${o.artifacts
          .map((a) => `<li>${esc(a.kind)} <span class="muted">(${esc(a.encoding)}, ${a.content.length} characters)</span> SHA-256 <code class="hash">${esc(a.sha256)}</code></li>`)
          .join('')}</ul>`
  return `<li class="obs"><div><strong>${esc(o.probe)}</strong> on <code>${esc(o.service)}</code> · collected ${esc(o.collectedAt)} · <code class="muted">${esc(o.id)}</code></div>
${o.error ? `<div class="err">Probe error <code>${esc(o.error.code)}</code>: ${esc(o.error.message)}</div>` : ''}<pre class="data">${esc(dataExcerpt(o.data))}</pre>${artifacts}</li>`
}

function findingBlock(device: Device, deviceIndex: number, finding: Finding, findingIndex: number): string {
  const f = finding
  const meta = checkById(f.check)
  const observations = new Map(device.observations.map((o) => [o.id, o]))
  const refs =
    f.references.length === 0 ? '<p class="muted">No references.</p>' : `<ul class="refs">${f.references.map((r) => `<li>${esc(formatReference(r))}</li>`).join('')}</ul>`
  const evidence =
    f.evidence.length === 0
      ? '<p class="muted">No evidence observations.</p>'
      : `<ol class="evidence">${f.evidence.map((id) => observationBlock(id, observations.get(id))).join('\n')}</ol>`
  return `<details class="finding o-${cls(f.outcome)}" id="${findingAnchor(deviceIndex, findingIndex)}">
<summary>${badge(f.outcome)} ${sevBadge(f.severity)} <span class="ftitle">${esc(f.title)}</span> <code class="small">${esc(f.check)}</code> <span class="small muted">${esc(f.service)}</span></summary>
<div class="body">
<h4>Result</h4><p class="msg">${esc(f.message)}</p>
${meta ? `<h4>About this check</h4><p>${esc(meta.description)}</p>${f.outcome === 'fail' ? `<h4>Remediation</h4><p>${esc(meta.remediation)}</p>` : ''}` : ''}
<h4>References</h4>${refs}
<h4>Evidence</h4>${evidence}
</div></details>`
}

/** What the verdict covers: the statement, then each partial or not-tested check with its reason. */
function coverageBlock(device: Device): string {
  const c = coverageOf(device)
  const gaps = coverageGaps(c)
  return `<div class="coverage" data-coverage="${esc(c.status)}"><p><strong>Coverage:</strong> ${esc(c.statement)}</p>${
    gaps.length ? `<ul class="coverage-gaps small">${gaps.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>` : ''
  }</div>`
}

function findings(report: Report): string {
  const sections = report.devices.map((d, di) => {
    const sorted = sortFindings(d.findings)
    const c = countOutcomes(d.findings)
    const counts = OUTCOME_ORDER.filter((o) => c[o] > 0)
      .map((o) => `${c[o]} ${OUTCOME_LABEL[o].toLowerCase()}`)
      .join(' · ')
    return `<section class="device" id="${deviceAnchor(di)}"><h3>${esc(deviceLabel(d))} ${verdictBadge(d.verdict)}</h3>
<p class="small muted">${esc(d.id)} · ${counts || 'no findings'}</p>
${coverageBlock(d)}
${sorted.map(({finding, index}) => findingBlock(d, di, finding, index)).join('\n')}</section>`
  })
  return `<section id="findings"><h2>Findings by device</h2>${sections.join('\n')}</section>`
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f3f4f6}
main{max-width:1200px;margin:0 auto;padding:24px 28px 40px;background:#fff;min-height:100vh}
h1{margin:.15em 0 .2em;font-size:26px}
h2{margin:32px 0 12px;padding-bottom:6px;border-bottom:2px solid #d0d7de;font-size:19px}
h3{margin:22px 0 4px;font-size:16px}
h4{margin:12px 0 4px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#57606a}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
a{color:inherit}
.muted{color:#6e7781}.small{font-size:12px}
.top{border-bottom:4px solid #0b3d91;padding-bottom:12px}
.brand{font-size:12px;text-transform:uppercase;letter-spacing:.12em;color:#0b3d91;font-weight:700}
.overall{margin:4px 0 12px}
.meta{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:4px 24px;margin:0}
.meta div{display:flex;gap:8px;min-width:0}.meta dt{flex:0 0 120px;color:#57606a}.meta dd{margin:0;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin:18px 0 4px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;border-top:4px solid #8c959f}
.card .num{font-size:24px;font-weight:700}.card .lbl{color:#57606a;font-size:12px}
.card.v-pass{border-top-color:#2e7d32}.card.v-fail{border-top-color:#c62828}.card.v-incomplete{border-top-color:#e65100}
nav.toc{display:flex;flex-wrap:wrap;gap:6px 16px;align-items:center;margin:14px 0 0;font-size:13px}
nav.toc a{color:#0b3d91}
nav.toc button{font:inherit;font-size:12px;padding:3px 10px;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;cursor:pointer}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
thead th{background:#f6f8fa;font-size:12px;color:#57606a;border-bottom:2px solid #d0d7de}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#c4c9cf}
td.n-fail{color:#c62828;font-weight:700}td.n-error,td.n-inconclusive{color:#e65100;font-weight:700}
.badge,.verdict,.sev{display:inline-block;border-radius:10px;padding:1px 8px;font-size:11px;font-weight:700;color:#fff;white-space:nowrap;vertical-align:1px}
.verdict{border-radius:4px;letter-spacing:.05em}
.v-pass.verdict{background:#2e7d32}.v-fail.verdict{background:#c62828}.v-incomplete.verdict{background:#e65100}
${OUTCOME_ORDER.map((o) => `.badge.o-${cls(o)}{background:${OUTCOME_COLOR[o]}}`).join('')}
.badge.o-not-applicable{color:#263238}
${SEVERITIES.map((s) => `.sev.s-${s}{background:${SEVERITY_COLOR[s]}}`).join('')}
.sev.s-low{color:#3e2f00}
.sev{text-transform:uppercase}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:20px}
figure.chart{margin:0;border:1px solid #d0d7de;border-radius:8px;padding:12px}
figcaption{font-weight:700;margin-bottom:6px}
svg{max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#1f2328;dominant-baseline:middle}
svg text.count{fill:#57606a}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#57606a;margin-top:6px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.scroll{overflow-x:auto}
table.matrix th[scope=row]{min-width:260px;font-weight:400}
table.matrix th[scope=row] code{font-weight:600}
table.matrix td{vertical-align:middle}
table.matrix th.dev{text-align:center;min-width:90px}
td.cell{text-align:center;font-size:12px;font-weight:700;white-space:nowrap;border:2px solid #fff}
td.cell a{text-decoration:none;display:block}
${OUTCOME_ORDER.map((o) => `td.cell.o-${cls(o)}{background:${OUTCOME_COLOR[o]};color:#fff}`).join('')}
td.cell.o-pass{background:#e3f1e4;color:#1b5e20}
td.cell.o-not-tested{background:#eceff1;color:#455a64}
td.cell.o-not-applicable{background:#f5f7f8;color:#607d8b}
td.cell.none{color:#c4c9cf;background:#fafbfc;font-weight:400}
.times{font-weight:400;opacity:.85}
details.finding{border:1px solid #d0d7de;border-left:5px solid #8c959f;border-radius:6px;margin:6px 0;background:#fff}
${OUTCOME_ORDER.map((o) => `details.finding.o-${cls(o)}{border-left-color:${OUTCOME_COLOR[o]}}`).join('')}
details.finding summary{cursor:pointer;padding:7px 10px;list-style-position:inside}
details.finding[open] summary{background:#f6f8fa;border-bottom:1px solid #e5e7eb}
.ftitle{font-weight:600}
.body{padding:4px 14px 12px}
.body p{margin:0 0 4px}
.msg{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.refs,.artifacts{margin:0;padding-left:20px}
ol.evidence{margin:0;padding-left:22px}
li.obs{margin:6px 0}
pre.data{background:#f6f8fa;border:1px solid #e5e7eb;border-radius:6px;padding:8px;margin:4px 0;max-height:260px;overflow:auto;font:11px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
code.hash{overflow-wrap:anywhere}
.err{color:#c62828}
footer{margin-top:36px;padding-top:10px;border-top:1px solid #d0d7de;font-size:12px;color:#6e7781}
@media (max-width:800px){.cards{grid-template-columns:repeat(3,1fr)}.charts,.meta{grid-template-columns:1fr}}
@media print{
  body{background:#fff;font-size:11px}
  main{max-width:none;padding:0}
  nav.toc{display:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  h2{break-after:avoid}
  details.finding,tr,figure.chart{break-inside:avoid}
  pre.data{max-height:none;overflow:visible}
  .scroll{overflow:visible}
}
`

/** No `<` or `&` in it, so the page stays parseable as XML too (the tests check well-formedness that way). */
const SCRIPT = `(function(){
function all(open){Array.prototype.forEach.call(document.querySelectorAll('details'),function(d){d.open=open})}
document.getElementById('expand-all').addEventListener('click',function(){all(true)});
document.getElementById('collapse-all').addEventListener('click',function(){all(false)});
window.addEventListener('beforeprint',function(){all(true)});
})();`

/** Inline styles and scripts only; nothing is fetched (the page is opened from disk, often offline). */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

/** Findings about several devices at once and the per-model consistency table; empty without a batch. */
function batchSection(report: Report): string {
  if (!report.batch) return ''
  const rows = batchFindings(report).map(
    (f) =>
      `<tr><td>${badge(f.outcome)}</td><td>${sevBadge(f.severity)}</td><td><code>${esc(f.check)}</code><div class="small muted">${esc(f.title)}</div></td><td>${esc(f.message)}<div class="small muted">${esc(f.references.map(formatReference).join('; '))}</div></td></tr>`,
  )
  const models = report.batch.models.map(
    (m) => `<tr><td>${esc(modelLabel(m))}</td><td class="num">${m.samples}</td><td>${m.differences.length === 0 ? 'yes' : '<strong>no</strong>'}</td><td class="small">${esc(describeDifferences(m))}</td></tr>`,
  )
  return `<section id="batch"><h2>Batch</h2>
<p class="muted small">Findings about several devices at once (e.g. one key on several samples) and, per declared model, whether the samples look alike.</p>
<table class="devices"><thead><tr><th>Outcome</th><th>Severity</th><th>Check</th><th>Message</th></tr></thead><tbody>${rows.join('')}</tbody></table>
${models.length > 0 ? `<table class="devices"><thead><tr><th>Declared model</th><th class="num">Samples</th><th>Consistent</th><th>Differences</th></tr></thead><tbody>${models.join('')}</tbody></table>` : ''}
</section>`
}

function toHtml(report: Report): string {
  const {run, tool} = report
  const title = `${tool.name} report: ${run.profile.id} (${run.id})`
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="generator" content="${esc(`${tool.name} ${tool.version}`)}"/>
<title>${esc(title)}</title>
<style>${CSS}${REQUIREMENTS_CSS}</style>
</head>
<body>
<main>
${header(report)}
<nav class="toc">${hasRequirements(report) ? '<a href="#requirements">Requirements</a>' : ''}<a href="#devices">Device verdicts</a><a href="#charts">Overview</a><a href="#matrix">Compliance matrix</a>${report.batch ? '<a href="#batch">Batch</a>' : ''}<a href="#findings">Findings</a><button type="button" id="expand-all">Expand all findings</button><button type="button" id="collapse-all">Collapse all</button></nav>
${requirementsSection(report, {esc, deviceLabel, findingHref: (di, fi) => `#${findingAnchor(di, fi)}`})}
${deviceTable(report)}
${charts(report)}
${matrix(report)}
${batchSection(report)}
${findings(report)}
<footer>Generated by ${esc(`${tool.name} ${tool.version}`)} from evidence report ${esc(run.id)} (schema ${esc(report.schemaVersion)}). Observation data is shown as excerpts and artifacts by SHA-256; the JSON evidence report holds the full record.</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`
}

/** A self-contained HTML report for people: verdicts, compliance matrix, charts, expandable findings with evidence. */
export const htmlWriter: Writer = {
  format: 'html',
  extensions: ['.html', '.htm'],
  description: 'Self-contained HTML report (verdicts, compliance matrix, charts, findings with evidence excerpts)',
  write: toHtml,
}
