/** The dashboard pages: each reads the store through the query layer and returns one HTML document. */
import {conformityCsv, conformityDocument} from '../db/conformity.js'
import {createHash} from 'node:crypto'

import {deviceDetail, modelTrends, overview} from '../db/dashboard-queries.js'
import {bundleFiles, evidenceBlob, evidenceName} from '../db/evidence.js'
import type {DeviceFilter} from '../db/filters.js'
import {campaignStats, conformityList, countDevices, type DeviceCursor, type DeviceResultRow, queryDevices} from '../db/queries.js'
import type {Queryable} from '../db/store.js'
import {esc, page, pct, qs, table, verdictBadge} from './html.js'
import {ustar} from './tar.js'

export interface Rendered {
  status: number
  type: string
  body: string | Buffer
  /** Further response headers (a download's digest). */
  headers?: Record<string, string>
  /** Suggested download file name. */
  filename?: string
}

const html = (body: string, status = 200): Rendered => ({status, type: 'text/html; charset=utf-8', body})
const day = (iso: string) => esc(iso.slice(0, 10))
const short = (sha: string | null) => (sha ? `<code title="${esc(sha)}">${esc(sha.slice(0, 12))}</code>` : '')
const devicesLink = (filter: DeviceFilter, text: string) => `<a href="/devices${qs(filter as Record<string, string>)}">${text}</a>`

export async function overviewPage(q: Queryable): Promise<Rendered> {
  const o = await overview(q)
  const t = o.totals
  const cards = `<div class="cards">${[
    ['runs', t.runs],
    ['device results', t.devices],
    ['products', t.products],
    ['labs', t.labs],
    ['failing', `${t.fail} (${pct(t.fail, t.devices)})`],
  ]
    .map(([k, v]) => `<div class="card"><b>${esc(v)}</b>${esc(k)}</div>`)
    .join('')}</div>`
  const campaigns = table(
    o.campaigns,
    [
      {head: 'campaign', cell: (c) => `<a href="/campaign/${encodeURIComponent(c.name)}">${esc(c.name)}</a>`},
      {head: 'period', cell: (c) => esc([c.periodStart, c.periodEnd].filter(Boolean).join(' – '))},
      {head: 'runs', cell: (c) => esc(c.runs), n: true},
      {head: 'devices', cell: (c) => devicesLink({campaign: c.name}, esc(c.devices)), n: true},
      {head: 'failing', cell: (c) => devicesLink({campaign: c.name, verdict: 'fail'}, esc(c.fail)), n: true},
      {head: 'failure rate', cell: (c) => esc(pct(c.fail, c.devices)), n: true},
    ],
    'campaigns',
  )
  const runs = table(
    o.runs,
    [
      {head: 'finished', cell: (r) => day(r.finishedAt)},
      {head: 'lab', cell: (r) => esc(r.lab ?? '')},
      {head: 'campaign', cell: (r) => esc(r.campaign ?? '')},
      {head: 'profile', cell: (r) => esc(r.profile)},
      {head: 'devices', cell: (r) => esc(r.devices), n: true},
      {head: 'evidence', cell: (r) => `${esc(r.kind)}${r.signed ? ' (signed)' : ''}`},
      {head: 'report sha256', cell: (r) => short(r.reportSha256)},
    ],
    'runs',
  )
  return html(page('Overview', `${cards}<h2>Campaigns</h2>${campaigns}<h2>Recent runs</h2>${runs}`))
}

