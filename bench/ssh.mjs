#!/usr/bin/env node
/**
 * SSH audit benchmark: sg17scan vs ssh-audit, both against the same local OpenSSH sshd (weak configuration:
 * SHA-1 kex, CBC ciphers, MD5/SHA-1 MACs, RSA + DSA + ECDSA host keys).
 *
 *   node bench/ssh.mjs [--runs N] [--tools sg17scan,sg17scan-unit,ssh-audit,nmap] [--quirk wait-kexinit|pre-banner] [--no-build]
 *
 * --quirk puts the lab's quirk proxy (src/lab/ssh-quirk-proxy.ts, from dist/) in front of sshd and points every tool
 * at it: `wait-kexinit` holds the server KEXINIT until the client's has arrived; `pre-banner` sends the quirky-ssh
 * device's 300 pre-banner lines. A tool that cannot handle the quirk is reported as `failed`.
 *
 * Prints one line per tool:  tool median_wall_s ratio   (ratio = median / sg17scan's median, or the first tool's)
 * Progress and command lines go to stderr.
 *
 * sg17scan      = `node bin/run.js scan ssh://127.0.0.1:PORT --json` (needs sshProbeUnit registered in
 *                 src/engine/probe-registry.ts and the SSH checks in the profile).
 * sg17scan-unit = a small node script that imports dist/src/probes/ssh/unit.js and runs the unit with a plain
 *                 ProbeContext: the probe work without the CLI/engine (works before registration).
 * ssh-audit     = `ssh-audit -j 127.0.0.1:PORT` (Debian ssh-audit 2.5.0).
 * nmap          = `nmap -Pn -p PORT --script +ssh2-enum-algos 127.0.0.1` (Debian nmap 7.93).
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {log, median, runTimed} from './lib.mjs'
import {SSHD, startSshd} from './sshd.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const HOST = '127.0.0.1'
const SSH_AUDIT = process.env.SG17_SSH_AUDIT ?? '/usr/bin/ssh-audit'
const NMAP = process.env.SG17_NMAP ?? '/usr/bin/nmap'
const QUIRKS = ['none', 'wait-kexinit', 'pre-banner']

function parseArgs(argv) {
  const options = {runs: 7, tools: ['sg17scan', 'ssh-audit'], build: true, quirk: 'none'}
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg.startsWith('--runs')) options.runs = Number.parseInt(value(), 10)
    else if (arg.startsWith('--tools')) options.tools = value().split(',').filter(Boolean)
    else if (arg === '--no-build') options.build = false
    else if (arg.startsWith('--quirk')) options.quirk = value()
    else if (arg === '-h' || arg === '--help') {
      console.log('usage: node bench/ssh.mjs [--runs N] [--tools sg17scan,sg17scan-unit,ssh-audit] [--no-build]')
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}`)
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer')
  if (!QUIRKS.includes(options.quirk)) throw new Error(`--quirk must be one of ${QUIRKS.join(', ')}`)
  return options
}

/** The unit-only runner: node -e script against dist/. */
function unitScript(port) {
  const unit = pathToFileURL(join(ROOT, 'dist/src/probes/ssh/unit.js')).href
  return `
import net from 'node:net'
const {sshProbeUnit} = await import(${JSON.stringify(unit)})
const host = ${JSON.stringify(HOST)}, port = ${port}, timeoutMs = 5000
const ctx = {
  service: {id: 'ssh://' + host + ':' + port, protocol: 'ssh', host, port, transport: 'tcp'},
  timeoutMs, signal: new AbortController().signal, caCertificates: [], targetName: host,
  now: () => new Date(), log: () => {},
  connect: () => new Promise((resolve, reject) => {
    const s = net.connect({host, port})
    s.once('connect', () => resolve(s))
    s.once('error', reject)
  }),
}
const out = await sshProbeUnit.run(ctx)
process.stdout.write(JSON.stringify(out))
`
}

