import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'

import {BatchProgress} from '../../src/batch/progress.js'
import {inShard, parseShard, shardOf} from '../../src/batch/shard.js'
import {SummaryAccumulator} from '../../src/batch/summary.js'
import {summarize} from '../../src/engine/verdict.js'
import type {Device} from '../../src/evidence/types.js'
import {planFleet} from '../../src/lab/fleet/composition.js'
import {ConfigError} from '../../src/profiles/errors.js'

const device = (id: string, verdict: Device['verdict'], outcomes: Array<'pass' | 'fail' | 'error'> = []): Device => ({
  id,
  services: [],
  observations: [],
  findings: outcomes.map((outcome, i) => ({check: `c${i}`, title: 't', outcome, severity: 'high', service: 's', message: '', evidence: [], references: []})),
  verdict,
})

describe('shards', () => {
  it('parses K/N and rejects bad values', () => {
    expect(parseShard('2/4')).toEqual({k: 2, n: 4})
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/2/3', '-1/3']) expect(() => parseShard(bad)).toThrow(ConfigError)
  })

  it('puts every id in exactly one shard, deterministically, and spreads ids over all shards', () => {
    const ids = Array.from({length: 400}, (_, i) => `dev-${i}`)
    const counts = [0, 0, 0, 0]
    for (const id of ids) {
      const owners = [1, 2, 3, 4].filter((k) => inShard(id, {k, n: 4}))
      expect(owners).toEqual([shardOf(id, 4)])
      counts[owners[0]! - 1]!++
    }
    for (const c of counts) expect(c).toBeGreaterThan(60)
    expect(shardOf('dev-17', 4)).toBe(shardOf('dev-17', 4))
    expect(inShard('anything', undefined)).toBe(true)
  })
})

describe('summary accumulator', () => {
  it('equals summarize() over the same devices', () => {
    const devices = [device('a', 'pass', ['pass']), device('b', 'fail', ['fail', 'pass']), device('c', 'incomplete', ['error'])]
    const acc = new SummaryAccumulator('medium')
    for (const d of devices) acc.add(d)
    expect(acc.result()).toEqual(summarize(devices, 'medium'))
    expect(new SummaryAccumulator('medium').result()).toEqual(summarize([], 'medium'))
  })
})

describe('progress', () => {
  it('rewrites one line on a TTY with done/total, failures and ETA', () => {
    let t = 0
    const out: string[] = []
    const p = new BatchProgress(4, {isTTY: true, write: (s) => out.push(s)}, () => t)
    t = 1000
    p.device(device('a', 'fail'))
    expect(out).toHaveLength(1)
    expect(out[0]).toMatch(/^\r\x1b\[2Kscan: 1\/4 devices \(25%\), 1 failed, 0 incomplete, 1\.0\/s, ETA 3s$/)
    p.finish()
    expect(out.at(-1)).toMatch(/\n$/)
  })

  it('logs plain lines every 10 % or every interval otherwise', () => {
    let t = 0
    const out: string[] = []
    const p = new BatchProgress(100, {isTTY: false, write: (s) => out.push(s)}, () => t, 5000)
    for (let i = 0; i < 9; i++) p.device(device(`d${i}`, 'pass'))
    expect(out).toHaveLength(0)
    p.device(device('d9', 'pass'))
    expect(out).toHaveLength(1)
    t = 6000
    p.device(device('d10', 'incomplete'))
    expect(out).toHaveLength(2)
    expect(out[1]).toMatch(/^scan: 11\/100 devices \(11%\), 0 failed, 1 incomplete, .*ETA .*\n$/)
  })
})

describe('lab fleet composition', () => {
  it('is deterministic per seed and plants clones and mismatches, tagged', () => {
    const a = planFleet(300, 5)
    expect(planFleet(300, 5)).toEqual(a)
    expect(planFleet(300, 6)).not.toEqual(a)
    const tagged = (tag: string) => a.filter((d) => d.tags.includes(tag))
    expect(tagged('clone-tls').length).toBe(3)
    expect(tagged('clone-ssh').length).toBe(3)
    expect(tagged('mismatch').length).toBe(3)
    for (const d of tagged('clone-tls')) expect(d.tls).toBe(true)
    for (const d of tagged('clone-ssh')) expect(d.ssh).toBe(true)
    for (const d of tagged('mismatch')) expect(d.shown.vendor).not.toBe(d.declared.vendor)
    expect(a.filter((d) => d.weakTls && d.tls).length).toBeGreaterThan(30)
    expect(a.filter((d) => !d.weakTls && d.tls).length).toBeGreaterThan(30)
    expect(new Set(a.map((d) => d.id)).size).toBe(300)
  })
})

describe('Kubernetes Indexed Job manifest', () => {
  it('runs shard JOB_COMPLETION_INDEX+1 of N with completions N and the inventory from a ConfigMap', () => {
    const text = readFileSync(fileURLToPath(new URL('../../deploy/k8s/sg17scan-indexed-job.yaml', import.meta.url)), 'utf8')
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>)
    const job = docs.find((d) => d.kind === 'Job')!
    expect(job.apiVersion).toBe('batch/v1')
    expect(job.spec.completionMode).toBe('Indexed')
    const n = job.spec.completions as number
    expect(n).toBeGreaterThan(1)
    const container = job.spec.template.spec.containers[0]
    const shardsEnv = container.env.find((e: {name: string}) => e.name === 'SHARDS')
    expect(Number(shardsEnv.value)).toBe(n)
    const script = container.args.join(' ') as string
    expect(script).toContain('--shard $((JOB_COMPLETION_INDEX+1))/${SHARDS}')
    expect(script).toContain('--inventory /inventory/inventory.csv')
    expect(script).toMatch(/--out-dir \/results\/shard-\$\(\(JOB_COMPLETION_INDEX\+1\)\)/)
    const volumes = job.spec.template.spec.volumes as Array<Record<string, any>>
    const inv = volumes.find((v) => v.configMap)!
    const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === inv.configMap.name)!
    expect(cm.data['inventory.csv']).toMatch(/^id,host,services/)
    expect(volumes.some((v) => v.persistentVolumeClaim)).toBe(true)
  })
})
