#!/usr/bin/env node
/**
 * SNMP community-sweep benchmark (issue 10 item 11): sg17scan vs onesixtyone, both sweeping the same 3,216 community
 * strings (data/snmp/snmp-onesixtyone.txt, the SecLists list onesixtyone users run) against the same local Debian
 * net-snmp snmpd, which answers nothing to a wrong community and accepts `public` (line 1) and `zepplin`
 * (line 3,200).
 *
 *   node bench/snmp.mjs [--runs N] [--tools sg17scan,sg17scan-unit-v1,onesixtyone] [--timeout MS]
 *
 * Prints one line per tool:  tool median_wall_s found ratio   (ratio = median / onesixtyone's median; found = how
 * many of the two configured communities it reported). Progress goes to stderr.
 *
 * sg17scan         = the CLI as a user runs it: `bin/run.js scan snmp://127.0.0.1:PORT --communities LIST
 *                    --timeout MS --json` (needs `npx tsc` first: runs dist/). SNMPv1 AND v2c for every string, plus
 *                    the built-in 100, SNMPv3 discovery and users, the system group; node start-up included.
 * sg17scan-unit-v1 = the SNMP probe unit alone, SNMPv1 only like onesixtyone (node + tsx start-up included).
 * onesixtyone      = `onesixtyone -c LIST -p PORT 127.0.0.1` (its default: 10 ms between packets, then a wait).
 */
import {spawn} from 'node:child_process'
import {createSocket} from 'node:dgram'
import {existsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {log, median, runTimed} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SNMPD = process.env.SG17_SNMPD ?? '/usr/sbin/snmpd'
const ONESIXTYONE = process.env.SG17_ONESIXTYONE ?? '/usr/bin/onesixtyone'
const LIST = join(ROOT, 'data', 'snmp', 'snmp-onesixtyone.txt')
const ACCEPTED = ['public', 'zepplin']

function parseArgs(argv) {
  const o = {runs: 3, tools: ['sg17scan', 'sg17scan-unit-v1', 'onesixtyone'], timeout: 2000}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const v = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i])
    if (a.startsWith('--runs')) o.runs = Number(v())
    else if (a.startsWith('--tools')) o.tools = v().split(',').filter(Boolean)
    else if (a.startsWith('--timeout')) o.timeout = Number(v())
    else throw new Error(`unknown argument ${a}`)
  }
  return o
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
for (const [name, path] of [['snmpd', SNMPD], ['onesixtyone', ONESIXTYONE]]) {
  if (!existsSync(path)) throw new Error(`${name} not found at ${path}: apt-get install -y ${name}`)
}
if (opts.tools.includes('sg17scan') && !existsSync(join(ROOT, 'dist', 'src', 'commands', 'scan.js'))) throw new Error('dist/ missing: run `npx tsc -p tsconfig.json` first')
const dir = await mkdtemp(join(tmpdir(), 'sg17-bench-snmp-'))
const port = await freePort()
await writeFile(join(dir, 'snmpd.conf'), `[snmp] persistentDir ${dir}\n${ACCEPTED.map((c) => `rocommunity ${c} 127.0.0.1`).join('\n')}\n`)
const daemon = spawn(SNMPD, ['-f', '-Lo', '-C', '-I', '-smux', '-c', join(dir, 'snmpd.conf'), '-p', join(dir, 'pid'), `udp:127.0.0.1:${port}`], {
  stdio: 'ignore',
  env: {...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: ''},
})
await new Promise((r) => setTimeout(r, 1500))

/** Lab list ids (lab-<line>) of the accepted communities → how many of ACCEPTED were found. */
const LINE_OF = {public: 1, zepplin: 3200}
const foundFrom = (ids) => ACCEPTED.filter((c) => ids.has(`lab-${LINE_OF[c]}`)).length

const unitScript = `
import {loadCommunityFile} from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/probes/snmp/community-file.ts')).href)}
const {createSnmpProbeUnit} = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/probes/snmp/unit.ts')).href)})
const communities = loadCommunityFile(process.argv[1])
const port = Number(process.argv[2])
const ctx = {service: {id: 'snmp://127.0.0.1:' + port, protocol: 'snmp', host: '127.0.0.1', port, transport: 'udp'},
  timeoutMs: ${opts.timeout}, signal: new AbortController().signal, caCertificates: [], targetName: '127.0.0.1',
  now: () => new Date(), log: () => {}, connect: () => Promise.reject(new Error('tcp not used'))}
const out = await createSnmpProbeUnit({communities, maxCommunities: communities.length, versions: ['v1']}).run(ctx)
console.log(JSON.stringify(out[0].data.accepted.map((a) => a.credentialId)))
`
const tools = {
  sg17scan: async () => {
    const r = await runTimed(process.execPath, [join(ROOT, 'bin', 'run.js'), 'scan', `snmp://127.0.0.1:${port}`, '--communities', LIST, '--timeout', String(opts.timeout), '--json'], {cwd: ROOT, timeoutMs: 300_000})
    const report = JSON.parse(r.stdout)
    const obs = report.devices[0].observations.find((o) => o.probe === 'snmp.communities')
    return {wall: r.seconds, found: foundFrom(new Set(obs.data.accepted.map((a) => a.credentialId)))}
  },
  'sg17scan-unit-v1': async () => {
    const r = await runTimed(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', unitScript, LIST, String(port)], {cwd: ROOT, timeoutMs: 300_000})
    return {wall: r.seconds, found: foundFrom(new Set(JSON.parse(r.stdout.trim())))}
  },
  onesixtyone: async () => {
    const r = await runTimed(ONESIXTYONE, ['-c', LIST, '-p', String(port), '127.0.0.1'], {timeoutMs: 300_000})
    const names = new Set([...r.stdout.matchAll(/^127\.0\.0\.1 \[(.*?)\] /gm)].map((m) => m[1]))
    return {wall: r.seconds, found: ACCEPTED.filter((c) => names.has(c)).length}
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
      log(`${name} run ${i + 1}: ${r.wall.toFixed(2)} s, ${r.found}/${ACCEPTED.length} found`)
    }
    results.push({name, median: median(walls), found})
  }
  const reference = results.find((r) => r.name === 'onesixtyone')?.median ?? results[0].median
  for (const r of results) console.log(`${r.name} ${r.median.toFixed(2)} ${r.found} ${(r.median / reference).toFixed(2)}`)
} finally {
  daemon.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 300))
  await rm(dir, {recursive: true, force: true})
}
