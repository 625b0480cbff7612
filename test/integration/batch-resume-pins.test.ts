import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runBatch} from '../../src/batch/run-batch.js'
import {assertValidReport} from '../../src/evidence/validate.js'
import type {Report} from '../../src/evidence/types.js'
import {fleetInventoryCsv, type RunningFleet, startFleet} from '../../src/lab/fleet/index.js'

let fleet: RunningFleet
let dir: string
let inventory: string
let caFile: string
let communities: string

beforeAll(async () => {
  fleet = await startFleet({count: 2, seed: 3})
  dir = mkdtempSync(join(tmpdir(), 'sg17-pins-'))
  inventory = join(dir, 'inv.csv')
  writeFileSync(inventory, fleetInventoryCsv(fleet.devices))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, fleet.caPem)
  communities = join(dir, 'communities.txt')
  writeFileSync(communities, 'lab-secret-1\n')
})
afterAll(async () => {
  await fleet?.stop()
})

const base = (out: string) => ({
  inventoryPath: inventory,
  outDir: out,
  caFiles: [caFile],
  timeoutMs: 3000,
  secretFiles: [{flag: '--communities', path: communities}],
})
const runJson = (out: string) => join(out, 'run.json')

describe('--resume refuses whatever changes results', () => {
  let out: string
  beforeAll(async () => {
    out = join(dir, 'pinned')
    await runBatch({...base(out), commandLine: 'sg17scan scan --inventory inv.csv --out-dir pinned'})
  })

  it.each([
    ['--timeout', () => ({timeoutMs: 4000}), /--timeout differs \(3000 ms before, 4000 ms now\)/],
    ['--intrusive', () => ({intrusive: true}), /--intrusive differs \(off before, on now\)/],
    ['--login-delay', () => ({loginDelayMs: 10}), /--login-delay differs \(the profile's before, 10 ms now\)/],
    ['--ca', () => ({caFiles: [caFile, caFile]}), /--ca file\(s\) differ by digest/],
  ])('a different %s', async (_flag, over, message) => {
    const error = await runBatch({...base(out), resume: true, ...over()}).catch((e: unknown) => e as Error)
    expect(error?.message).toMatch(/belongs to a different batch/)
    expect(error?.message).toMatch(message)
  })

  it('a changed credential/community file (compared by salted digest, never stored in clear or plainly hashed)', async () => {
    const state = readFileSync(runJson(out), 'utf8')
    expect(state).not.toContain('lab-secret-1')
    expect(state).not.toContain(createHash('sha256').update('lab-secret-1\n').digest('hex'))
    const other = join(dir, 'communities-2.txt')
    writeFileSync(other, 'lab-secret-2\n')
    await expect(runBatch({...base(out), resume: true, secretFiles: [{flag: '--communities', path: other}]})).rejects.toThrow(/--communities: the file's content differs/)
  })

  it('a different tool build or data file (run.json edited to stand for another build)', async () => {
    const original = readFileSync(runJson(out), 'utf8')
    try {
      const state = JSON.parse(original)
      state.pins.tool.version = '0.0.1'
      state.pins.data[0].sha256 = 'f'.repeat(64)
      writeFileSync(runJson(out), JSON.stringify(state))
      const text = (await runBatch({...base(out), resume: true}).catch((e: unknown) => e as Error))?.message
      expect(text).toMatch(/tool build differs \(0\.0\.1/)
      expect(text).toMatch(new RegExp(`data file ${state.pins.data[0].file} differs`))
      delete state.pins
      writeFileSync(runJson(out), JSON.stringify(state))
      await expect(runBatch({...base(out), resume: true})).rejects.toThrow(/records no tool build, data digests or options/)
    } finally {
      writeFileSync(runJson(out), original)
    }
  })

  it('resumes when nothing differs, and the report keeps every session\'s command line', async () => {
    const result = await runBatch({...base(out), resume: true, commandLine: 'sg17scan scan --inventory inv.csv --out-dir pinned --resume'})
    const report = JSON.parse(readFileSync(result.reportPath, 'utf8')) as Report
    assertValidReport(report)
    expect(report.run.sessions?.map((s) => s.commandLine)).toEqual([
      'sg17scan scan --inventory inv.csv --out-dir pinned',
      'sg17scan scan --inventory inv.csv --out-dir pinned --resume',
    ])
    expect(report.run.commandLine).toBe('sg17scan scan --inventory inv.csv --out-dir pinned --resume')
    expect(report.tool.node).toBe(process.version)
    expect(report.run.data?.find((d) => d.file === 'data/snmp/communities.json')?.dataset).toBe('seclists-snmp-communities')
    expect(report.run.inputs?.map((i) => i.flag)).toEqual(['--ca'])
  })
})