export async function campaignPage(q: Queryable, name: string): Promise<Rendered> {
  let s
  try {
    s = await campaignStats(q, name)
  } catch (error) {
    return html(page('Campaign not found', `<p>${esc((error as Error).message)}</p>`), 404)
  }
  const c = s.campaign
  const head = `<p>${esc([c.periodStart, c.periodEnd].filter(Boolean).join(' – '))} ${c.notes ? `· ${esc(c.notes)}` : ''}</p>
<div class="cards"><div class="card"><b>${s.devices}</b>device results</div><div class="card"><b>${s.products}</b>products</div>
<div class="card"><b>${esc(pct(s.verdicts.fail, s.devices))}</b>failure rate</div><div class="card"><b>${s.sharedKeys.length}</b>shared keys</div></div>`
  const bar = (rate: number) => `<span class="bar" style="width:${Math.round(rate * 120)}px"></span> ${esc((rate * 100).toFixed(1))}%`
  const checks = table(
    s.checks,
    [
      {head: 'check', cell: (r) => devicesLink({campaign: name, check: r.check, outcome: 'fail'}, esc(r.check))},
      {head: 'tested', cell: (r) => esc(r.tested), n: true},
      {head: 'failed', cell: (r) => esc(r.failed), n: true},
      {head: 'failure rate', cell: (r) => bar(r.rate)},
    ],
    'checks',
  )
  const requirements =
    s.requirements.length === 0
      ? ''
      : `<h2>Failure rate per requirement</h2>${table(s.requirements, [
          {head: 'standard', cell: (r) => esc(r.standard)},
          {head: 'requirement', cell: (r) => esc(r.requirement)},
          {head: 'assessed', cell: (r) => esc(r.assessed), n: true},
          {head: 'failed', cell: (r) => esc(r.failed), n: true},
          {head: 'failure rate', cell: (r) => bar(r.rate)},
        ])}`
  const models = table(
    s.models,
    [
      {head: 'vendor', cell: (r) => esc(r.vendor ?? '')},
      {head: 'model', cell: (r) => devicesLink({campaign: name, ...(r.model ? {model: r.model} : {})}, esc(r.model ?? '(unknown)'))},
      {head: 'devices', cell: (r) => esc(r.devices), n: true},
      {head: 'failed', cell: (r) => esc(r.failed), n: true},
      {head: 'failure rate', cell: (r) => bar(r.rate)},
    ],
    'models',
  )
  const keys = table(
    s.sharedKeys,
    [
      {head: 'kind', cell: (r) => esc(r.kind)},
      {head: 'fingerprint', cell: (r) => `<code>${esc(r.fingerprint)}</code>`},
      {head: 'units', cell: (r) => esc(r.devices), n: true},
      {head: 'models', cell: (r) => esc(r.models.join('; '))},
      {head: 'devices', cell: (r) => esc(r.names.join(' '))},
    ],
    'shared-keys',
  )
  return html(page(`Campaign ${c.name}`, `${head}<h2>Failure rate per check</h2>${checks}${requirements}<h2>Per vendor and model</h2>${models}<h2>Keys shared across units (clone / counterfeit signals)</h2>${keys}`))
}

export async function modelsPage(q: Queryable): Promise<Rendered> {
  const trends = await modelTrends(q)
  const body = table(
    trends,
    [
      {head: 'vendor', cell: (m) => esc(m.vendor ?? '')},
      {head: 'model', cell: (m) => devicesLink({...(m.model ? {model: m.model} : {}), ...(m.vendor ? {vendor: m.vendor} : {})}, esc(m.model ?? '(unknown)'))},
      {head: 'devices', cell: (m) => esc(m.devices), n: true},
      {head: 'failure rate', cell: (m) => esc(pct(m.fail, m.devices)), n: true},
      {
        head: 'trend across firmware (first seen →)',
        cell: (m) =>
          m.firmware
            .map((f) => `<span title="first seen ${esc(f.firstSeen.slice(0, 10))}, ${f.devices} devices">${esc(f.firmware ?? '?')}: ${esc(pct(f.fail, f.devices))}</span>`)
            .join(' → '),
      },
    ],
    'models',
  )
  return html(page('Models', body))
}

const FILTER_FIELDS: Array<[keyof DeviceFilter, string]> = [
  ['search', 'search'],
  ['vendor', 'vendor'],
  ['model', 'model'],
  ['firmware', 'firmware'],
  ['verdict', 'verdict'],
  ['check', 'check'],
  ['outcome', 'outcome'],
  ['requirement', 'requirement'],
  ['campaign', 'campaign'],
  ['lab', 'lab'],
  ['since', 'since'],
  ['until', 'until'],
]

