/**
 * The dashboard in headless Debian Chromium, on both stores: each page loads, tables show the ingested lab
 * fleet, the device filters narrow the list, no page logs a console message (errors, CSP violations), and the
 * token guard holds. Screenshots are kept in test-artifacts/dashboard/ (gitignored) to look at.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {writeBundle} from '../../src/evidence/bundle.js'
import {sha256Hex} from '../../src/evidence/ids.js'
import {verifyBundle, verifyReportFile} from '../../src/evidence/verify.js'
import type {Report} from '../../src/evidence/types.js'
import {ingestPath} from '../../src/db/ingest.js'
import type {Store} from '../../src/db/store.js'
import {type RunningDashboard, startDashboard} from '../../src/serve/server.js'
import {asLaterRun, fleetReport} from '../helpers/db-reports.js'
import {openTestStore, STORE_KINDS, stopTestServer} from '../helpers/db-stores.js'

const CHROMIUM = process.env.SG17SCAN_CHROMIUM ?? '/usr/bin/chromium'
const SPAWN_TIMEOUT_MS = 60_000
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard')
const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-dashboard-'))

interface Loaded {
  dom: string
  /** Console messages Chromium logged for the page (errors, warnings, CSP violations, uncaught exceptions). */
  console: string[]
}

/** Headless, offline, throw-away profile; console messages come from Chromium's own log on stderr. */
function chromium(args: string[]): Promise<{stdout: string; stderr: string}> {
  const profile = mkdtempSync(join(tmp, 'profile-'))
  const base = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-logging=stderr', '--v=0', `--user-data-dir=${profile}`]
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...base, ...args], {timeout: SPAWN_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8'}, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({stdout, stderr}),
    )
  })
}

async function load(url: string): Promise<Loaded> {
  const {stdout, stderr} = await chromium(['--dump-dom', url])
  return {dom: stdout, console: stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l))}
}

const rowsOf = (dom: string, tableId: string): string[] => {
  const m = new RegExp(`<table id="${tableId}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(dom)
  return m ? (m[1]!.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) : []
}

let fleet: Report
let bundle: string
let later: string

beforeAll(async () => {
  fleet = await fleetReport()
  bundle = join(tmp, 'bundle')
  writeBundle(fleet, bundle, {lab: {name: 'Lab A'}})
  later = join(tmp, 'later.json')
  writeFileSync(later, JSON.stringify(asLaterRun(fleet, 'run-later', '2026-06-01T00:00:00.000Z', (f) => `${f}-r2`)))
  mkdirSync(ARTIFACTS, {recursive: true})
}, 180_000)

afterAll(async () => {
  await stopTestServer()
  rmSync(tmp, {recursive: true, force: true})
})

it(`has a Chromium binary at ${CHROMIUM} (apt-get install -y chromium), and the console detector sees a page's errors`, async () => {
  expect(existsSync(CHROMIUM)).toBe(true)
  const bad = join(tmp, 'bad.html')
  writeFileSync(bad, '<!doctype html><script>console.error("detector-check"); notAFunction()</script>')
  const loaded = await load(pathToFileURL(bad).href)
  expect(loaded.console.join('\n')).toMatch(/detector-check/)
  expect(loaded.console.join('\n')).toMatch(/Uncaught ReferenceError/)
}, 90_000)

