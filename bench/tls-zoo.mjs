#!/usr/bin/env node
/**
 * TLS quirky-target benchmark: sg17scan vs sslscan vs nmap ssl-enum-ciphers against one `openssl s_server`
 * (TLS 1.0–1.2, ALL:eNULL:!aNULL:@SECLEVEL=0 — nmap does not enumerate anonymous suites) placed behind the
 * lab's quirk proxy (dist/src/lab/quirk-proxy.js), one fresh proxy per run so every tool meets the quirk.
 *
 *   node bench/tls-zoo.mjs [--runs N] [--targets plain,hello-intolerant,flaky,warning-alert,slow] [--tools sg17scan,sslscan,nmap] [--no-build]
 *
 * Prints one line per (target, tool):  target tool median_wall_s connections accepted_suites protocols
 * (medians over the runs; connections as counted by the proxy; accepted_suites counts (protocol, suite)
 * pairs; protocols = accepted protocol versions of the last run). Progress goes to stderr.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {freeTcpPort, log, median, runTimed, spawnSServer, which} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const HOST = '127.0.0.1'
const run = (file, args, options = {}) => runTimed(file, args, {timeoutMs: 15 * 60 * 1000, ...options})

/** The quirks of issue 10's zoo, as the lab's devices carry them (slow at the issue's 700 ms). */
const TARGETS = {
  plain: {},
  'hello-intolerant': {silentHelloWindow: true, maxSuites: 64},
  flaky: {resetNthHello: {version: 0x0301, nth: 2}, refuseConnects: {afterConnections: 12, forMs: 300}},
  'warning-alert': {warningAlert: 112},
  slow: {replyDelayMs: 700},
}

function parseArgs(argv) {
  const o = {runs: 3, targets: Object.keys(TARGETS), tools: ['sg17scan', 'sslscan', 'nmap'], build: true}
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg.startsWith('--runs')) o.runs = Number.parseInt(value(), 10)
    else if (arg.startsWith('--targets')) o.targets = value().split(',').filter(Boolean)
    else if (arg.startsWith('--tools')) o.tools = value().split(',').filter(Boolean)
    else if (arg === '--no-build') o.build = false
    else throw new Error(`unknown argument ${arg}`)
  }
  for (const t of o.targets) if (!(t in TARGETS)) throw new Error(`unknown target ${t} (known: ${Object.keys(TARGETS).join(', ')})`)
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer')
  return o
}

async function startSServer(dir) {
  const env = {...process.env, OPENSSL_CONF: join(dir, 'empty.cnf')}
  await writeFile(join(dir, 'empty.cnf'), '')
  await writeFile(join(dir, 'dh1024.pem'), (await import('../dist/src/lab/devices/legacy-camera.js')).oakleyGroup2Pem())
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', `/CN=${HOST}/O=sg17scan bench`, '-addext', `subjectAltName=IP:${HOST}`,
  ], {env})
  const port = await freeTcpPort()
  const args = [
    's_server', '-accept', `${HOST}:${port}`, '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'), '-www',
    '-min_protocol', 'TLSv1', '-max_protocol', 'TLSv1.2', '-cipher', 'ALL:eNULL:!aNULL:@SECLEVEL=0', '-dhparam', join(dir, 'dh1024.pem'),
  ]
  const stop = await spawnSServer(args, env)
  log(`# upstream: openssl ${args.join(' ')}  (OPENSSL_CONF=empty)`)
  return {port, stop}
}

