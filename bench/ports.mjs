#!/usr/bin/env node
/**
 * Port-discovery benchmark: a full-range TCP connect scan of one loopback lab host, sg17scan vs `nmap -sT -p-`.
 * The lab devices (good-gateway, old-nvr, webcam-http) listen on a loopback address of their own (127.x.y.z) in
 * this process; each scanner runs as a child process, runs interleaved.
 *
 *   node bench/ports.mjs [--runs N] [--no-build]
 *
 * Prints one line per figure:  tool median_wall_s [min–max] open_ports same_open_set
 * sg17scan = `node scan-ports.mjs HOST` (dist/ tcpScan with its defaults: a worker thread shares the first pass on a
 *            multi-core machine; Node start-up, import and the scan; the engine's own duration is printed as
 *            sg17scan-engine); nmap = `nmap -sT -p- -n -Pn --open HOST`.
 */
import {randomInt} from 'node:crypto'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {buildWithTsc, log, median, parseRunsAndBuild, runTimed, which} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

const options = parseRunsAndBuild(process.argv.slice(2), 'ports.mjs')
if (options.build) buildWithTsc(ROOT)
const nmap = which('nmap')
if (!nmap) throw new Error('nmap not found: apt-get install nmap')

const {startLab} = await import(pathToFileURL(join(ROOT, 'dist/src/lab/index.js')).href)
const host = `127.${randomInt(100, 250)}.${randomInt(0, 256)}.${randomInt(1, 255)}`
const lab = await startLab({host, devices: ['good-gateway', 'old-nvr', 'webcam-http']})
const labPorts = lab.devices.flatMap((d) => d.targets).map((u) => Number(u.slice(u.lastIndexOf(':') + 1)))

const dir = mkdtempSync(join(tmpdir(), 'sg17scan-bench-ports-'))
const script = join(dir, 'scan-ports.mjs')
writeFileSync(
  script,
  `import {tcpScan} from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/src/engine/ports/tcp-scan.js')).href)}
import {parsePortSpec} from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/src/engine/ports/port-spec.js')).href)}
const r = await tcpScan(process.argv[2], 4, {ports: parsePortSpec('1-65535'), concurrency: 64, maxTimeoutMs: 5000})
console.log(JSON.stringify({open: r.open.map((p) => p.port), closed: r.closed.length, filtered: r.filtered.length, durationMs: r.timing.durationMs, threads: r.timing.threads}))
`,
)

const rows = {sg17scan: [], 'sg17scan-engine': [], nmap: []}
const sets = {sg17scan: [], nmap: []}
try {
  for (let run = 0; run < options.runs; run++) {
    const ours = await runTimed(process.execPath, [script, host])
    const parsed = JSON.parse(ours.stdout)
    rows.sg17scan.push(ours.seconds)
    rows['sg17scan-engine'].push(parsed.durationMs / 1000)
    sets.sg17scan.push(parsed.open.join(','))
    const theirs = await runTimed(nmap, ['-sT', '-p-', '-n', '-Pn', '--open', '-oG', '-', host])
    rows.nmap.push(theirs.seconds)
    const m = /Ports: (.*?)(\t|$)/m.exec(theirs.stdout)
    sets.nmap.push(m ? m[1].split(',').map((p) => Number.parseInt(p.trim(), 10)).sort((a, b) => a - b).join(',') : '')
    log(`run ${run + 1}/${options.runs}: sg17scan ${ours.seconds.toFixed(2)} s (engine ${(parsed.durationMs / 1000).toFixed(2)} s, ${parsed.threads} thread(s)), nmap ${theirs.seconds.toFixed(2)} s`)
  }
} finally {
  await lab.stop()
}
const agree = sets.sg17scan.every((s, i) => s === sets.nmap[i])
const labFound = labPorts.every((p) => sets.sg17scan.every((s) => s.split(',').map(Number).includes(p)))
for (const [tool, values] of Object.entries(rows)) {
  const set = sets[tool === 'sg17scan-engine' ? 'sg17scan' : tool]
  console.log(`${tool} ${median(values).toFixed(2)} [${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}] open=${set.at(-1).split(',').filter(Boolean).length} same_open_set=${agree} lab_ports_found=${labFound}`)
}