describe.each(STORE_KINDS)('dashboard in Chromium (%s store)', (kind) => {
  let store: Store
  let dashboard: RunningDashboard
  beforeAll(async () => {
    store = await openTestStore(kind)
    expect((await ingestPath(store, bundle, {campaign: {name: 'MS-2026', periodStart: '2026-01-01', periodEnd: '2026-12-31'}})).status).toBe('stored')
    expect((await ingestPath(store, later, {lab: 'Lab B', campaign: {name: 'MS-2026'}})).status).toBe('stored')
    dashboard = await startDashboard(store, {port: 0})
  }, 180_000)
  afterAll(async () => {
    await dashboard?.close()
    await store?.close()
  })
  const url = (path: string) => new URL(path, dashboard.url).href

  it('overview: campaign and runs tables, no console messages; screenshot kept', async () => {
    const page = await load(url('/'))
    expect(page.console).toEqual([])
    expect(rowsOf(page.dom, 'campaigns')).toHaveLength(1)
    expect(rowsOf(page.dom, 'campaigns')[0]).toContain('MS-2026')
    expect(rowsOf(page.dom, 'runs')).toHaveLength(2)
    const png = join(ARTIFACTS, `overview-${kind}.png`)
    await chromium([`--screenshot=${png}`, '--window-size=1280,900', url('/')])
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG')
  }, 120_000)

  it('campaign page: per-check failure rates and the fleet clones as shared keys', async () => {
    const page = await load(url('/campaign/MS-2026'))
    expect(page.console).toEqual([])
    const failing = new Set(fleet.devices.flatMap((d) => d.findings.filter((f) => f.outcome === 'fail').map((f) => f.check)))
    const checkRows = rowsOf(page.dom, 'checks')
    expect(checkRows.length).toBeGreaterThanOrEqual(failing.size)
    for (const check of failing) expect(checkRows.some((r) => r.includes(`>${check}<`))).toBe(true)
    const clones = fleet.devices.filter((d) => d.tags?.includes('clone-tls')).map((d) => d.id)
    const keyRows = rowsOf(page.dom, 'shared-keys')
    expect(keyRows.some((r) => clones.every((c) => r.includes(c)))).toBe(true)
    await chromium([`--screenshot=${join(ARTIFACTS, `campaign-${kind}.png`)}`, '--window-size=1280,1600', url('/campaign/MS-2026')])
  }, 120_000)

  it('models page: one row per model with its firmware trend', async () => {
    const page = await load(url('/models'))
    expect(page.console).toEqual([])
    const models = new Set(fleet.devices.map((d) => d.declared!.model))
    const rows = rowsOf(page.dom, 'models')
    expect(rows).toHaveLength(models.size)
    for (const row of rows) expect(row).toMatch(/→/)
  }, 120_000)

  it('device list filters: model + verdict, search by serial, check + outcome', async () => {
    const d = fleet.devices.find((x) => x.verdict === 'fail')!
    const model = d.declared!.model!
    const all = await load(url('/devices'))
    expect(all.console).toEqual([])
    expect(rowsOf(all.dom, 'devices')).toHaveLength(2 * fleet.devices.length)
    const filtered = await load(url(`/devices?model=${encodeURIComponent(model)}&verdict=fail`))
    const expected = 2 * fleet.devices.filter((x) => x.declared?.model === model && x.verdict === 'fail').length
    expect(rowsOf(filtered.dom, 'devices')).toHaveLength(expected)
    expect(filtered.dom).toContain(`${expected} device results`)
    const bySerial = await load(url(`/devices?search=${encodeURIComponent(d.declared!.serial!)}`))
    expect(rowsOf(bySerial.dom, 'devices')).toHaveLength(2)
    const check = d.findings.find((f) => f.outcome === 'fail')!.check
    const byCheck = await load(url(`/devices?check=${encodeURIComponent(check)}&outcome=fail&lab=Lab+A`))
    expect(rowsOf(byCheck.dom, 'devices')).toHaveLength(fleet.devices.filter((x) => x.findings.some((f) => f.check === check && f.outcome === 'fail')).length)
  }, 120_000)

  it('device page: identity, findings with evidence links, observations, coverage', async () => {
    const d = fleet.devices.find((x) => x.verdict === 'fail')!
    const list = await load(url(`/devices?search=${encodeURIComponent(d.declared!.serial!)}&lab=Lab+A`))
    const href = /href="(\/device\/\d+)"/.exec(rowsOf(list.dom, 'devices')[0]!)![1]!
    const page = await load(url(href))
    expect(page.console).toEqual([])
    expect(rowsOf(page.dom, 'findings')).toHaveLength(d.findings.length)
    expect(rowsOf(page.dom, 'observations')).toHaveLength(d.observations.length)
    expect(page.dom).toContain(d.declared!.serial!)
    const evidence = d.findings.find((f) => f.evidence.length > 0)!.evidence[0]!
    expect(page.dom).toContain(`href="#${evidence}"`)
    expect(page.dom).toContain(`id="${evidence}"`)
    expect(page.dom).toMatch(/id="coverage">Observations: /)
    await chromium([`--screenshot=${join(ARTIFACTS, `device-${kind}.png`)}`, '--window-size=1280,1600', url(href)])
  }, 120_000)

  it('device page links the verified evidence; the downloads are the bytes ingest verified (digests), and verify again', async () => {
    const d = fleet.devices.find((x) => x.verdict === 'fail')!
    const stored = async (lab: string) => {
      const list = await load(url(`/devices?search=${encodeURIComponent(d.declared!.serial!)}&lab=${encodeURIComponent(lab)}`))
      const page = await load(url(/href="(\/device\/\d+)"/.exec(rowsOf(list.dom, 'devices')[0]!)![1]!))
      expect(page.console).toEqual([])
      return page.dom
    }
    const [run] = await store.query<{report_sha256: string; manifest_sha256: string}>("SELECT report_sha256, manifest_sha256 FROM runs WHERE source_kind = 'bundle'")
    // The bundle's device: both links.
    const dom = await stored('Lab A')
    const reportHref = /id="download-report" href="([^"]+)"/.exec(dom)?.[1]
    const bundleHref = /id="download-bundle" href="([^"]+)"/.exec(dom)?.[1]
    expect(reportHref).toBe(`/evidence/${run!.report_sha256}`)
    expect(bundleHref).toBe(`/bundle/${run!.manifest_sha256}.tar`)
    const report = await fetch(url(reportHref!))
    expect(report.headers.get('content-type')).toBe('application/json')
    const reportBytes = Buffer.from(await report.arrayBuffer())
    expect(sha256Hex(reportBytes)).toBe(run!.report_sha256)
    expect(reportBytes.equals(readFileSync(join(bundle, 'report.json')))).toBe(true)
    expect(report.headers.get('x-content-sha256')).toBe(run!.report_sha256)
    const tar = await fetch(url(bundleHref!))
    expect(tar.headers.get('content-type')).toBe('application/x-tar')
    expect(tar.headers.get('x-manifest-sha256')).toBe(run!.manifest_sha256)
    const tarBytes = Buffer.from(await tar.arrayBuffer())
    expect(tar.headers.get('x-content-sha256')).toBe(sha256Hex(tarBytes))
    const out = mkdtempSync(join(tmp, `download-${kind}-`))
    writeFileSync(join(out, 'bundle.tar'), tarBytes)
    await new Promise<void>((resolve, reject) => execFile('tar', ['-xf', join(out, 'bundle.tar'), '-C', out], (error) => (error ? reject(error) : resolve())))
    rmSync(join(out, 'bundle.tar'))
    expect(sha256Hex(readFileSync(join(out, 'manifest.json')))).toBe(run!.manifest_sha256)
    const verified = verifyBundle(out, {allowUnsigned: true})
    expect(verified.problems).toEqual([])
    expect(verified.exitCode).toBe(0)
    // The later run was a bare report: its report.json only, which verifies as a report.
    const laterDom = await stored('Lab B')
    expect(laterDom).not.toContain('id="download-bundle"')
    const laterHref = /id="download-report" href="([^"]+)"/.exec(laterDom)![1]!
    const laterBytes = Buffer.from(await (await fetch(url(laterHref))).arrayBuffer())
    expect(laterBytes.equals(readFileSync(later))).toBe(true)
    writeFileSync(join(out, 'later.json'), laterBytes)
    expect(verifyReportFile(join(out, 'later.json')).exitCode).toBe(0)
    expect((await fetch(url(`/evidence/${'0'.repeat(64)}`))).status).toBe(404)
    expect((await fetch(url(`/bundle/${run!.report_sha256}.tar`))).status).toBe(404)
  }, 120_000)

  it('conformity list: every device result, with downloads', async () => {
    const page = await load(url('/conformity'))
    expect(page.console).toEqual([])
    expect(rowsOf(page.dom, 'conformity')).toHaveLength(2 * fleet.devices.length)
    const json = (await (await fetch(url('/conformity.json?lab=Lab+A'))).json()) as {entries: unknown[]}
    expect(json.entries).toHaveLength(fleet.devices.length)
  }, 120_000)

  it('is read-only and unknown pages are 404', async () => {
    expect((await fetch(url('/'), {method: 'POST'})).status).toBe(405)
    expect((await fetch(url('/device/999999999'))).status).toBe(404)
    expect((await fetch(url('/nope'))).status).toBe(404)
    expect((await fetch(url('/campaign/%E0%A4%A'))).status).toBe(400)
    expect((await fetch(url('/campaign/none'))).status).toBe(404)
  })
})