function tools(permissiveConf) {
  return {
    sg17scan: {
      binary: process.execPath,
      async once(port) {
        const args = [join(ROOT, 'bin/run.js'), 'scan', `tls://${HOST}:${port}`, '--json']
        const result = await run(process.execPath, args, {cwd: ROOT})
        const report = JSON.parse(result.stdout)
        const obs = (probe) => report.devices[0].observations.find((o) => o.probe === probe)
        const suites = Object.values(obs('tls.cipher-suites').data ?? {}).reduce((n, l) => n + l.length, 0)
        const protocols = Object.entries(obs('tls.protocols').data ?? {}).filter(([, v]) => v).map(([p]) => p)
        const partial = report.devices[0].observations.filter((o) => o.probe.startsWith('tls.') && (o.partial || o.error)).length
        return {seconds: result.seconds, suites, protocols: protocols.join('+') + (partial ? `(${partial}-incomplete)` : '')}
      },
    },
    sslscan: {
      binary: which('sslscan'),
      async once(port) {
        const result = await run(this.binary, ['--no-colour', `${HOST}:${port}`], {env: {OPENSSL_CONF: permissiveConf}})
        const lines = result.stdout.split('\n')
        const suites = lines.filter((l) => /^(Preferred|Accepted)\s+(SSLv|TLSv)/.test(l)).length
        const protocols = lines.filter((l) => /^(SSLv[23]|TLSv1\.[0-3])\s+enabled/.test(l)).map((l) => l.split(/\s+/)[0])
        return {seconds: result.seconds, suites, protocols: protocols.join('+')}
      },
    },
    nmap: {
      binary: which('nmap'),
      async once(port) {
        const result = await run(this.binary, ['-Pn', '-n', '--script', 'ssl-enum-ciphers', '-p', String(port), HOST])
        const lines = result.stdout.split('\n')
        const suites = lines.filter((l) => /^\|\s+(TLS|SSL)_\w+\s/.test(l)).length
        const protocols = lines.filter((l) => /^\|\s{3}(SSL|TLS)v[0-9.]+:/.test(l)).map((l) => l.replace(/[|:\s]/g, ''))
        return {seconds: result.seconds, suites, protocols: protocols.join('+')}
      },
    },
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  if (!which('openssl')) throw new Error('openssl not found: apt-get install -y openssl')
  if (o.build) {
    log('# npm run build')
    const build = spawnSync('npm', ['run', 'build'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
    if (build.status !== 0) throw new Error('npm run build failed')
  }
  if (!existsSync(join(ROOT, 'dist/src/lab/quirk-proxy.js'))) throw new Error('dist/ missing: run npm run build')
  const {startQuirkProxy} = await import('../dist/src/lab/quirk-proxy.js')
  const dir = await mkdtemp(join(tmpdir(), 'sg17-bench-zoo-'))
  const permissiveConf = join(dir, 'permissive.cnf')
  await writeFile(
    permissiveConf,
    'openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\nsystem_default = system_default_sect\n' +
      '[system_default_sect]\nMinProtocol = TLSv1\nCipherString = ALL:eNULL:@SECLEVEL=0\n',
  )
  const server = await startSServer(dir)
  const available = tools(permissiveConf)
  const lines = []
  try {
    for (const target of o.targets) {
      for (const name of o.tools) {
        const tool = available[name]
        if (!tool) throw new Error(`unknown tool ${name}`)
        if (!tool.binary) throw new Error(`${name} not installed: apt-get install -y ${name}`)
        const samples = []
        for (let i = 0; i < o.runs; i += 1) {
          const proxy = await startQuirkProxy({host: HOST, port: 0, upstream: {host: HOST, port: server.port}, quirks: TARGETS[target]})
          try {
            const sample = await tool.once(proxy.port)
            sample.connections = proxy.connections
            samples.push(sample)
            log(`#   ${target} ${name} run ${i + 1}/${o.runs}: ${sample.seconds.toFixed(2)} s, ${sample.connections} connections, ${sample.suites} suites, ${sample.protocols || '-'}`)
          } finally {
            await proxy.close()
          }
        }
        lines.push(
          `${target} ${name} ${median(samples.map((s) => s.seconds)).toFixed(3)} ${median(samples.map((s) => s.connections))} ${median(samples.map((s) => s.suites))} ${samples.at(-1).protocols || '-'}`,
        )
      }
    }
  } finally {
    await server.stop()
    await rm(dir, {recursive: true, force: true})
  }
  console.log('# target tool median_wall_s connections accepted_suites protocols')
  for (const line of lines) console.log(line)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
