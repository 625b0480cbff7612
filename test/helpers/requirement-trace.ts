/**
 * Every requirement verdict traceable in every report format: for each device × requirement, each format carries
 * the verdict and every item that decided it (finding `<check>@<service>` / `batch:<check>`, declaration item), and
 * each item resolves to a finding (or batch finding) of the report or to a field of the device's declaration. A
 * pass, fail or not-applicable verdict names at least one such item; inconclusive and not-assessed-remotely
 * verdicts say why in their reason. Returns the problems found (empty: all traceable).
 */
import type {Device, Report, RequirementResult} from '../../src/evidence/types.js'
import {htmlWriter} from '../../src/writers/html.js'
import {jsonWriter} from '../../src/writers/json.js'
import {mdCell, mdWriter} from '../../src/writers/md.js'
import {oscalWriter} from '../../src/writers/oscal.js'
import {requirementsCsvWriter} from '../../src/writers/requirements-csv.js'
import {VERDICT_LABEL} from '../../src/writers/requirements.js'
import {sarifWriter} from '../../src/writers/sarif.js'
import {deviceLabel} from '../../src/writers/shared.js'
import {parseCsv} from './mini-csv.js'

type Prop = {name: string; value: string}
type OscalFinding = {props: Prop[]; target: {'target-id': string; status: {state: string; reason?: string}}; 'related-observations'?: Array<{'observation-uuid': string}>}
type OscalObservation = {uuid: string; props: Prop[]}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** A declaration item (`services`, `accounts.passwordScheme`, `claims[3]`, `crypto[0]`) present in the declaration. */
function declared(device: Device, item: string): boolean {
  let v: unknown = device.declaration
  for (const part of item.split('.')) {
    const m = /^([A-Za-z]+)(?:\[(\d+)\])?$/.exec(part)
    if (!m || !v || typeof v !== 'object') return false
    v = (v as Record<string, unknown>)[m[1]!]
    if (m[2] !== undefined) v = Array.isArray(v) ? v[Number(m[2])] : undefined
  }
  return v !== undefined
}

function resolves(report: Report, device: Device, ref: string): boolean {
  if (ref.startsWith('batch:')) return (report.batch?.findings ?? []).some((f) => f.check === ref.slice(6) && (f.devices.length === 0 || f.devices.includes(device.id)))
  const at = ref.indexOf('@')
  return device.findings.some((f) => f.check === ref.slice(0, at) && f.service === ref.slice(at + 1))
}

