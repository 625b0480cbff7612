/**
 * The conformity store on both engines: the embedded PGlite store and a real PostgreSQL server (Debian's, started
 * by the test). Same schema, same query layer, same expectations.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {writeBundle} from '../../src/evidence/bundle.js'
import {sha256Hex} from '../../src/evidence/ids.js'
import type {Report} from '../../src/evidence/types.js'
import {ingestPath} from '../../src/db/ingest.js'
import {migrate, MIGRATIONS, schemaVersion} from '../../src/db/migrations.js'
import {openServerStore} from '../../src/db/pg-store.js'
import {openEmbeddedStore} from '../../src/db/pglite-store.js'
import {conformityPage} from '../../src/serve/pages.js'
import {openStore} from '../../src/db/open.js'
import {modelTrends} from '../../src/db/dashboard-queries.js'
import {modelHistory} from '../../src/db/history.js'
import {campaignStats, conformityList, countDevices, queryDevices} from '../../src/db/queries.js'
import type {Store} from '../../src/db/store.js'
import {asLaterRun, fleetReport} from '../helpers/db-reports.js'
import {referenceCampaign, referenceConformity, type ReferenceConformityFilter, referenceModelTrends} from '../helpers/db-reference.js'
import {openTestStore, STORE_KINDS, stopTestServer, testLocation} from '../helpers/db-stores.js'

/** The campaign statistics the reference recomputation gives too (it has no per-row timing or labels). */
function comparableStats(stats: Awaited<ReturnType<typeof campaignStats>>) {
  return {
    runs: stats.runs,
    devices: stats.devices,
    products: stats.products,
    verdicts: stats.verdicts,
    checks: stats.checks.map(({check, tested, failed}) => ({check, tested, failed})),
    requirements: stats.requirements.map(({standard, requirement, assessed, failed}) => ({standard, requirement, assessed, failed})),
    models: stats.models.map(({vendor, model, devices, failed}) => ({vendor, model, devices, failed})),
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-db-'))
let fleet: Report
const files: Record<'report' | 'bundle' | 'tampered' | 'contradictory' | 'later' | 'outDir', string> = {} as never

beforeAll(async () => {
  fleet = await fleetReport()
  files.report = join(tmp, 'fleet.json')
  writeFileSync(files.report, JSON.stringify(fleet))
  files.bundle = join(tmp, 'bundle')
  writeBundle(fleet, files.bundle, {lab: {name: 'Lab A', operator: 'ops'}})
  // Tampered: one finding's outcome flipped in the bundled report (its manifest hash no longer matches).
  files.tampered = join(tmp, 'tampered')
  writeBundle(asLaterRun(fleet, 'run-tampered', '2026-02-01T00:00:00.000Z', (f) => f ?? ''), files.tampered)
  const tamperedReport = JSON.parse(readFileSync(join(files.tampered, 'report.json'), 'utf8')) as Report
  tamperedReport.devices[0]!.findings[0]!.outcome = 'pass'
  writeFileSync(join(files.tampered, 'report.json'), JSON.stringify(tamperedReport))
  // Self-contradictory: schema-valid, but a failing device is recorded as passing.
  const contradictory = structuredClone(fleet)
  contradictory.run.id = 'run-contradictory'
  const failing = contradictory.devices.find((d) => d.verdict === 'fail')!
  failing.verdict = 'pass'
  files.contradictory = join(tmp, 'contradictory.json')
  writeFileSync(files.contradictory, JSON.stringify(contradictory))
  // A later campaign run of the same fleet with new firmware everywhere.
  files.later = join(tmp, 'later.json')
  writeFileSync(files.later, JSON.stringify(asLaterRun(fleet, 'run-later', '2026-06-01T00:00:00.000Z', (f) => `${f}-r2`)))
  // A batch output directory: report.json (and other files) without a manifest.
  files.outDir = join(tmp, 'out')
  writeBundle(asLaterRun(fleet, 'run-outdir', '2026-03-01T00:00:00.000Z', (f) => f ?? ''), files.outDir)
  rmSync(join(files.outDir, 'manifest.json'))
}, 180_000)

afterAll(async () => {
  await stopTestServer()
  rmSync(tmp, {recursive: true, force: true})
})

const counts = async (store: Store) => {
  const [row] = await store.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM devices) AS devices, (SELECT count(*) FROM findings) AS findings,
       (SELECT count(*) FROM observations) AS observations, (SELECT count(*) FROM device_keys) AS keys`,
  )
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]))
}

describe.each(STORE_KINDS)('conformity store (%s)', (kind) => {
  let store: Store
  beforeAll(async () => {
    store = await openTestStore(kind)
  }, 120_000)
  afterAll(async () => {
    await store?.close()
  })

  it('is migrated to the newest schema version', async () => {
    expect(await schemaVersion(store)).toBe(MIGRATIONS.at(-1)!.version)
    expect(store.kind).toBe(kind)
  })

  it('stores a verified bundle with its lab, campaign and digests, and every row traces back to the report', async () => {
    const out = await ingestPath(store, files.bundle, {campaign: {name: 'MS-2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', notes: 'random sample of 16 units'}})
    expect(out.status).toBe('stored')
    const reportSha = sha256Hex(readFileSync(join(files.bundle, 'report.json')))
    const manifestSha = sha256Hex(readFileSync(join(files.bundle, 'manifest.json')))
    expect(out).toMatchObject({reportSha256: reportSha, devices: fleet.devices.length})
    const [run] = await store.query<Record<string, unknown>>(
      'SELECT r.*, l.name AS lab, c.name AS campaign, c.notes FROM runs r JOIN labs l ON l.id = r.lab_id JOIN campaigns c ON c.id = r.campaign_id',
    )
    expect(run).toMatchObject({report_sha256: reportSha, manifest_sha256: manifestSha, source_kind: 'bundle', lab: 'Lab A', campaign: 'MS-2026', notes: 'random sample of 16 units', run_id: fleet.run.id, profile_sha256: fleet.run.profile.sha256})
    const c = await counts(store)
    expect(c.devices).toBe(fleet.devices.length)
    expect(c.findings).toBe(fleet.devices.reduce((n, d) => n + d.findings.length, 0))
    expect(c.observations).toBe(fleet.devices.reduce((n, d) => n + d.observations.length, 0))
    // Declared identity is stored as declared; the query columns follow it.
    const sample = fleet.devices[0]!
    const [dev] = await store.query<Record<string, unknown>>('SELECT * FROM devices WHERE device_key = $1', [sample.id])
    expect(dev).toMatchObject({declared_vendor: sample.declared!.vendor, declared_model: sample.declared!.model, declared_firmware: sample.declared!.firmware, declared_serial: sample.declared!.serial, vendor: sample.declared!.vendor, verdict: sample.verdict})
  })

  it('ingests the same report again (alone this time) as a duplicate: nothing added', async () => {
    const before = await counts(store)
    const out = await ingestPath(store, files.report)
    expect(out.status).toBe('duplicate')
    expect(await counts(store)).toEqual(before)
  })

  it('refuses a tampered bundle with the reason and stores nothing of it', async () => {
    const before = await counts(store)
    const out = await ingestPath(store, files.tampered)
    expect(out.status).toBe('refused')
    expect(out.status === 'refused' && out.problems.join('\n')).toMatch(/report\.json: (size and )?sha256 mismatch/)
    expect(await counts(store)).toEqual(before)
  })

  it('refuses a self-contradictory report (verdict its findings do not give) and stores nothing of it', async () => {
    const before = await counts(store)
    const out = await ingestPath(store, files.contradictory)
    expect(out.status).toBe('refused')
    expect(out.status === 'refused' && out.problems.join('\n')).toMatch(/verdict: says pass, its findings give fail/)
    expect(await counts(store)).toEqual(before)
  })

  it('a failure inside the transaction stores nothing of that input', async () => {
    const before = await counts(store)
    const later = JSON.parse(readFileSync(files.later, 'utf8')) as Report
    // Two devices with one id: the UNIQUE (run, device) constraint fails half-way through the insert.
    const broken = structuredClone(later)
    broken.run.id = 'run-broken'
    const {ingestVerified} = await import('../../src/db/ingest.js')
    await expect(
      ingestVerified(store, {ok: true, path: 'broken.json', kind: 'report', report: {...broken, devices: [...broken.devices, broken.devices[0]!]}, reportSha256: 'f'.repeat(64), reportKey: 'f'.repeat(64), signed: false}),
    ).rejects.toThrow()
    expect(await counts(store)).toEqual(before)
  })

  it('stores a batch output directory (its report.json) and a later run of the fleet', async () => {
    expect((await ingestPath(store, files.outDir, {lab: 'Lab B'})).status).toBe('stored')
    expect((await ingestPath(store, files.later, {lab: 'Lab B', campaign: {name: 'MS-2026'}})).status).toBe('stored')
    expect((await counts(store)).runs).toBe(3)
  })

  it('queries by vendor, model, firmware, verdict, campaign, lab, check and date range', async () => {
    const d = fleet.devices.find((x) => x.verdict === 'fail')!
    const {vendor, model, firmware} = d.declared!
    const expectedAll = fleet.devices.filter((x) => x.declared?.vendor === vendor && x.declared?.model === model).length
    // Three runs hold this fleet: bundle (MS-2026, Lab A), out dir (Lab B), later (MS-2026, Lab B, firmware -r2).
    expect(await countDevices(store, {vendor: vendor!.toUpperCase(), model})).toBe(3 * expectedAll)
    expect(await countDevices(store, {vendor, model, firmware})).toBe(2 * fleet.devices.filter((x) => x.declared?.model === model && x.declared?.firmware === firmware && x.declared?.vendor === vendor).length)
    expect(await countDevices(store, {campaign: 'MS-2026'})).toBe(2 * fleet.devices.length)
    expect(await countDevices(store, {lab: 'Lab A'})).toBe(fleet.devices.length)
    expect(await countDevices(store, {lab: 'Lab B', since: '2026-05-01'})).toBe(fleet.devices.length)
    // The bundle's run finished when the fleet was scanned (today); the later run on 2026-06-01.
    expect(await countDevices(store, {campaign: 'MS-2026', since: '2026-05-01', until: '2026-06-01'})).toBe(fleet.devices.length)
    expect(await countDevices(store, {campaign: 'MS-2026', until: '2026-05-31'})).toBe(0)
    expect(await countDevices(store, {verdict: 'fail', lab: 'Lab A'})).toBe(fleet.devices.filter((x) => x.verdict === 'fail').length)
    const failedCheck = d.findings.find((f) => f.outcome === 'fail')!.check
    const rows = await queryDevices(store, {check: failedCheck, outcome: 'fail', lab: 'Lab A'})
    expect(rows.map((r) => r.device).sort()).toEqual(fleet.devices.filter((x) => x.findings.some((f) => f.check === failedCheck && f.outcome === 'fail')).map((x) => x.name ?? x.id).sort())
    expect(rows.every((r) => r.outcome === 'fail' && r.check === failedCheck && r.lab === 'Lab A')).toBe(true)
    expect(await countDevices(store, {search: d.declared!.serial!})).toBe(3)
  })

  it('campaign stats: devices, failure rate per check and per model, shared keys', async () => {
    const stats = await campaignStats(store, 'MS-2026')
    const n = fleet.devices.length
    expect(stats).toMatchObject({runs: 2, devices: 2 * n, campaign: {name: 'MS-2026', periodStart: '2026-01-01', periodEnd: '2026-12-31'}})
    expect(stats.verdicts.fail).toBe(2 * fleet.devices.filter((x) => x.verdict === 'fail').length)
    // Per check: the failure count is the devices failing it in the two runs.
    for (const c of stats.checks.slice(0, 3)) {
      const failing = fleet.devices.filter((x) => x.findings.some((f) => f.check === c.check && f.outcome === 'fail')).length
      expect(c.failed).toBe(2 * failing)
      expect(c.rate).toBeCloseTo(c.failed / c.tested, 3)
    }
    expect(stats.models.reduce((s, m) => s + m.devices, 0)).toBe(2 * n)
    // The fleet's clone groups share TLS/SSH keys: every shared key is seen on the clone devices.
    const clones = fleet.devices.filter((x) => x.tags?.some((t) => t.startsWith('clone-')))
    expect(clones.length).toBeGreaterThan(1)
    expect(stats.sharedKeys.length).toBeGreaterThan(0)
    for (const k of stats.sharedKeys) expect(k.names.every((name) => clones.some((c) => c.id === name))).toBe(true)
    await expect(campaignStats(store, 'nope')).rejects.toThrow(/no campaign "nope".*MS-2026/)
  })

  it('conformity list: product, firmware, profile, verdict, date, lab and the evidence digests', async () => {
    const list = await conformityList(store, {lab: 'Lab A'})
    expect(list).toHaveLength(fleet.devices.length)
    const reportSha = sha256Hex(readFileSync(join(files.bundle, 'report.json')))
    expect(list.every((e) => e.reportSha256 === reportSha && e.bundleManifestSha256 !== null && e.lab === 'Lab A' && e.profile.id === fleet.run.profile.id)).toBe(true)
  })

  it('requirement verdicts (reports of profiles with requirements) are stored, queried and rated per requirement', async () => {
    // Requirement verdicts shaped as wt-standards writes them (RequirementResult), stored directly.
    const withReqs = asLaterRun(fleet, 'run-reqs', '2026-07-01T00:00:00.000Z', (f) => f ?? '')
    withReqs.devices.forEach((d, i) => {
      ;(d as unknown as {requirements: unknown[]}).requirements = [
        {standard: 'ETSI EN 303 645', id: '5.1-1', title: 'No universal default passwords', rule: 'r', verdict: i % 4 === 0 ? 'fail' : 'pass', decidedBy: {findings: [], checks: [], declaration: []}, reason: 'test'},
        {standard: 'ETSI EN 303 645', id: '5.3-1', title: 'Updates', rule: 'r', verdict: 'not_assessed_remotely', decidedBy: {findings: [], checks: [], declaration: []}, reason: 'documentation'},
      ]
    })
    const {ingestVerified} = await import('../../src/db/ingest.js')
    const {reportKey} = await import('../../src/db/input.js')
    const out = await ingestVerified(store, {ok: true, path: 'reqs.json', kind: 'report', report: withReqs, reportSha256: 'e'.repeat(64), reportKey: reportKey(withReqs), signed: false}, {campaign: {name: 'EN-2026'}})
    expect(out.status).toBe('stored')
    const failing = fleet.devices.filter((_, i) => i % 4 === 0).length
    expect(await countDevices(store, {requirement: '5.1-1', outcome: 'fail'})).toBe(failing)
    const stats = await campaignStats(store, 'EN-2026')
    expect(stats.requirements).toEqual([
      {standard: 'ETSI EN 303 645', requirement: '5.1-1', assessed: fleet.devices.length, failed: failing, rate: Math.round((failing / fleet.devices.length) * 10_000) / 10_000},
      {standard: 'ETSI EN 303 645', requirement: '5.3-1', assessed: 0, failed: 0, rate: 0},
    ])
  })

  it('model history: each firmware version with its verdicts and what changed', async () => {
    const model = fleet.devices[0]!.declared!.model!
    const history = await modelHistory(store, model)
    const firmwares = history.map((h) => h.firmware)
    expect(firmwares.some((f) => f?.endsWith('-r2'))).toBe(true)
    expect(history[0]!.firstSeen <= history.at(-1)!.firstSeen).toBe(true)
    expect(history.reduce((s, h) => s + h.devices, 0)).toBe(4 * fleet.devices.filter((x) => x.declared?.model === model).length)
  })

  it('model history says what changed between firmware versions through report diff (findings, verdicts, requirements)', async () => {
    const {ingestVerified} = await import('../../src/db/ingest.js')
    const {reportKey} = await import('../../src/db/input.js')
    const d = fleet.devices.find((x) => x.verdict === 'fail')!
    const fixedCheck = d.findings.find((f) => f.outcome === 'fail')!.check
    const version = (firmware: string, finishedAt: string, fix: boolean): Report => {
      const r = asLaterRun(fleet, `run-hist-${firmware}`, finishedAt, () => firmware)
      for (const x of r.devices) x.declared = {...x.declared, model: 'HIST-1'}
      const dev = r.devices.find((x) => x.id === d.id)!
      ;(dev as unknown as {requirements: unknown[]}).requirements = [
        {standard: 'ETSI EN 303 645', id: '5.1-1', title: 't', rule: 'r', verdict: fix ? 'pass' : 'fail', decidedBy: {findings: [], checks: [], declaration: []}, reason: 'test'},
      ]
      if (fix) {
        for (const f of dev.findings) if (f.outcome === 'fail') f.outcome = 'pass'
        dev.verdict = 'pass'
      }
      return r
    }
    // Stored as ingest stores a verified report: its bytes too (ingestVerified does not verify: hand-made change).
    for (const [firmware, at, fix] of [['h1', '2026-08-01T00:00:00.000Z', false], ['h2', '2026-09-01T00:00:00.000Z', true]] as const) {
      const report = version(firmware, at, fix)
      const bytes = Buffer.from(JSON.stringify(report))
      const out = await ingestVerified(store, {ok: true, path: `${firmware}.json`, kind: 'report', report, reportSha256: sha256Hex(bytes), reportKey: reportKey(report), signed: false, files: new Map([['report.json', bytes]])})
      expect(out.status).toBe('stored')
    }
    const history = await modelHistory(store, 'hist-1')
    expect(history.map((h) => h.firmware)).toEqual(['h1', 'h2'])
    expect(history[0]!.changes).toBeUndefined()
    const changes = history[1]!.changes!
    expect(changes.against).toBe('h1')
    expect(changes.runs.a.runId).toBe('run-hist-h1')
    expect(changes.runs.b.runId).toBe('run-hist-h2')
    expect(changes.devices).toEqual({matched: fleet.devices.length, added: 0, removed: 0})
    expect(history[1]!.fixed).toContain(fixedCheck)
    expect(history[1]!.newlyFailing).toEqual([])
    expect(changes.findings.fixed).toBe(d.findings.filter((f) => f.outcome === 'fail').length)
    expect(changes.verdictChanges).toEqual([{device: d.name ?? d.id, from: 'fail', to: 'pass'}])
    expect(changes.requirementChanges).toEqual([{device: d.name ?? d.id, standard: 'ETSI EN 303 645', requirement: '5.1-1', from: 'fail', to: 'pass'}])
  })

  it('the counters ingest keeps (campaign, check, requirement, product, firmware) equal a recount of the raw rows', async () => {
    for (const name of ['MS-2026', 'EN-2026']) {
      const stats = await campaignStats(store, name)
      const reference = await referenceCampaign(store, name)
      expect(reference.devices).toBeGreaterThan(0)
      expect(comparableStats(stats)).toEqual(reference)
    }
    expect(await modelTrends(store)).toEqual(await referenceModelTrends(store))
  })

  it('the conformity list (page, download and export) equals a recomputation from the run rows, whole and as a first page', async () => {
    const vendor = fleet.devices.find((x) => x.declared?.vendor)!.declared!.vendor!
    const filters: ReferenceConformityFilter[] = [
      {},
      {lab: 'Lab A'},
      {lab: 'Lab B'},
      {campaign: 'MS-2026'},
      {campaign: 'EN-2026'},
      {lab: 'Lab B', campaign: 'MS-2026'},
      {lab: 'Lab B', vendor: vendor.toUpperCase()},
      {since: '2026-02-15T00:00:00.000Z', until: '2026-06-02T00:00:00.000Z'},
      {campaign: 'MS-2026', since: '2026-05-01T00:00:00.000Z'},
      {lab: 'no such lab'},
      {campaign: 'no such campaign'},
    ]
    // Runs so far: bundle (today, Lab A, MS-2026), out dir (2026-03-01, Lab B), later (2026-06-01, Lab B, MS-2026),
    // requirements (2026-07-01, EN-2026, no lab) and the history tests' runs.
    for (const f of filters) {
      const reference = await referenceConformity(store, f)
      expect(await conformityList(store, f), JSON.stringify(f)).toEqual(reference)
      expect(await conformityList(store, f, 5), JSON.stringify(f)).toEqual(reference.slice(0, 5))
      const download = JSON.parse((await conformityPage(store, f, 'json')).body) as {entries: unknown[]}
      expect(download.entries, JSON.stringify(f)).toEqual(reference)
    }
    expect((await referenceConformity(store, {})).length).toBe((await counts(store)).devices)
    expect((await referenceConformity(store, {lab: 'Lab B', campaign: 'MS-2026'})).length).toBe(fleet.devices.length)
    expect(await referenceConformity(store, {lab: 'no such lab'})).toEqual([])
  })

  it("migration 7 copies each stored run's lab, campaign and finish onto its device rows (back-fill)", async () => {
    const location = await testLocation(kind)
    // Without the build's empty template (it is at the newest schema): initdb, then the migrations up to 6.
    const old = kind === 'embedded' ? await openEmbeddedStore(location, {template: false}) : await openServerStore(location)
    try {
      await migrate(old, MIGRATIONS.filter((m) => m.version < 7))
      // Rows as a store at schema 6 holds them: two labs, a campaign, three runs (one without lab or campaign).
      await old.exec(`INSERT INTO labs (name) VALUES ('L1'), ('L2'); INSERT INTO campaigns (name) VALUES ('C1')`)
      const runs: Array<[string, string | null, string | null, string]> = [
        ['a', 'L1', 'C1', '2026-01-05T10:00:00.000Z'],
        ['b', 'L2', null, '2026-03-07T11:00:00.000Z'],
        ['c', null, null, '2026-02-01T12:00:00.000Z'],
      ]
      for (const [key, lab, campaign, finished] of runs) {
        await old.query(
          `INSERT INTO runs (report_key, report_sha256, source_kind, source_path, lab_id, campaign_id, run_id, tool_name, tool_version,
             started_at, finished_at, command_line, profile_id, profile_version, profile_sha256, fail_on, device_count)
           VALUES ($1, $2, 'report', $1, (SELECT id FROM labs WHERE name = $3), (SELECT id FROM campaigns WHERE name = $4), $1, 'sg17scan', '0',
             $5, $5, 'scan', 'p', '1', $2, 'high', 3)`,
          [key, key.repeat(64), lab, campaign, finished],
        )
        for (const [i, vendor] of ['Acme', 'acme', null].entries()) {
          await old.query(
            `INSERT INTO devices (run_id, device_key, vendor, model, firmware, profile_id, profile_version, profile_sha256, verdict, failed)
             VALUES ((SELECT id FROM runs WHERE report_key = $1), $2, $3, 'M1', $4, 'p', '1', 'x', 'pass', 0)`,
            [key, `${key}-${i}`, vendor, i === 1 ? null : '1.0'],
          )
        }
      }
      expect(await migrate(old)).toEqual([7])
      const mismatched = await old.query<{n: number}>(
        `SELECT count(*) AS n FROM devices d JOIN runs r ON r.id = d.run_id
         WHERE d.lab_id IS DISTINCT FROM r.lab_id OR d.campaign_id IS DISTINCT FROM r.campaign_id OR d.finished_at IS DISTINCT FROM r.finished_at`,
      )
      expect(Number(mismatched[0]!.n)).toBe(0)
      for (const f of [{}, {lab: 'L1'}, {lab: 'L2'}, {campaign: 'C1'}, {since: '2026-02-01T12:00:00.000Z'}] as ReferenceConformityFilter[]) {
        const reference = await referenceConformity(old, f)
        expect(reference.length).toBeGreaterThan(0)
        expect(await conformityList(old, f), JSON.stringify(f)).toEqual(reference)
      }
    } finally {
      await old.close()
    }
  })

  it('free-text search (through the trigram index) finds a value in any field, and a count can stop early', async () => {
    const d = fleet.devices[3]!
    const bySerial = await queryDevices(store, {search: d.declared!.serial!.slice(1).toUpperCase()})
    expect(bySerial.length).toBeGreaterThan(0)
    expect(bySerial.every((r) => r.serial === d.declared!.serial)).toBe(true)
    expect((await queryDevices(store, {search: d.id})).every((r) => r.device.includes(d.id))).toBe(true)
    // A needle spanning two fields (model then firmware) is in no single field: no match.
    expect(await countDevices(store, {search: `${d.declared!.model!.slice(-2)}${d.declared!.firmware!.slice(0, 2)}`})).toBe(0)
    const all = await countDevices(store, {})
    expect(all).toBeGreaterThan(5)
    expect(await countDevices(store, {}, 5)).toBe(5)
    expect(await countDevices(store, {}, all + 10)).toBe(all)
  })

  it('keyset pages: the rows after the last row of a page are the next page, as with an offset', async () => {
    const all = await queryDevices(store, {}, 10_000)
    expect(all.length).toBeGreaterThan(12)
    const pages: number[][] = []
    let after: {finishedAt: string; id: number} | undefined
    for (;;) {
      const rows = await queryDevices(store, {}, 5, 0, after)
      if (rows.length === 0) break
      pages.push(rows.map((r) => r.id))
      after = {finishedAt: rows.at(-1)!.date, id: rows.at(-1)!.id}
      expect(pages.length).toBeLessThan(all.length)
    }
    expect(pages.flat()).toEqual(all.map((r) => r.id))
    expect(pages[1]).toEqual((await queryDevices(store, {}, 5, 5)).map((r) => r.id))
  })
})

describe('embedded store on disk', () => {
  it('persists across close and reopen, and a second open does not re-run migrations', async () => {
    const dir = join(tmp, 'store-dir')
    const first = await openStore(dir)
    expect((await ingestPath(first, files.report)).status).toBe('stored')
    await first.close()
    const again = await openStore(dir)
    try {
      expect(await again.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(MIGRATIONS.map((m) => ({version: m.version})))
      expect((await again.query<{n: number}>('SELECT count(*)::int AS n FROM runs'))[0]!.n).toBe(1)
      expect((await ingestPath(again, files.report)).status).toBe('duplicate')
    } finally {
      await again.close()
    }
  }, 120_000)
})

describe('server store', () => {
  it('writers adding different runs to one campaign at once keep its counters exact', async () => {
    const url = await testLocation('server')
    const [a, b] = await Promise.all([openStore(url), openStore(url)])
    try {
      const results = await Promise.all([ingestPath(a, files.later, {campaign: {name: 'C'}}), ingestPath(b, files.report, {campaign: {name: 'C'}})])
      expect(results.map((r) => r.status)).toEqual(['stored', 'stored'])
      const stats = await campaignStats(a, 'C')
      expect(comparableStats(stats)).toEqual(await referenceCampaign(a, 'C'))
      expect(await modelTrends(a)).toEqual(await referenceModelTrends(a))
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  }, 120_000)

  it('two writers ingesting the same report at once store it once', async () => {
    const url = await testLocation('server')
    const [a, b] = await Promise.all([openStore(url), openStore(url)])
    try {
      const results = await Promise.all([ingestPath(a, files.report), ingestPath(b, files.report)])
      expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'stored'])
      expect((await a.query<{n: number}>('SELECT count(*)::int AS n FROM runs'))[0]!.n).toBe(1)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  }, 120_000)
})
