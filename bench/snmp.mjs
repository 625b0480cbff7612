#!/usr/bin/env node
/**
 * SNMP community-sweep benchmark: sg17scan's SNMP probe unit vs onesixtyone, both sweeping the same 3,000
 * community strings (SecLists snmp lists from data/snmp/communities.json, strings > 32 characters dropped for
 * onesixtyone's limit, padded with generated strings if short) against the same local Debian snmpd, which
 * accepts `public` (first in the list) and one string near the end of it.
 *
 *   node bench/snmp.mjs [--runs N] [--tools sg17scan-unit,onesixtyone] [--in-flight N] [--timeout MS]
 *
 * Prints one line per tool:  tool median_wall_s found ratio   (ratio = median / the first tool's median)
 * Progress goes to stderr.
 *
 * sg17scan-unit = `node --import tsx` running createSnmpProbeUnit({communities, versions: ['v1'], maxInFlight,
 *                 intrusive: false}) with a plain ProbeContext (SNMPv1 only, like onesixtyone; node + tsx
 *                 start-up included). Also runs SNMPv3 discovery + 6 noAuth users, as the unit always does.
 * onesixtyone   = `onesixtyone -c LIST -p PORT 127.0.0.1` (default 10 ms between packets).
 */
import {execFile, spawn} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createSocket} from 'node:dgram'
import {readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {log, median} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SNMPD = process.env.SG17_SNMPD ?? '/usr/sbin/snmpd'
const ONESIXTYONE = process.env.SG17_ONESIXTYONE ?? '/usr/bin/onesixtyone'
const SIZE = 3000

function parseArgs(argv) {
  const o = {runs: 5, tools: ['sg17scan-unit', 'onesixtyone'], inFlight: 50, timeout: 500}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const v = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i])
    if (a.startsWith('--runs')) o.runs = Number(v())
    else if (a.startsWith('--tools')) o.tools = v().split(',').filter(Boolean)
    else if (a.startsWith('--in-flight')) o.inFlight = Number(v())
    else if (a.startsWith('--timeout')) o.timeout = Number(v())
    else throw new Error(`unknown argument ${a}`)
  }
  return o
}

function run(file, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    execFile(file, args, {maxBuffer: 64 * 1024 * 1024, timeout: 600_000, ...opts}, (err, stdout, stderr) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9
      if (err) reject(new Error(`${file} failed: ${err.message}\n${stderr}`))
      else resolve({wall, stdout})
    })
  })
}

function freePort() {
  return new Promise((resolve) => {
    const s = createSocket('udp4')
    s.bind(0, '127.0.0.1', () => {
      const {port} = s.address()
      s.close(() => resolve(port))
    })
  })
}

const opts = parseArgs(process.argv.slice(2))
const data = JSON.parse(readFileSync(join(ROOT, 'data', 'snmp', 'communities.json'), 'utf8'))
const list = data.communities.filter((c) => c.community.length <= 32 && !/\s/.test(c.community)).slice(0, SIZE)
for (let n = 0; list.length < SIZE; n++) list.push({id: `bench-${n}`, community: `bench-generated-${n}`})
const lateOne = list[SIZE - 10]
const dir = await mkdtemp(join(tmpdir(), 'sg17-bench-snmp-'))
const port = await freePort()
const listFile = join(dir, 'list.txt')
await writeFile(listFile, `${list.map((c) => c.community).join('\n')}\n`)
await writeFile(join(dir, 'snmpd.conf'), `[snmp] persistentDir ${dir}\nrocommunity public 127.0.0.1\nrocommunity ${lateOne.community} 127.0.0.1\n`)
await writeFile(join(dir, 'communities.json'), JSON.stringify(list.map(({id, community}) => ({id, community}))))
const daemon = spawn(SNMPD, ['-f', '-Lo', '-C', '-c', join(dir, 'snmpd.conf'), '-p', join(dir, 'pid'), `udp:127.0.0.1:${port}`], {
  stdio: 'ignore',
  env: {...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: ''},
})
await new Promise((r) => setTimeout(r, 1000))

const unitScript = `
import {readFileSync} from 'node:fs'
const {createSnmpProbeUnit} = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/probes/snmp/unit.ts')).href)})
const communities = JSON.parse(readFileSync(process.argv[1], 'utf8'))
const port = Number(process.argv[2])
const ctx = {service: {id: 'snmp://127.0.0.1:' + port, protocol: 'snmp', host: '127.0.0.1', port, transport: 'udp'},
  timeoutMs: ${opts.timeout}, signal: new AbortController().signal, caCertificates: [], targetName: '127.0.0.1',
  now: () => new Date(), log: () => {}, connect: () => Promise.reject(new Error('tcp not used'))}
const out = await createSnmpProbeUnit({communities, maxCommunities: communities.length, versions: ['v1'], maxInFlight: ${opts.inFlight}}).run(ctx)
console.log(out[0].data.accepted.length)
`
const tools = {
  'sg17scan-unit': async () => {
    const r = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', unitScript, join(dir, 'communities.json'), String(port)], {cwd: ROOT})
    return {wall: r.wall, found: Number(r.stdout.trim())}
  },
  onesixtyone: async () => {
    const r = await run(ONESIXTYONE, ['-c', listFile, '-p', String(port), '127.0.0.1'])
    return {wall: r.wall, found: new Set([...r.stdout.matchAll(/^127\.0\.0\.1 \[(.*?)\] /gm)].map((m) => m[1])).size}
  },
}

try {
  const results = []
  for (const name of opts.tools) {
    const walls = []
    let found = 0
    for (let i = 0; i < opts.runs; i++) {
      const r = await tools[name]()
      walls.push(r.wall)
      found = r.found
      log(`${name} run ${i + 1}: ${r.wall.toFixed(2)} s, ${r.found} found`)
    }
    results.push({name, median: median(walls), found})
  }
  for (const r of results) console.log(`${r.name} ${r.median.toFixed(2)} ${r.found} ${(r.median / results[0].median).toFixed(2)}`)
} finally {
  daemon.kill('SIGTERM')
  await rm(dir, {recursive: true, force: true})
}