export function untraceableRequirements(report: Report): string[] {
  const problems: string[] = []
  const json = JSON.parse(jsonWriter.write(report)) as Report
  const csv = parseCsv(requirementsCsvWriter.write(report))
  const md = mdWriter.write(report)
  const html = htmlWriter.write(report)
  const sarif = JSON.parse(sarifWriter.write(report)) as {runs: Array<{results: Array<{ruleId: string; properties: Record<string, unknown>}>; properties: {requirements?: Array<RequirementResult & {deviceId: string}>}}>}
  const oscal = JSON.parse(oscalWriter.write(report)) as {'assessment-results': {results: Array<{findings?: OscalFinding[]; observations?: OscalObservation[]}>}}
  const result = oscal['assessment-results'].results[0]!
  const observationIds = new Map((result.observations ?? []).map((o) => [o.uuid, o.props.find((p) => p.name === 'observation-id')?.value]))
  const htmlTables = html.slice(html.indexOf('<section id="requirements">')).split('<table class="devices reqs">').slice(1)
  let tableIndex = 0
  for (const device of report.devices) {
    const rs = device.requirements ?? []
    if (rs.length === 0) continue
    const table = htmlTables[tableIndex++] ?? ''
    const mdStart = md.indexOf(`\n## ${mdCell(deviceLabel(device))}: `)
    const mdEnd = md.indexOf('\n## ', mdStart + 4)
    const mdSection = mdStart < 0 ? '' : md.slice(mdStart, mdEnd < 0 ? undefined : mdEnd)
    const jsonDevice = json.devices.find((d) => d.id === device.id)
    for (const r of rs) {
      const at = `${device.name ?? device.id} ${r.standard} ${r.id} (${r.verdict})`
      const items = [...r.decidedBy.findings, ...r.decidedBy.declaration]
      // The report itself: items resolve, and a decided verdict names at least one.
      for (const ref of r.decidedBy.findings) if (!resolves(report, device, ref)) problems.push(`${at}: finding ${ref} is not in the report`)
      for (const item of r.decidedBy.declaration) if (!declared(device, item)) problems.push(`${at}: declaration item ${item} is not in the device's declaration`)
      if ((r.verdict === 'pass' || r.verdict === 'fail' || r.verdict === 'not_applicable') && items.length === 0) problems.push(`${at}: decided by nothing (no finding, no declaration item)`)
      if (r.reason.trim() === '') problems.push(`${at}: no reason`)
      // JSON
      const j = jsonDevice?.requirements?.find((x) => x.standard === r.standard && x.id === r.id)
      if (!j || j.verdict !== r.verdict || JSON.stringify(j.decidedBy) !== JSON.stringify(r.decidedBy)) problems.push(`${at}: JSON differs`)
      // Requirements CSV: one row per device × requirement.
      const row = csv.find((x) => x[0] === device.id && x[2] === r.standard && x[3] === r.id)
      if (!row || row[6] !== r.verdict || row[9] !== r.decidedBy.findings.join(' ') || row[11] !== r.decidedBy.declaration.join(' ')) problems.push(`${at}: requirements CSV row missing or differs`)
      // Markdown: decided verdicts in the table with what decided them; the rest named in the not-assessed line.
      if (r.verdict === 'not_assessed_remotely') {
        if (!new RegExp(`Not assessed remotely \\(\\d+[^)]*\\): (.*, )?${escapeRe(mdCell(r.id))}(,|$)`, 'm').test(mdSection)) problems.push(`${at}: Markdown does not list it`)
      } else {
        const line = mdSection.split('\n').find((l) => l.startsWith(`| ${VERDICT_LABEL[r.verdict]} | ${mdCell(r.id)} |`))
        if (!line) problems.push(`${at}: no Markdown row`)
        else for (const item of items) if (!line.includes(mdCell(item))) problems.push(`${at}: Markdown row lacks ${item}`)
      }
      // HTML: the row with the verdict badge and every item.
      const htmlRow = table.split('<tr>').find((x) => x.includes(`<td class="id">${esc(r.id)}</td>`))
      if (!htmlRow || !htmlRow.includes(`r-${r.verdict.replace(/_/g, '-')}`)) problems.push(`${at}: no HTML row with its verdict`)
      else for (const item of items) if (!htmlRow.includes(`<code>${esc(item)}</code>`)) problems.push(`${at}: HTML row lacks ${item}`)
      // SARIF: the verdict in the run's requirements, each finding it names a result of the run.
      const run = sarif.runs[0]!
      const s = run.properties.requirements?.find((x) => x.deviceId === device.id && x.standard === r.standard && x.id === r.id)
      if (!s || s.verdict !== r.verdict || JSON.stringify(s.decidedBy) !== JSON.stringify(r.decidedBy)) problems.push(`${at}: SARIF run properties lack it or differ`)
      for (const ref of r.decidedBy.findings) {
        const ok = ref.startsWith('batch:')
          ? run.results.some((x) => x.ruleId === ref.slice(6) && x.properties.scope === 'batch')
          : run.results.some((x) => x.ruleId === ref.slice(0, ref.indexOf('@')) && x.properties.deviceId === device.id && x.properties.service === ref.slice(ref.indexOf('@') + 1))
        if (!ok) problems.push(`${at}: SARIF has no result for ${ref}`)
      }
      // OSCAL: one finding per requirement, its props naming every item, linked to the observations behind them.
      const o = (result.findings ?? []).find((x) => x.props.some((p) => p.name === 'device-id' && p.value === device.id) && x.props.some((p) => p.name === 'requirement-id' && p.value === r.id) && x.props.some((p) => p.name === 'requirement-standard' && p.value === r.standard))
      if (!o || !o.props.some((p) => p.name === 'requirement-verdict' && p.value === r.verdict)) {
        problems.push(`${at}: no OSCAL finding with its verdict`)
        continue
      }
      for (const ref of r.decidedBy.findings) if (!o.props.some((p) => p.name === 'decided-by-finding' && p.value === ref)) problems.push(`${at}: OSCAL finding lacks decided-by-finding ${ref}`)
      for (const item of r.decidedBy.declaration) if (!o.props.some((p) => p.name === 'decided-by-declaration' && p.value === item)) problems.push(`${at}: OSCAL finding lacks decided-by-declaration ${item}`)
      const linked = new Set((o['related-observations'] ?? []).map((x) => observationIds.get(x['observation-uuid'])))
      if (linked.has(undefined)) problems.push(`${at}: OSCAL related observation not in the results`)
      for (const ref of r.decidedBy.findings.filter((x) => !x.startsWith('batch:'))) {
        const f = device.findings.find((x) => `${x.check}@${x.service}` === ref)
        if (f && f.evidence.length > 0 && !f.evidence.some((id) => linked.has(id))) problems.push(`${at}: OSCAL finding not linked to the observations of ${ref}`)
      }
    }
  }
  return problems
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
