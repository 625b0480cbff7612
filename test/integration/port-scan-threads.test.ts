/**
 * The port scan's fast paths, run from the build (dist/) in a child process as the CLI runs them: the first pass
 * of a large scan shared with a worker thread decides every port exactly as one thread does (open, closed,
 * filtered with the same reasons), and a machine out of file descriptors (ulimit -n) slows the scan down instead
 * of calling ports filtered.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {filteredLoopbackPort, freshLoopback} from '../helpers/loopback.js'

const DIST = resolve('dist/src/engine/ports/tcp-scan.js')
const host = freshLoopback()
const servers: Server[] = []
const open: number[] = []
let filteredPort = 0
let filtered: {port: number; close(): void} | undefined
let script: string

interface Summary {
  open: number[]
  closed: number
  filtered: number[]
  reasons: Record<string, number>
  threads: number
  attempts: number
}

function scanInChild(options: Record<string, unknown>, ulimit?: number): Promise<Summary> {
  const args = [script, host, JSON.stringify(options)]
  const [file, argv] = ulimit ? ['sh', ['-c', `ulimit -n ${ulimit} && exec "${process.execPath}" "$@"`, 'sh', ...args]] : [process.execPath, args]
  return new Promise((resolvePromise, reject) => {
    execFile(file, argv as string[], {timeout: 60_000}, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`))
      resolvePromise(JSON.parse(stdout) as Summary)
    })
  })
}

beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} missing: build first (npx tsc -p tsconfig.json)`)
  const dir = mkdtempSync(join(tmpdir(), 'sg17-port-threads-'))
  script = join(dir, 'scan.mjs')
  writeFileSync(
    script,
    `import {tcpScan} from ${JSON.stringify(pathToFileURL(DIST).href)}
const o = JSON.parse(process.argv[3])
const r = await tcpScan(process.argv[2], 4, {...o, ports: [...Array.from({length: o.upTo}, (_, i) => i + 1), ...o.extra]})
console.log(JSON.stringify({open: r.open.map((p) => p.port), closed: r.closed.length, filtered: r.filtered, reasons: r.reasons, threads: r.timing.threads, attempts: r.timing.attempts}))
`,
  )
  for (let i = 0; i < 3; i++) {
    const s = createServer((c) => c.destroy())
    await new Promise<void>((r) => s.listen(0, host, r))
    servers.push(s)
    open.push((s.address() as {port: number}).port)
  }
  // A zero-backlog listener holding one queued connection drops further SYNs: a filtered port without root.
  filtered = await filteredLoopbackPort(host, 120)
  filteredPort = filtered.port
}, 30_000)

afterAll(async () => {
  filtered?.close()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
})

// Every listener beyond the low range the scans cover, plus wildcard listeners of the machine below 10,000.
const extra = () => [...open, filteredPort].filter((p) => p > 10_000)

describe('port scan fast paths (built code)', () => {
  it('a scan split with a worker thread decides every port as one thread does', async () => {
    const base = {upTo: 10_000, extra: extra(), concurrency: 64, maxTimeoutMs: 400, minTimeoutMs: 100}
    const [one, two] = await Promise.all([scanInChild({...base, threads: 1}), scanInChild({...base, threads: 2})])
    expect(one.threads).toBe(1)
    expect(two.threads).toBe(2)
    expect(two.open).toEqual(one.open)
    expect(two.closed).toBe(one.closed)
    expect(two.filtered).toEqual(one.filtered)
    expect(two.reasons).toEqual(one.reasons)
    for (const p of open) expect(two.open).toContain(p)
    expect(two.filtered).toContain(filteredPort)
    expect(two.reasons['no-response']).toBe(two.filtered.length)
    expect(two.open.length + two.closed + two.filtered.length).toBe(base.upTo + base.extra.length)
  }, 90_000)

  it('out of file descriptors, the scan backs off and still decides every port (none called filtered for it)', async () => {
    const base = {upTo: 3000, extra: open.filter((p) => p > 3000), concurrency: 400, maxTimeoutMs: 2000, threads: 1}
    const starved = await scanInChild(base, 48)
    const normal = await scanInChild(base)
    expect(Object.keys(starved.reasons).filter((r) => r !== 'conn-refused' && r !== 'no-response')).toEqual([])
    expect(starved.filtered).toEqual(normal.filtered)
    expect(starved.open).toEqual(normal.open)
    expect(starved.closed).toBe(normal.closed)
    for (const p of open) expect(starved.open).toContain(p)
  }, 90_000)

  it('the bundled CLI finds the compiled worker (the bundle sits in dist/cli, not beside the worker)', async () => {
    const {defaultThreads} = (await import(pathToFileURL(resolve('dist/src/engine/ports/scan-threads.js')).href)) as {defaultThreads: () => number}
    const stdout = await new Promise<string>((resolvePromise, reject) => {
      execFile(process.execPath, ['bin/run.js', 'scan', host, '--ports', '1-9000', '--timeout', '1000', '--json'], {timeout: 60_000, maxBuffer: 1 << 26}, (error, out, stderr) => {
        if (out) resolvePromise(out)
        else reject(new Error(`${error?.message}\n${stderr}`))
      })
    })
    const report = JSON.parse(stdout) as {devices: {observations: {probe: string; artifacts?: {kind: string; content: string}[]}[]}[]}
    const ports = report.devices[0]!.observations.find((o) => o.probe === 'net.ports')!
    const timing = JSON.parse(ports.artifacts!.find((a) => a.kind === 'port-scan-timing')!.content) as {threads: number}
    expect(timing.threads).toBe(defaultThreads())
  }, 90_000)
})