export function filterFromQuery(params: URLSearchParams): DeviceFilter {
  const f: DeviceFilter = {}
  for (const [key] of FILTER_FIELDS) {
    const v = params.get(key)?.trim()
    if (v) f[key] = v.slice(0, 200)
  }
  return f
}

/** The device list counts its matches up to this many (the exact count of a very large match is a full scan). */
export const COUNT_UP_TO = 1000

export async function devicesPage(q: Queryable, filter: DeviceFilter, pageNo: number, countUpTo = COUNT_UP_TO, after?: DeviceCursor): Promise<Rendered> {
  const size = 100
  let rows: DeviceResultRow[]
  let total: number
  try {
    ;[rows, total] = await Promise.all([queryDevices(q, filter, size, after ? 0 : (pageNo - 1) * size, after), countDevices(q, filter, countUpTo + 1)])
  } catch (error) {
    return html(page('Devices', `<p>${esc((error as Error).message)}</p>`), 400)
  }
  const form = `<form class="f" method="get" action="/devices">${FILTER_FIELDS.map(
    ([k, label]) => `<label>${esc(label)}<input name="${k}" value="${esc(filter[k] ?? '')}" size="12"></label>`,
  ).join('')}<label>&nbsp;<button type="submit">Filter</button></label></form>`
  const list = table(
    rows,
    [
      {head: 'date', cell: (r) => day(r.date)},
      {head: 'lab', cell: (r) => esc(r.lab ?? '')},
      {head: 'campaign', cell: (r) => esc(r.campaign ?? '')},
      {head: 'vendor', cell: (r) => esc(r.vendor ?? '')},
      {head: 'model', cell: (r) => esc(r.model ?? '')},
      {head: 'firmware', cell: (r) => esc(r.firmware ?? '')},
      {head: 'device', cell: (r) => `<a href="/device/${r.id}">${esc(r.device)}</a>`},
      {head: 'verdict', cell: (r) => verdictBadge(r.verdict)},
      {head: 'failed', cell: (r) => esc(r.failed), n: true},
      ...(filter.check ? [{head: filter.check, cell: (r: DeviceResultRow) => (r.outcome ? verdictBadge(r.outcome) : '')}] : []),
      {head: 'report', cell: (r) => short(r.reportSha256)},
    ],
    'devices',
  )
  // The next page continues after this page's last row (keyset), whatever its number.
  const last = rows.at(-1)
  const more = total > countUpTo
  const pages = Math.max(1, Math.ceil(Math.min(total, countUpTo) / size))
  const hasNext = more ? rows.length === size : pageNo < pages
  const nav =
    pages > 1 || hasNext
      ? `<p>Page ${pageNo} of ${pages}${more ? '+' : ''} ${hasNext && last ? `<a id="next" href="/devices${qs({...(filter as Record<string, string>), page: pageNo + 1, after: `${last.date}~${last.id}`})}">next</a>` : ''}</p>`
      : ''
  const counted = more ? `more than ${countUpTo} device results` : `${total} device result${total === 1 ? '' : 's'}`
  return html(page('Devices', `${form}<p id="count">${counted}</p>${list}${nav}`))
}