describe('dashboard access', () => {
  it('refuses a non-loopback address without a token, and with one answers only requests that carry it', async () => {
    const q = {query: async () => []}
    expect(() => startDashboard(q, {host: '0.0.0.0', port: 0})).toThrow(/requires a token/)
    const token = 'a'.repeat(20) + 'token'
    const d = await startDashboard(q as never, {host: '0.0.0.0', port: 0, token})
    try {
      const port = new URL(d.url).port
      expect((await fetch(`http://127.0.0.1:${port}/models`)).status).toBe(401)
      expect((await fetch(`http://127.0.0.1:${port}/models`, {headers: {authorization: 'Bearer wrong'}})).status).toBe(401)
      expect((await fetch(`http://127.0.0.1:${port}/models`, {headers: {authorization: `Bearer ${token}`}})).status).toBe(200)
      const redirect = await fetch(`http://127.0.0.1:${port}/models?token=${token}`, {redirect: 'manual'})
      expect(redirect.status).toBe(303)
      expect(redirect.headers.get('location')).toBe('/models')
      const cookie = redirect.headers.get('set-cookie')!.split(';')[0]!
      expect((await fetch(`http://127.0.0.1:${port}/models`, {headers: {cookie}})).status).toBe(200)
    } finally {
      await d.close()
    }
  })
})
