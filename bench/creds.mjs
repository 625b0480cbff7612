#!/usr/bin/env node
/**
 * Credential-testing benchmark: login attempts per second, sg17scan vs THC Hydra, same list, same target, no delay.
 *
 *   node bench/creds.mjs [--attempts N] [--protocols ssh,telnet] [--no-build]
 *
 * Target: the lab's default-router (SSH via ssh2 Server, BusyBox-style Telnet) served by a separate node process,
 * so neither tool competes with the lab for an event loop. List: N-1 random wrong user:pass pairs, then the
 * device's working pair last: both tools try all N.
 *   sg17scan = `node bin/run.js scan PROTO://… --intrusive --credentials LIST --login-delay 0` with a profile that
 *              selects only the cred family, lists [lab], attemptBudget = maxPerList = N (plus its negative control);
 *   hydra    = `hydra -C LIST -t 1 -I PROTO://…` (one task: sequential like sg17scan's per-service loop).
 * Prints one line per figure: `creds <tool> <proto> attempts=… wall=…s aps=…`. Progress goes to stderr.
 * The passwords are random (plus one public dataset pair); the script prints none of them.
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {log, runTimed, which} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const HYDRA = process.env.SG17_HYDRA ?? which('hydra')
const WORKING = {username: 'root', password: 'calvin'} // default-router's SSH and Telnet login (dataset pair)

function parseArgs(argv) {
  const o = {attempts: 30, protocols: ['ssh', 'telnet'], build: true}
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]
    const value = () => (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i])
    if (arg.startsWith('--attempts')) o.attempts = Number.parseInt(value(), 10)
    else if (arg.startsWith('--protocols')) o.protocols = value().split(',').filter(Boolean)
    else if (arg === '--no-build') o.build = false
    else throw new Error(`unknown argument ${arg}`)
  }
  if (!Number.isInteger(o.attempts) || o.attempts < 2) throw new Error('--attempts must be an integer ≥ 2')
  return o
}

/** The lab in its own process; resolves with its targets and a stop function. */
function startLabProcess() {
  const script = `import {startLab} from ${JSON.stringify(join(ROOT, 'dist', 'src', 'lab', 'index.js'))}
const lab = await startLab({devices: ['default-router']})
process.stdout.write(JSON.stringify(lab.devices[0].targets) + '\\n')
process.stdin.on('end', () => lab.stop().then(() => process.exit(0)))
process.stdin.resume()`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: ['pipe', 'pipe', 'inherit']})
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve({targets: JSON.parse(out), stop: () => child.stdin.end()})
    })
    child.once('exit', (code) => reject(new Error(`lab process exited ${code}`)))
  })
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  if (o.build) await runTimed('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: ROOT, timeoutMs: 300_000})
  const dir = await mkdtemp(join(tmpdir(), 'sg17scan-bench-creds-'))
  const lab = await startLabProcess()
  try {
    const pairs = Array.from({length: o.attempts - 1}, () => `u${randomBytes(3).toString('hex')}:${randomBytes(9).toString('base64url')}`)
    pairs.push(`${WORKING.username}:${WORKING.password}`)
    const list = join(dir, 'list.txt')
    await writeFile(list, `${pairs.join('\n')}\n`)
    const profile = join(dir, 'bench-creds.yaml')
    await writeFile(profile, [
      'id: bench-creds', 'version: 1.0.0', 'title: credential benchmark', 'description: cred family only', 'intrusive: true',
      'thresholds:', '  credentials:', '    lists: [lab]', `    maxPerList: ${o.attempts}`, `    attemptBudget: ${o.attempts}`, '    loginDelayMs: 0',
      'checks:', '  - family: cred', '',
    ].join('\n'))
    for (const proto of o.protocols) {
      const target = lab.targets.find((t) => t.startsWith(`${proto}://`))
      if (!target) throw new Error(`no ${proto} target`)
      log(`sg17scan ${proto}: ${o.attempts} candidates against ${target}`)
      const ours = await runTimed(process.execPath, [join(ROOT, 'bin', 'run.js'), 'scan', target, '--profile', profile, '--credentials', list, '--login-delay', '0', '--json'], {cwd: dir, timeoutMs: 600_000})
      const report = JSON.parse(ours.stdout)
      const obs = report.devices[0].observations.find((x) => x.probe === 'cred.attempts')
      const attempts = (obs?.data?.attempts?.length ?? 0) + 1 // + the negative control
      const found = obs?.data?.success ? 'found' : 'not-found'
      console.log(`creds sg17scan ${proto} attempts=${attempts} wall=${ours.seconds.toFixed(2)}s aps=${(attempts / ours.seconds).toFixed(1)} ${found}`)
      if (!HYDRA) {
        log('hydra not installed: skipped')
        continue
      }
      log(`hydra ${proto}: same list`)
      const port = new URL(target).port
      const theirs = await runTimed(HYDRA, ['-C', list, '-t', '1', '-I', `${proto}://127.0.0.1:${port}`], {cwd: dir, timeoutMs: 600_000})
      const hydraFound = /valid password found/.test(theirs.stdout) && !/0 valid password/.test(theirs.stdout) ? 'found' : 'not-found'
      console.log(`creds hydra ${proto} attempts=${o.attempts} wall=${theirs.seconds.toFixed(2)}s aps=${(o.attempts / theirs.seconds).toFixed(1)} ${hydraFound}`)
    }
  } finally {
    lab.stop()
    await rm(dir, {recursive: true, force: true})
  }
}

main().catch((error) => {
  log(error.stack ?? String(error))
  process.exit(1)
})
