import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {inShard} from '../../src/batch/shard.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {assertValidReport} from '../../src/evidence/validate.js'
import {fleetInventoryCsv, type RunningFleet, startFleet} from '../../src/lab/fleet/index.js'
import {runCli} from '../helpers/cli.js'

const RUN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
let fleet: RunningFleet
let dir: string
let inventory: string
let caFile: string

beforeAll(async () => {
  fleet = await startFleet({count: 40, seed: 3})
  dir = mkdtempSync(join(tmpdir(), 'sg17-batch-cli-'))
  inventory = join(dir, 'inv.csv')
  writeFileSync(inventory, fleetInventoryCsv(fleet.devices))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, fleet.caPem)
})
afterAll(async () => {
  await fleet?.stop()
})

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [])
const ids = () => fleet.devices.map((d) => d.id).sort()
const journalIds = (out: string) => lines(join(out, 'journal.jsonl')).filter(Boolean).map((l) => (JSON.parse(l) as Device).id)

describe('batch scans through the built CLI', () => {
  it('exits 2 naming file:line and field for a bad inventory, and refuses inline secrets', async () => {
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'id,host,services\nok-1,127.0.0.1,tls:443\nbad-2,127.0.0.1,tls:99x\n')
    const r = await runCli(['scan', '--inventory', bad, '--out-dir', join(dir, 'bad-out')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${bad}:3 services[0]: must match pattern`)
    const secret = join(dir, 'secret.yaml')
    writeFileSync(secret, '- id: a\n  host: 127.0.0.1\n  password: hunter2\n')
    const s = await runCli(['scan', '--inventory', secret])
    expect(s.code).toBe(2)
    expect(s.stderr).toMatch(/secret\.yaml:3:3 password: secrets are never accepted inline/)
    expect(s.stderr + s.stdout).not.toContain('hunter2')
  })

  it('survives kill -9 mid-way: --resume finishes and every inventory id appears exactly once', async () => {
    const out = join(dir, 'killed')
    const child = spawn(process.execPath, [RUN, 'scan', '--inventory', inventory, '--out-dir', out, '--ca', caFile, '--concurrency', '2', '--rate', '40', '--no-progress'], {
      env: {...process.env, NODE_ENV: 'production'},
      stdio: 'ignore',
    })
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    // Wait (bounded) until the journal holds a few devices, then kill without warning.
    for (let i = 0; i < 600 && journalIds(out).length < 5; i++) await new Promise((r) => setTimeout(r, 100))
    child.kill('SIGKILL')
    await closed
    const before = journalIds(out)
    expect(before.length).toBeGreaterThanOrEqual(5)
    expect(before.length).toBeLessThan(40)
    expect(existsSync(join(out, 'report.json'))).toBe(false)

    const resumed = await runCli(['scan', '--inventory', inventory, '--out-dir', out, '--ca', caFile, '--resume', '--no-progress'], {timeoutMs: 120_000})
    expect(resumed.stderr).not.toMatch(/Error/)
    expect([0, 1, 3]).toContain(resumed.code)
    expect(resumed.stdout).toMatch(new RegExp(`\\(${40 - before.length} scanned now, ${before.length} already in the journal\\)`))
    const journaled = journalIds(out)
    expect(journaled.length).toBe(40)
    expect([...journaled].sort()).toEqual(ids())
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report
    assertValidReport(report)
    expect(report.devices.map((d) => d.id).sort()).toEqual(ids())
    expect(resumed.code).toBe(report.summary.exitCode)
  }, 180_000)

  it('4 shard processes merged with `report merge` equal one unsharded run', async () => {
    const common = ['--inventory', inventory, '--ca', caFile, '--no-progress', '--concurrency', '16']
    const [single, ...shards] = await Promise.all([
      runCli(['scan', ...common, '--out-dir', join(dir, 'single')], {timeoutMs: 150_000}),
      ...[1, 2, 3, 4].map((k) => runCli(['scan', ...common, '--out-dir', join(dir, `shard-${k}`), '--shard', `${k}/4`], {timeoutMs: 150_000})),
    ])
    for (const r of [single!, ...shards]) expect(r.stderr).not.toMatch(/Error/)
    // Each shard holds exactly its hash bucket.
    for (const k of [1, 2, 3, 4]) {
      expect(journalIds(join(dir, `shard-${k}`)).sort()).toEqual(ids().filter((id) => inShard(id, {k, n: 4})))
    }
    const merged = join(dir, 'merged.json')
    const merge = await runCli(['report', 'merge', ...[1, 2, 3, 4].map((k) => join(dir, `shard-${k}`, 'report.json')), '-o', merged])
    expect(merge.code).toBe(0)
    const a = JSON.parse(readFileSync(merged, 'utf8')) as Report
    const b = JSON.parse(readFileSync(join(dir, 'single', 'report.json'), 'utf8')) as Report
    assertValidReport(a)
    const view = (r: Report) =>
      Object.fromEntries(
        r.devices.map((d) => [
          d.id,
          {
            services: d.services,
            declared: d.declared,
            tags: d.tags,
            verdict: d.verdict,
            findings: d.findings.map((f) => ({check: f.check, outcome: f.outcome, severity: f.severity, service: f.service, message: f.message})),
          },
        ]),
      )
    expect(Object.keys(view(a)).sort()).toEqual(ids())
    expect(view(a)).toEqual(view(b))
    expect(a.summary).toEqual(b.summary)
  }, 240_000)
})
