import {appendFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runBatch} from '../../src/batch/run-batch.js'
import {assertValidReport} from '../../src/evidence/validate.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {fleetInventoryCsv, type RunningFleet, startFleet} from '../../src/lab/fleet/index.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {parseCsv} from '../helpers/mini-csv.js'

let fleet: RunningFleet
let dir: string
let inventory: string
let caFile: string

beforeAll(async () => {
  fleet = await startFleet({count: 12, seed: 7})
  dir = mkdtempSync(join(tmpdir(), 'sg17-batch-'))
  inventory = join(dir, 'inv.csv')
  writeFileSync(inventory, fleetInventoryCsv(fleet.devices))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, fleet.caPem)
})
afterAll(async () => {
  await fleet?.stop()
})

const journalIds = (out: string) =>
  readFileSync(join(out, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as Device).id)

describe('batch scan with a journal', () => {
  it('journals every device once and writes a schema-valid report, CSV summary and HTML from the journal', async () => {
    const out = join(dir, 'full')
    const result = await runBatch({inventoryPath: inventory, outDir: out, caFiles: [caFile], timeoutMs: 3000, concurrency: 4})
    const ids = fleet.devices.map((d) => d.id).sort()
    expect(journalIds(out).sort()).toEqual(ids)
    const report = JSON.parse(readFileSync(result.reportPath, 'utf8')) as Report
    assertValidReport(report)
    expect(report.devices.map((d) => d.id).sort()).toEqual(ids)
    // Each journal line is exactly the report's devices[] entry.
    const lines = readFileSync(join(out, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)
    for (const line of lines) {
      const d = JSON.parse(line) as Device
      expect(report.devices.find((x) => x.id === d.id)).toEqual(d)
    }
    expect(report.summary.devices).toBe(12)
    expect(report.summary.verdicts.fail).toBeGreaterThan(0)
    expect(report.summary.exitCode).toBe(1)
    const dev = report.devices.find((d) => d.id === fleet.devices[0]!.id)!
    expect(dev.declared).toEqual(fleet.devices[0]!.declared)
    expect(dev.tags).toEqual(fleet.devices[0]!.tags)
    const csv = parseCsv(readFileSync(result.csvPath, 'utf8'))
    expect(csv[0]![0]).toBe('device_id')
    expect(new Set(csv.slice(1).map((r) => r[0])).size).toBe(12)
    expect(csv.length - 1).toBe(report.devices.reduce((n, d) => n + d.findings.length, 0))
    expect(readFileSync(result.htmlPath!, 'utf8')).toContain(fleet.devices[0]!.id)
  })

  it('finds the fleet\'s planted clones (shared TLS key, shared SSH host key) and identity mismatches from the journal', async () => {
    const out = join(dir, 'identity')
    const result = await runBatch({inventoryPath: inventory, outDir: out, caFiles: [caFile], timeoutMs: 3000, concurrency: 4})
    const report = JSON.parse(readFileSync(result.reportPath, 'utf8')) as Report
    assertValidReport(report)
    const tagged = (tag: string) => fleet.devices.filter((d) => d.tags.includes(tag)).map((d) => d.id).sort()
    const failed = (check: string) => (report.batch?.findings ?? []).filter((f) => f.check === check && f.outcome === 'fail')
    expect(tagged('clone-tls').length).toBeGreaterThan(1)
    expect(failed('tls.cert.shared-device-key').map((f) => f.devices)).toEqual([tagged('clone-tls')])
    expect(failed('ssh.hostkey.shared').map((f) => f.devices)).toEqual([tagged('clone-ssh')])
    const mismatched = report.devices
      .filter((d) => d.findings.some((f) => f.check === 'identity.declared-mismatch' && f.outcome === 'fail'))
      .map((d) => d.id)
      .sort()
    expect(mismatched).toEqual(tagged('mismatch'))
  })

  it('resumes: skips journaled devices, ignores a torn last line, and ends with every device exactly once', async () => {
    const out = join(dir, 'resume')
    const specs = fleet.devices.map((d) => d.id)
    await runBatch({inventoryPath: inventory, outDir: out, caFiles: [caFile], timeoutMs: 3000, concurrency: 4})
    // Keep the first 5 devices, then a line torn mid-write (kill -9 during append).
    const journal = join(out, 'journal.jsonl')
    const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean)
    writeFileSync(journal, `${lines.slice(0, 5).join('\n')}\n`)
    appendFileSync(journal, lines[5]!.slice(0, 200))
    const result = await runBatch({inventoryPath: inventory, outDir: out, caFiles: [caFile], timeoutMs: 3000, concurrency: 4, resume: true})
    expect(result.skipped).toBe(5)
    expect(result.scanned).toBe(7)
    expect(journalIds(out).sort()).toEqual([...specs].sort())
    const report = JSON.parse(readFileSync(result.reportPath, 'utf8')) as Report
    assertValidReport(report)
    expect(report.devices.map((d) => d.id).sort()).toEqual([...specs].sort())
    const state = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {runId: string; sessions: unknown[]}
    expect(state.sessions).toHaveLength(2)
    expect(report.run.id).toBe(state.runId)
  })

  it('refuses to reuse a directory without --resume and to resume another inventory or profile', async () => {
    const out = join(dir, 'guard')
    const other = join(dir, 'other.csv')
    writeFileSync(other, fleetInventoryCsv(fleet.devices.slice(0, 2)))
    await runBatch({inventoryPath: other, outDir: out, caFiles: [caFile], timeoutMs: 3000})
    await expect(runBatch({inventoryPath: other, outDir: out, caFiles: [caFile]})).rejects.toThrow(/already holds a batch run.*--resume/)
    await expect(runBatch({inventoryPath: inventory, outDir: out, caFiles: [caFile], resume: true})).rejects.toThrow(ConfigError)
    await expect(runBatch({inventoryPath: inventory, outDir: out, caFiles: [caFile], resume: true})).rejects.toThrow(/different batch/)
    await expect(runBatch({inventoryPath: other, outDir: out, caFiles: [caFile], resume: true, profile: 'mozilla-intermediate'})).rejects.toThrow(/profile differs/)
  })
})
