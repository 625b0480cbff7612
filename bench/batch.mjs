#!/usr/bin/env node
/**
 * Batch benchmark: a lab fleet of N devices (default 1000) served by one child process
 * (`sg17scan lab start --devices N --write-inventory`), scanned by the built CLI in another
 * (`sg17scan scan --inventory inv.csv --out-dir DIR`) with the default profile.
 *
 *   node bench/batch.mjs [--devices N] [--concurrency C] [--no-build]
 *
 * Prints one line per figure: devices, wall_s, devices_per_s, rss_at_100_mb, rss_at_N_mb (scanner VmRSS when
 * the journal held 100 / N devices), peak_rss_scan_mb (until the last device was journaled), peak_rss_mb (whole
 * run, including writing report.json/summary.csv/report.html), lost (inventory ids missing from the journal),
 * exit_code. The scanner's RSS is sampled from /proc/PID/status every 100 ms.
 */
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, readSync, statSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {log} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const RUN = join(ROOT, 'bin', 'run.js')

function parseArgs(argv) {
  const o = {devices: 1000, concurrency: 64, build: true}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--devices') o.devices = Number(argv[++i])
    else if (a === '--concurrency') o.concurrency = Number(argv[++i])
    else if (a === '--no-build') o.build = false
    else throw new Error(`unknown argument ${a}`)
  }
  if (!Number.isInteger(o.devices) || o.devices < 1) throw new Error('--devices must be a positive integer')
  return o
}

const vmRssMb = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

/** Counts journal lines incrementally (reads only what was appended since the last call). */
function lineCounter(path) {
  let offset = 0
  let lines = 0
  const buf = Buffer.alloc(1 << 20)
  return () => {
    if (!existsSync(path)) return 0
    const size = statSync(path).size
    if (size <= offset) return lines
    const fd = openSync(path, 'r')
    try {
      while (offset < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - offset), offset)
        if (n <= 0) break
        for (let k = 0; k < n; k++) if (buf[k] === 0x0a) lines++
        offset += n
      }
    } finally {
      closeSync(fd)
    }
    return lines
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  if (o.build) {
    log('building (tsc)…')
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: ROOT, stdio: 'inherit'})
    if (b.status !== 0) throw new Error('build failed')
  }
  const dir = await mkdtemp(join(tmpdir(), 'sg17-bench-batch-'))
  const state = join(dir, 'lab.json')
  const inventory = join(dir, 'inv.csv')
  const out = join(dir, 'out')
  log(`starting a fleet of ${o.devices} devices…`)
  const lab = spawn(process.execPath, [RUN, 'lab', 'start', '--devices', String(o.devices), '--write-inventory', inventory, '--state-file', state], {stdio: 'ignore', env: {...process.env, NODE_ENV: 'production'}})
  try {
    for (let i = 0; i < 1200 && !existsSync(state); i++) await new Promise((r) => setTimeout(r, 100))
    await new Promise((r) => setTimeout(r, 200))
    const caFile = JSON.parse(readFileSync(state, 'utf8')).caFile
    const ids = readFileSync(inventory, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0])
    log(`fleet up (${ids.length} devices); scanning…`)
    const started = process.hrtime.bigint()
    const scanner = spawn(process.execPath, [RUN, 'scan', '--inventory', inventory, '--out-dir', out, '--ca', caFile, '--concurrency', String(o.concurrency), '--no-progress'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {...process.env, NODE_ENV: 'production'},
    })
    const count = lineCounter(join(out, 'journal.jsonl'))
    let peak = 0
    let peakScan = 0
    let at100
    let atAll
    let scanEnd
    const sampler = setInterval(() => {
      const rss = vmRssMb(scanner.pid)
      if (rss === undefined) return
      peak = Math.max(peak, rss)
      const n = count()
      if (n < ids.length) peakScan = Math.max(peakScan, rss)
      if (at100 === undefined && n >= Math.min(100, ids.length)) at100 = rss
      if (atAll === undefined && n >= ids.length) {
        atAll = rss
        scanEnd = process.hrtime.bigint()
      }
    }, 100)
    const code = await new Promise((r) => scanner.on('close', r))
    clearInterval(sampler)
    const wall = Number(process.hrtime.bigint() - started) / 1e9
    const scanWall = scanEnd ? Number(scanEnd - started) / 1e9 : wall
    const journaled = new Set(readFileSync(join(out, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id))
    const lost = ids.filter((id) => !journaled.has(id)).length
    console.log(`devices ${ids.length}`)
    console.log(`wall_s ${wall.toFixed(1)}`)
    console.log(`scan_wall_s ${scanWall.toFixed(1)} (until the last device was journaled)`)
    console.log(`devices_per_s ${(ids.length / wall).toFixed(1)}`)
    console.log(`rss_at_100_mb ${at100?.toFixed(0) ?? 'n/a'}`)
    console.log(`rss_at_${ids.length}_mb ${atAll?.toFixed(0) ?? 'n/a'}`)
    console.log(`peak_rss_scan_mb ${peakScan.toFixed(0)}`)
    console.log(`peak_rss_mb ${peak.toFixed(0)} (including report.json, summary.csv and report.html)`)
    console.log(`lost ${lost}`)
    console.log(`exit_code ${code}`)
  } finally {
    lab.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 300))
    await rm(dir, {recursive: true, force: true})
  }
}

main().catch((error) => {
  log(error.stack ?? String(error))
  process.exit(1)
})