export async function devicePage(q: Queryable, id: number): Promise<Rendered> {
  const d = await deviceDetail(q, id)
  if (!d) return html(page('Device not found', `<p>No device result ${esc(id)} in the store.</p>`), 404)
  const ident = table(
    [
      ['vendor', d.declared.vendor, d.observed.vendor],
      ['model', d.declared.model, d.observed.model],
      ['firmware', d.declared.firmware, d.observed.firmware],
      ['serial', d.declared.serial, null],
    ] as Array<[string, string | null, string | null]>,
    [
      {head: 'identity', cell: (r) => esc(r[0])},
      {head: 'declared', cell: (r) => esc(r[1] ?? '')},
      {head: 'observed', cell: (r) => esc(r[2] ?? '')},
    ],
    'identity',
  )
  const run = `<p>Verdict ${verdictBadge(d.verdict)} · profile ${esc(d.profile)} · run finished ${day(d.run.finishedAt)} · lab ${esc(d.run.lab ?? '–')} · campaign ${esc(d.run.campaign ?? '–')} · ${esc(d.run.tool)}</p>
<p>Evidence: report sha256 ${short(d.run.reportSha256)}${d.downloads.report ? ` <a id="download-report" href="/evidence/${esc(d.run.reportSha256)}" download>download report.json</a>` : ''}${d.downloads.bundle && d.run.manifestSha256 ? ` · <a id="download-bundle" href="/bundle/${esc(d.run.manifestSha256)}.tar" download>download the verified bundle (tar)</a>` : ''}${d.run.manifestSha256 ? ` · bundle manifest sha256 ${short(d.run.manifestSha256)}${d.run.signed ? ` · signed by ${esc(d.run.signer ?? '?')}` : ' · unsigned'}` : ''} · run ${esc(d.run.runId)} · ingested from <code>${esc(d.run.source)}</code></p>`
  const coverage = `<p id="coverage">Observations: ${Object.entries(d.coverage.observations).map(([k, v]) => `${esc(k)} ${v}`).join(', ') || 'none'} · findings: ${Object.entries(d.coverage.outcomes).map(([k, v]) => `${esc(k)} ${v}`).join(', ') || 'none'} · services: ${esc(d.services.join(' '))}</p>`
  const requirements =
    d.requirements.length === 0
      ? ''
      : `<h2>Requirements</h2>${table(d.requirements, [
          {head: 'standard', cell: (r) => esc(r.standard)},
          {head: 'requirement', cell: (r) => esc(r.requirement)},
          {head: 'title', cell: (r) => esc(r.title ?? '')},
          {head: 'verdict', cell: (r) => verdictBadge(r.verdict)},
          {head: 'reason', cell: (r) => esc(r.reason ?? '')},
        ], 'requirements')}`
  const findings = table(
    d.findings,
    [
      {head: 'check', cell: (f) => esc(f.check)},
      {head: 'outcome', cell: (f) => verdictBadge(f.outcome)},
      {head: 'severity', cell: (f) => esc(f.severity)},
      {head: 'service', cell: (f) => esc(f.service)},
      {head: 'message', cell: (f) => esc(f.message)},
      {head: 'evidence', cell: (f) => f.evidence.map((e) => `<a href="#${esc(e)}"><code>${esc(e)}</code></a>`).join(' ')},
    ],
    'findings',
  )
  const observations = table(
    d.observations,
    [
      {head: 'observation', cell: (o) => `<code id="${esc(o.id)}">${esc(o.id)}</code>`},
      {head: 'probe', cell: (o) => esc(o.probe)},
      {head: 'service', cell: (o) => esc(o.service)},
      {head: 'status', cell: (o) => esc(o.status) + (o.reason ? ` <span class="muted">${esc(o.reason)}</span>` : '')},
      {head: 'artifacts (sha256)', cell: (o) => o.artifacts.map((a) => `${esc(a.kind)} ${short(a.sha256)}`).join('<br>')},
    ],
    'observations',
  )
  const keys = table(
    d.keys,
    [
      {head: 'kind', cell: (k) => esc(k.kind)},
      {head: 'fingerprint', cell: (k) => `<code>${esc(k.fingerprint)}</code>`},
      {head: 'also on', cell: (k) => (k.sharedWith > 0 ? `<b>${k.sharedWith} other device results</b>` : 'no other device'), n: false},
    ],
    'keys',
  )
  return html(page(`Device ${d.device}`, `${run}${ident}${coverage}${requirements}<h2>Findings</h2>${findings}<h2>Keys</h2>${keys}<h2>Evidence (observations by reference)</h2>${observations}`))
}