function tools() {
  return {
    sg17scan: {
      available: true,
      async once(port) {
        const args = [join(ROOT, 'bin/run.js'), 'scan', `ssh://${HOST}:${port}`, '--json']
        const r = await runTimed(process.execPath, args, {cwd: ROOT})
        let report
        try {
          report = JSON.parse(r.stdout)
        } catch {
          throw new Error(`sg17scan --json printed no JSON (exit ${r.exitCode}):\n${r.stdout.slice(0, 1000)}\n${r.stderr.slice(0, 1000)}`)
        }
        const o = report.devices?.[0]?.observations?.find((x) => x.probe === 'ssh.kexinit')
        if (!o || o.error) {
          throw new Error(`sg17scan: no ssh.kexinit observation (${JSON.stringify(o?.error ?? 'absent')}); is sshProbeUnit registered in src/engine/probe-registry.ts? Use --tools sg17scan-unit,ssh-audit until then.`)
        }
        return {seconds: r.seconds, argv: ['node', ...args]}
      },
    },
    'sg17scan-unit': {
      available: true,
      async once(port) {
        const args = ['--input-type=module', '-e', unitScript(port)]
        const r = await runTimed(process.execPath, args, {cwd: ROOT})
        const out = JSON.parse(r.stdout)
        const k = out.find((e) => e.probe === 'ssh.kexinit')
        if (!k || k.error) throw new Error(`unit run failed: ${JSON.stringify(k?.error)}`)
        return {seconds: r.seconds, argv: ['node', '-e', '<unit script>']}
      },
    },
    'ssh-audit': {
      available: existsSync(SSH_AUDIT),
      async once(port) {
        const args = ['-j', `${HOST}:${port}`]
        const r = await runTimed(SSH_AUDIT, args)
        JSON.parse(r.stdout)
        return {seconds: r.seconds, argv: ['ssh-audit', ...args]}
      },
    },
    nmap: {
      available: existsSync(NMAP),
      async once(port) {
        const args = ['-Pn', '-p', String(port), '--script', '+ssh2-enum-algos', HOST]
        const r = await runTimed(NMAP, args)
        if (!r.stdout.includes('kex_algorithms')) throw new Error('nmap ssh2-enum-algos printed no algorithms')
        return {seconds: r.seconds, argv: ['nmap', ...args]}
      },
    },
  }
}

/** The lab's quirk proxy in front of sshd (from dist/, built above). */
async function startQuirk(quirk, upstreamPort) {
  const {startSshQuirkProxy} = await import(pathToFileURL(join(ROOT, 'dist/src/lab/ssh-quirk-proxy.js')).href)
  const {QUIRKY_PRE_BANNER_LINES} = await import(pathToFileURL(join(ROOT, 'dist/src/lab/devices/quirky-ssh.js')).href)
  const quirks = quirk === 'wait-kexinit' ? {waitForClientKexinit: true} : {preBannerLines: QUIRKY_PRE_BANNER_LINES}
  const proxy = await startSshQuirkProxy({host: HOST, port: upstreamPort}, quirks, HOST, 0)
  log(`# quirk proxy (${quirk}) at ${proxy.targets[0]}`)
  return {port: Number(new URL(proxy.targets[0]).port), stop: () => proxy.stop()}
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  if (!existsSync(SSHD)) throw new Error(`${SSHD} not found: apt-get install -y openssh-server`)
  if (options.tools.some((t) => t.startsWith('sg17scan')) && options.build) {
    log('# npm run build')
    const b = spawnSync('npm', ['run', 'build'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
    if (b.status !== 0) throw new Error('npm run build failed')
  }
  const dir = await mkdtemp(join(tmpdir(), 'sg17-bench-ssh-'))
  const server = await startSshd(dir)
  const proxy = options.quirk === 'none' ? undefined : await startQuirk(options.quirk, server.port)
  const targetPort = proxy?.port ?? server.port
  const available = tools()
  const results = []
  try {
    for (const name of options.tools) {
      const tool = available[name]
      if (!tool) throw new Error(`unknown tool ${name} (known: ${Object.keys(available).join(', ')})`)
      if (!tool.available) {
        log(`# ${name}: not installed, skipped`)
        continue
      }
      const samples = []
      let failed = ''
      for (let i = 0; i < options.runs && !failed; i += 1) {
        try {
          const s = await tool.once(targetPort)
          if (i === 0) log(`# ${name}: ${s.argv.join(' ')}`)
          log(`#   ${name} run ${i + 1}/${options.runs}: ${s.seconds.toFixed(3)} s`)
          samples.push(s.seconds)
        } catch (e) {
          failed = (e instanceof Error ? e.message : String(e)).split('\n')[0]
          log(`#   ${name} failed on this target: ${failed}`)
        }
      }
      results.push(failed ? {name, failed} : {name, seconds: median(samples)})
    }
  } finally {
    await proxy?.stop()
    await server.stop()
    await rm(dir, {recursive: true, force: true})
  }
  const base = (results.find((r) => r.name === 'sg17scan' && !r.failed) ?? results.find((r) => !r.failed))?.seconds
  console.log(`# tool median_wall_s ratio (target: sshd${options.quirk === 'none' ? '' : ` behind the ${options.quirk} quirk proxy`})`)
  for (const r of results) console.log(r.failed ? `${r.name} failed` : `${r.name} ${r.seconds.toFixed(3)} ${base ? (r.seconds / base).toFixed(2) : 'n/a'}`)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
