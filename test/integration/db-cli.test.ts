/**
 * The `db` commands as a user runs them (bin/run.js, dist built first), on the embedded store and on a
 * PostgreSQL server: ingest (stored, duplicate, refused with exit 1), query in three formats, campaign stats,
 * the conformity export against schemas/conformity.schema.json, and model history.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {writeBundle} from '../../src/evidence/bundle.js'
import type {Report} from '../../src/evidence/types.js'
import {runCli} from '../helpers/cli.js'
import {asLaterRun, fleetReport} from '../helpers/db-reports.js'
import {STORE_KINDS, stopTestServer, testLocation} from '../helpers/db-stores.js'
import {parseCsv} from '../helpers/mini-csv.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-db-cli-'))
let fleet: Report
let bundle: string
let tampered: string
let later: string

beforeAll(async () => {
  fleet = await fleetReport()
  bundle = join(tmp, 'bundle')
  writeBundle(fleet, bundle, {lab: {name: 'Lab A'}})
  tampered = join(tmp, 'tampered')
  writeBundle(asLaterRun(fleet, 'run-t', '2026-02-01T00:00:00.000Z', (f) => f ?? ''), tampered)
  writeFileSync(join(tampered, 'artifacts', 'extra.txt'), 'x')
  later = join(tmp, 'later.json')
  writeFileSync(later, JSON.stringify(asLaterRun(fleet, 'run-later', '2026-06-01T00:00:00.000Z', (f) => `${f}-r2`)))
}, 180_000)

afterAll(async () => {
  await stopTestServer()
  rmSync(tmp, {recursive: true, force: true})
})

describe.each(STORE_KINDS)('db commands (%s store)', (kind) => {
  let db: string
  beforeAll(async () => {
    db = kind === 'embedded' ? join(tmp, 'store') : await testLocation('server')
  })
  const cli = (...args: string[]) => runCli([...args, '--db', db], {timeoutMs: 120_000})

  it('ingest: a verified bundle is stored, the same again is a duplicate, a tampered one is refused (exit 1) and stores nothing', async () => {
    const first = await cli('db', 'ingest', bundle, '--campaign', 'MS-2026', '--period', '2026-01-01..2026-12-31', '--campaign-notes', 'random sample')
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(new RegExp(`stored +${bundle}: ${fleet.devices.length} devices`))
    const again = await cli('db', 'ingest', bundle, tampered, later, '--lab', 'Lab B', '--campaign', 'MS-2026')
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(/duplicate +.*already in the store/)
    expect(again.stderr).toMatch(new RegExp(`REFUSED +${tampered}: .*nothing stored\\n +bundle extra file: artifacts/extra.txt`))
    expect(again.stdout).toMatch(/1 stored, 1 duplicate, 1 refused/)
  }, 180_000)

  it('query: table, CSV and JSON agree, and the filters narrow the rows', async () => {
    const model = fleet.devices[0]!.declared!.model!
    const expected = 2 * fleet.devices.filter((d) => d.declared?.model === model).length
    const json = await cli('db', 'query', '--model', model.toLowerCase(), '--json')
    expect(json.code).toBe(0)
    const parsed = JSON.parse(json.stdout) as {total: number; rows: Array<{model: string; lab: string | null}>}
    expect(parsed.total).toBe(expected)
    expect(parsed.rows.every((r) => r.model === model)).toBe(true)
    const csv = await cli('db', 'query', '--model', model, '--lab', 'Lab B', '--csv')
    const rows = parseCsv(csv.stdout)
    expect(rows[0]).toContain('report')
    expect(rows.length - 1).toBe(expected / 2)
    const table = await cli('db', 'query', '--model', model, '--since', '2026-05-01', '--until', '2026-06-30')
    expect(table.stdout).toMatch(new RegExp(`^date +lab +campaign +vendor +model +firmware +device +verdict +failed +report`, 'm'))
    expect(table.stdout).toMatch(new RegExp(`${expected / 2} of ${expected / 2} device results`))
    const bad = await cli('db', 'query', '--since', 'yesterday')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--since yesterday: not a date/)
  }, 180_000)

  it('campaign stats: devices, per-check failure rates and shared keys', async () => {
    const out = await cli('db', 'campaign', 'stats', 'MS-2026', '--json')
    expect(out.code).toBe(0)
    const stats = JSON.parse(out.stdout) as {devices: number; runs: number; sharedKeys: unknown[]; campaign: {notes: string}}
    expect(stats).toMatchObject({devices: 2 * fleet.devices.length, runs: 2, campaign: {notes: 'random sample'}})
    expect(stats.sharedKeys.length).toBeGreaterThan(0)
    const text = await cli('db', 'campaign', 'stats', 'MS-2026')
    expect(text.stdout).toMatch(/Per check:\ncheck +tested +failed +rate/)
    expect(text.stdout).toMatch(/Keys shared across units:\nkind +fingerprint +units/)
  }, 180_000)

  it('export --conformity: JSON valid against schemas/conformity.schema.json, CSV with the same entries', async () => {
    const jsonFile = join(tmp, `${kind}-conformity.json`)
    const csvFile = join(tmp, `${kind}-conformity.csv`)
    expect((await cli('db', 'export', '--conformity', '-o', jsonFile)).code).toBe(0)
    expect((await cli('db', 'export', '--conformity', '-o', csvFile)).code).toBe(0)
    const doc = JSON.parse(readFileSync(jsonFile, 'utf8')) as {entries: Array<{reportSha256: string; lab: string | null}>}
    const ajv = new Ajv2020.default({allErrors: true, strict: true})
    addFormats.default(ajv)
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/conformity.schema.json', 'utf8')) as object)
    expect(validate(doc) ? [] : validate.errors).toEqual([])
    expect(doc.entries).toHaveLength(2 * fleet.devices.length)
    const csv = parseCsv(readFileSync(csvFile, 'utf8'))
    expect(csv.length - 1).toBe(doc.entries.length)
    expect(csv[0]).toEqual(['vendor', 'model', 'firmware', 'profile_id', 'profile_version', 'profile_sha256', 'verdict', 'date', 'lab', 'campaign', 'device', 'report_sha256', 'bundle_manifest_sha256', 'signed'])
  }, 180_000)

  it('history: every firmware of a model, by first seen', async () => {
    const model = fleet.devices[0]!.declared!.model!
    const out = await cli('db', 'history', model, '--json')
    expect(out.code).toBe(0)
    const history = JSON.parse(out.stdout) as Array<{firmware: string; devices: number; firstSeen: string}>
    expect(history.map((h) => h.firstSeen)).toEqual(history.map((h) => h.firstSeen).sort())
    expect(history.find((h) => h.firmware.endsWith('-r2'))?.firstSeen).toBe('2026-06-01T00:00:00.000Z')
    expect(history.reduce((s, h) => s + h.devices, 0)).toBe(2 * fleet.devices.filter((d) => d.declared?.model === model).length)
    // The second firmware against the first, through report diff of the two stored reports: the same units.
    const second = (history as Array<{changes?: {devices: {matched: number}; verdictChanges: unknown[]}}>)[1]!
    expect(second.changes?.devices.matched).toBe(fleet.devices.filter((d) => d.declared?.model === model).length)
    expect(second.changes?.verdictChanges).toEqual([])
  }, 180_000)

  it('scan --db stores the run it just made (the same run as its -o report.json)', async () => {
    const out = join(tmp, `${kind}-lab.json`)
    const scan = await cli('scan', '--lab', '-o', out, '--campaign', 'lab-scan', '--lab-name', 'Lab C')
    expect(scan.code).toBe(1) // the lab's weak devices fail
    const labDevices = (JSON.parse(readFileSync(out, 'utf8')) as Report).devices.length
    expect(scan.stdout).toMatch(new RegExp(`Database: .*: stored ${labDevices} devices`))
    const query = JSON.parse((await cli('db', 'query', '--campaign', 'lab-scan', '--lab', 'Lab C', '--json')).stdout) as {total: number}
    expect(query.total).toBe(labDevices)
    // The report file written by -o is that run: ingesting it adds nothing.
    const again = await cli('db', 'ingest', out)
    expect(again.stdout).toMatch(/duplicate/)
  }, 240_000)
})