const HEX64 = /^[0-9a-f]{64}$/

/** One stored evidence file by its SHA-256: the exact bytes ingest verified; the address is the digest to check. */
export async function evidencePage(q: Queryable, sha256: string): Promise<Rendered> {
  const bytes = HEX64.test(sha256) ? await evidenceBlob(q, sha256) : undefined
  if (!bytes) return html(page('Not found', `<p>No evidence file with sha256 ${esc(sha256)} in the store.</p>`), 404)
  const name = (await evidenceName(q, sha256)) ?? sha256
  const base = name.split('/').pop()!.replace(/[^A-Za-z0-9._-]/g, '_')
  return {
    status: 200,
    type: base.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    body: bytes,
    filename: base,
    headers: digestHeaders(bytes),
  }
}

/** The verified bundle whose manifest.json has this SHA-256, as a tar of its files (`tar -xf`, then
 *  `sg17scan report verify DIR`); its manifest.json is byte for byte the one ingest verified. */
export async function bundlePage(q: Queryable, manifestSha256: string): Promise<Rendered> {
  const files = HEX64.test(manifestSha256) ? await bundleFiles(q, manifestSha256) : undefined
  if (!files) return html(page('Not found', `<p>No stored bundle with manifest sha256 ${esc(manifestSha256)}.</p>`), 404)
  const body = ustar(files)
  return {
    status: 200,
    type: 'application/x-tar',
    body,
    filename: `bundle-${manifestSha256.slice(0, 12)}.tar`,
    headers: {...digestHeaders(body), 'x-manifest-sha256': manifestSha256},
  }
}

function digestHeaders(bytes: Buffer): Record<string, string> {
  const digest = createHash('sha256').update(bytes).digest()
  return {'x-content-sha256': digest.toString('hex'), digest: `sha-256=${digest.toString('base64')}`, etag: `"${digest.toString('hex')}"`}
}

export async function conformityPage(q: Queryable, filter: DeviceFilter, format: 'html' | 'json' | 'csv'): Promise<Rendered> {
  const shown = 2000
  const entries = await conformityList(q, filter, format === 'html' ? shown + 1 : undefined)
  if (format === 'json') return {status: 200, type: 'application/json', body: `${JSON.stringify(conformityDocument(entries), null, 2)}\n`, filename: 'conformity.json'}
  if (format === 'csv') return {status: 200, type: 'text/csv; charset=utf-8', body: conformityCsv(entries), filename: 'conformity.csv'}
  const links = `<p>Download: <a href="/conformity.json${qs(filter as Record<string, string>)}">JSON</a> (schemas/conformity.schema.json) · <a href="/conformity.csv${qs(filter as Record<string, string>)}">CSV</a></p>`
  const body = table(
    entries.slice(0, shown),
    [
      {head: 'vendor', cell: (e) => esc(e.vendor ?? '')},
      {head: 'model', cell: (e) => esc(e.model ?? '')},
      {head: 'firmware', cell: (e) => esc(e.firmware ?? '')},
      {head: 'profile', cell: (e) => esc(`${e.profile.id}@${e.profile.version}`)},
      {head: 'verdict', cell: (e) => verdictBadge(e.verdict)},
      {head: 'date', cell: (e) => day(e.date)},
      {head: 'lab', cell: (e) => esc(e.lab ?? '')},
      {head: 'device', cell: (e) => esc(e.device)},
      {head: 'report sha256', cell: (e) => short(e.reportSha256)},
      {head: 'bundle', cell: (e) => (e.bundleManifestSha256 ? `${short(e.bundleManifestSha256)}${e.signed ? ' signed' : ''}` : '')},
    ],
    'conformity',
  )
  return html(page('Conformity list', `${links}${entries.length > shown ? `<p>The first ${shown} entries; the downloads hold all.</p>` : ''}${body}`))
}
