#!/usr/bin/env node
/**
 * Start-up and single-device benchmark (issue 16): medians over N runs (default 7) of
 *
 *   node -e 0                                  the floor every node CLI pays
 *   sg17scan --version | --help | checks list   commands that load no probe
 *   sg17scan scan ssh://127.0.0.1:PORT --json  vs  ssh-audit -j 127.0.0.1:PORT   (alternating run by run; the same local OpenSSH sshd,
 *                                              started by bench/sshd.mjs as in bench/ssh.mjs)
 *   sg17scan scan <strong-hub> --json          one lab device with the default profile: TLS + HTTP (https://)
 *                                              and SSH, the lab served by this process (dist/src/lab)
 *
 *   node bench/startup.mjs [--runs N] [--no-build] [--cli PATH/bin/run.js] [--baseline PATH/bin/run.js]
 *
 * --cli times another build of sg17scan (e.g. an older checkout, built) against the same servers.
 * --baseline also times a second build (e.g. the previous commit, built) in the same runs, interleaved run by run
 * with the first (a shared machine's load then weighs on both alike), and prints its figures beside.
 *
 * Prints one line per figure: name median_wall_s and the ratio to its reference (node -e 0 for the commands,
 * ssh-audit for the SSH scan), then the goals of issue 16 and the load average (the machine may be shared).
 * Progress goes to stderr.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {log, median, runTimed} from './lib.mjs'
import {SSHD, startSshd} from './sshd.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SSH_AUDIT = process.env.SG17_SSH_AUDIT ?? '/usr/bin/ssh-audit'
const LAB_DEVICE = 'strong-hub'

function parseArgs(argv) {
  const options = {runs: 7, build: true, cli: join(ROOT, 'bin/run.js'), baseline: undefined}
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]
    if (arg.startsWith('--runs')) options.runs = Number.parseInt(arg.includes('=') ? arg.slice(7) : argv[++i], 10)
    else if (arg === '--no-build') options.build = false
    else if (arg.startsWith('--cli')) options.cli = arg.includes('=') ? arg.slice(6) : argv[++i]
    else if (arg.startsWith('--baseline')) options.baseline = arg.includes('=') ? arg.slice(11) : argv[++i]
    else if (arg === '-h' || arg === '--help') {
      console.log('usage: node bench/startup.mjs [--runs N] [--no-build] [--cli PATH/bin/run.js] [--baseline PATH/bin/run.js]')
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}`)
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer')
  return options
}

/** Median wall time of `runs` runs of one command, or of each of several commands run in turn within every run
 *  (interleaved, so load from other jobs weighs on each alike). Exit codes that report findings are results
 *  (sg17scan 1, ssh-audit 1-3 by the worst grade); any other is an error. */
async function measure(name, file, args, runs, okCodes = [0, 1], variants = [{label: '', file, args}]) {
  const samples = variants.map(() => [])
  for (const v of variants) log(`# ${name}${v.label}: ${[v.file, ...v.args].join(' ')}`)
  for (let i = 0; i < runs; i += 1) {
    for (const [k, v] of variants.entries()) {
      const r = await runTimed(v.file, v.args, {env: {NODE_ENV: 'production'}})
      if (!(v.okCodes ?? okCodes).includes(r.exitCode)) throw new Error(`${name}${v.label} exited ${r.exitCode}: ${r.stderr.split('\n')[0]}`)
      log(`#   run ${i + 1}/${runs}${v.label}: ${r.seconds.toFixed(3)} s`)
      samples[k].push(r.seconds)
    }
  }
  const medians = samples.map(median)
  return variants.length === 1 ? medians[0] : medians
}

const fmtLoad = () => loadavg().map((l) => l.toFixed(2)).join(' ')

async function main() {
  const options = parseArgs(process.argv.slice(2))
  if (!existsSync(SSHD)) throw new Error(`${SSHD} not found: apt-get install -y openssh-server`)
  if (!existsSync(SSH_AUDIT)) throw new Error(`${SSH_AUDIT} not found: apt-get install -y ssh-audit`)
  if (options.build) {
    log('# npm run build')
    const b = spawnSync('npm', ['run', 'build'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
    if (b.status !== 0) throw new Error('npm run build failed')
  }
  const loadBefore = fmtLoad()
  const dir = await mkdtemp(join(tmpdir(), 'sg17-bench-startup-'))
  const sshd = await startSshd(dir)
  const {startLab} = await import(pathToFileURL(join(ROOT, 'dist/src/lab/index.js')).href)
  const lab = await startLab({devices: [LAB_DEVICE]})
  const caFile = join(dir, 'lab-ca.pem')
  await writeFile(caFile, lab.caPem)
  const node = process.execPath
  const RUN = options.cli
  const BASE = options.baseline
  const n = options.runs
  const rows = []
  /** sg17scan ARGS: its median, and the baseline build's in the same runs when --baseline is given. */
  const sg = async (name, args) => {
    if (!BASE) return {s: await measure(name, node, [RUN, ...args], n)}
    const [s, base] = await measure(name, node, [RUN, ...args], n, [0, 1], [{label: '', file: node, args: [RUN, ...args]}, {label: ' (baseline)', file: node, args: [BASE, ...args]}])
    return {s, base}
  }
  try {
    const floor = await measure('node -e 0', node, ['-e', '0'], n)
    rows.push({name: 'node -e 0', s: floor})
    for (const args of [['--version'], ['--help'], ['checks', 'list']]) {
      rows.push({name: `sg17scan ${args.join(' ')}`, ...(await sg(`sg17scan ${args.join(' ')}`, args)), ref: floor, refName: 'node -e 0'})
    }
    // ssh-audit and sg17scan alternate run by run against the same sshd: a shared machine's load weighs on both alike.
    const sshTarget = `127.0.0.1:${sshd.port}`
    const sshArgs = ['scan', `ssh://${sshTarget}`, '--json']
    const sshVariants = [
      {label: ' (ssh-audit)', file: SSH_AUDIT, args: ['-j', sshTarget], okCodes: [0, 1, 2, 3]},
      {label: '', file: node, args: [RUN, ...sshArgs]},
      ...(BASE ? [{label: ' (baseline)', file: node, args: [BASE, ...sshArgs]}] : []),
    ]
    const [audit, ssh, sshBase] = await measure('sg17scan scan ssh://', node, [], n, [0, 1], sshVariants)
    rows.push({name: 'sg17scan scan ssh://', s: ssh, ...(BASE ? {base: sshBase} : {}), ref: audit, refName: 'ssh-audit'})
    rows.push({name: 'ssh-audit -j', s: audit})
    const targets = lab.devices[0].targets
    rows.push({name: `sg17scan scan ${LAB_DEVICE} (${targets.map((t) => t.split(':')[0]).join('+')}, default profile)`, ...(await sg(`sg17scan scan ${LAB_DEVICE}`, ['scan', ...targets, '--ca', caFile, '--json']))})
  } finally {
    await lab.stop()
    await sshd.stop()
    await rm(dir, {recursive: true, force: true})
  }
  const loadAfter = fmtLoad()
  console.log(`# figure median_wall_s [ratio to reference] [baseline: its median_wall_s] (${n} runs each; sg17scan = ${RUN}${BASE ? `; baseline = ${BASE}, interleaved` : ''})`)
  for (const r of rows) {
    const ratio = r.ref ? ` ${(r.s / r.ref).toFixed(2)}x ${r.refName} (+${(r.s - r.ref).toFixed(3)} s)` : ''
    const base = r.base === undefined ? '' : ` [baseline: ${r.base.toFixed(3)}${r.ref ? ` ${(r.base / r.ref).toFixed(2)}x` : ''}]`
    console.log(`${r.name} ${r.s.toFixed(3)}${ratio}${base}`)
  }
  const get = (prefix) => rows.find((r) => r.name.startsWith(prefix))
  const version = get('sg17scan --version')
  const ssh = get('sg17scan scan ssh://')
  const device = get(`sg17scan scan ${LAB_DEVICE}`)
  console.log('# goals (issue 16)')
  console.log(`--version within 0.08 s of node -e 0: ${(version.s - version.ref).toFixed(3)} s ${version.s - version.ref <= 0.08 ? 'met' : 'NOT met'}`)
  console.log(`scan ssh:// no slower than ssh-audit: ${(ssh.s / ssh.ref).toFixed(2)}x ${ssh.s <= ssh.ref ? 'met' : 'NOT met'}`)
  console.log(`scan of one lab device (TLS + HTTP + SSH) <= 2 s: ${device.s.toFixed(3)} s ${device.s <= 2 ? 'met' : 'NOT met'}`)
  console.log(`# load average (1 5 15 min) before: ${loadBefore}; after: ${loadAfter}`)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
