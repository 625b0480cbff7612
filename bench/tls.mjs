#!/usr/bin/env node
/**
 * TLS enumeration benchmark: sg17scan vs testssl.sh vs sslscan vs nmap ssl-enum-ciphers, all against the same
 * legacy `openssl s_server` (TLS 1.0–1.2, ALL:eNULL:@SECLEVEL=0, 1024-bit DHE), each reached through a
 * counting TCP proxy so every tool's connections are counted the same way.
 *
 *   node bench/tls.mjs [--runs N] [--tools sg17scan,testssl,testssl-full,sslscan,nmap] [--no-build] [--testssl-mode native|sockets]
 *
 * Prints one line per tool:  tool median_wall_s ratio_to_sg17scan connections accepted_suites
 * (connections and accepted_suites are medians over the runs; accepted_suites counts (protocol, suite) pairs).
 * Progress and the command lines go to stderr.
 *
 * testssl mode: "native" (default) = `-E --ssl-native` with a permissive OPENSSL_CONF, the mode the interop
 * test uses (same result as the default socket mode on this target, ~3× faster); "sockets" = plain `-E`.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createConnection, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {freeTcpPort, log, median, runTimed, spawnSServer, which} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const HOST = '127.0.0.1'
const TOOL_TIMEOUT_MS = 15 * 60 * 1000
/** A full testssl.sh run takes minutes: every tool gets the long timeout here. */
const run = (file, args, options = {}) => runTimed(file, args, {timeoutMs: TOOL_TIMEOUT_MS, ...options})

function parseArgs(argv) {
  const options = {runs: 5, tools: ['sg17scan', 'testssl', 'sslscan', 'nmap'], build: true, testsslMode: 'native'}
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
    else if (arg.startsWith('--testssl-mode')) options.testsslMode = value()
    else if (arg === '-h' || arg === '--help') {
      console.log('usage: node bench/tls.mjs [--runs N] [--tools a,b] [--no-build] [--testssl-mode native|sockets]')
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}`)
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer')
  if (!['native', 'sockets'].includes(options.testsslMode)) throw new Error('--testssl-mode is native or sockets')
  return options
}

async function startSServer(dir) {
  const env = {...process.env, OPENSSL_CONF: join(dir, 'empty.cnf')}
  await writeFile(join(dir, 'empty.cnf'), '')
  await writeFile(join(dir, 'dh1024.pem'), (await import('../dist/src/lab/devices/legacy-camera.js')).oakleyGroup2Pem())
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', `/CN=${HOST}/O=sg17scan bench`, '-addext', `subjectAltName=IP:${HOST},DNS:localhost`,
  ], {env})
  const port = await freeTcpPort()
  const args = [
    's_server', '-accept', `${HOST}:${port}`, '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'), '-www',
    '-min_protocol', 'TLSv1', '-max_protocol', 'TLSv1.2', '-cipher', 'ALL:eNULL:@SECLEVEL=0',
    '-dhparam', join(dir, 'dh1024.pem'),
  ]
  const stop = await spawnSServer(args, env)
  log(`# target: openssl ${args.join(' ')}  (OPENSSL_CONF=empty)`)
  return {port, stop}
}

/** TCP proxy HOST:port → HOST:upstreamPort that counts accepted connections. */
async function startCountingProxy(upstreamPort) {
  let count = 0
  const sockets = new Set()
  const server = createServer((client) => {
    count += 1
    const upstream = createConnection({host: HOST, port: upstreamPort})
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise((resolve) => server.listen({host: HOST, port: 0, backlog: 511}, resolve))
  return {
    port: server.address().port,
    reset() {
      count = 0
    },
    count: () => count,
    async idle() {
      // Let the last half-closed connections drain so the next run starts clean.
      for (let i = 0; i < 50 && sockets.size > 0; i += 1) await new Promise((r) => setTimeout(r, 20))
    },
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

async function permissiveOpensslConf(dir) {
  const file = join(dir, 'permissive.cnf')
  await writeFile(
    file,
    'openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\nsystem_default = system_default_sect\n' +
      '[system_default_sect]\nMinProtocol = TLSv1\nCipherString = ALL:eNULL:@SECLEVEL=0\n',
  )
  return file
}

/** Each tool: build argv for a port, run, and count accepted (protocol, suite) pairs from its output. */
function tools(dir, permissiveConf, options) {
  return {
    sg17scan: {
      binary: process.execPath,
      async once(port) {
        const args = [join(ROOT, 'bin/run.js'), 'scan', `tls://${HOST}:${port}`, '--json']
        const result = await run(process.execPath, args, {cwd: ROOT})
        let report
        try {
          report = JSON.parse(result.stdout)
        } catch {
          throw new Error(`sg17scan --json printed no JSON (exit ${result.exitCode}):\n${result.stdout.slice(0, 2000)}\n${result.stderr}`)
        }
        const observation = report.devices?.[0]?.observations?.find((o) => o.probe === 'tls.cipher-suites')
        if (!observation || observation.error) throw new Error(`sg17scan: no tls.cipher-suites data (${JSON.stringify(observation?.error)})`)
        const suites = Object.values(observation.data).reduce((sum, list) => sum + list.length, 0)
        return {seconds: result.seconds, suites, argv: ['node', ...args], engineSeconds: report.run.statistics.durationMs / 1000}
      },
    },
    testssl: {
      binary: which('testssl'),
      async once(port) {
        const json = join(dir, `testssl-${Date.now()}.json`)
        const args = [
          '-E', ...(options.testsslMode === 'native' ? ['--ssl-native'] : []),
          '--ip', 'one', '--warnings', 'off', '--color', '0', '--quiet', '--mapping', 'iana',
          '--jsonfile', json, `${HOST}:${port}`,
        ]
        const env = options.testsslMode === 'native' ? {OPENSSL_CONF: permissiveConf, TERM: 'dumb'} : {TERM: 'dumb'}
        const result = await run(this.binary, args, {env, cwd: dir})
        const entries = JSON.parse(await readFile(json, 'utf8'))
        await rm(json, {force: true})
        const suites = entries.filter((e) => /^cipher-(ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3)_x[0-9a-f]+$/i.test(e.id)).length
        return {seconds: result.seconds, suites, argv: ['testssl', ...args]}
      },
    },
    // A default testssl.sh run (every check, not only -E): what "a full testssl.sh run" means in the aims.
    'testssl-full': {
      binary: which('testssl'),
      async once(port) {
        const json = join(dir, `testssl-full-${Date.now()}.json`)
        const args = ['--ip', 'one', '--warnings', 'off', '--color', '0', '--quiet', '--mapping', 'iana', '--jsonfile', json, `${HOST}:${port}`]
        const result = await run(this.binary, args, {env: {TERM: 'dumb'}, cwd: dir})
        await rm(json, {force: true})
        return {seconds: result.seconds, suites: NaN, argv: ['testssl', ...args]}
      },
    },
    sslscan: {
      binary: which('sslscan'),
      async once(port) {
        const args = ['--no-colour', `${HOST}:${port}`]
        // Same permissive client config as testssl: Debian's default policy would hide TLS 1.0/1.1 suites.
        const result = await run(this.binary, args, {env: {OPENSSL_CONF: permissiveConf}})
        const suites = result.stdout.split('\n').filter((line) => /^(Preferred|Accepted)\s+(SSLv|TLSv)/.test(line)).length
        return {seconds: result.seconds, suites, argv: ['sslscan', ...args]}
      },
    },
    nmap: {
      binary: which('nmap'),
      async once(port) {
        const args = ['-Pn', '-n', '--script', 'ssl-enum-ciphers', '-p', String(port), HOST]
        const result = await run(this.binary, args)
        const suites = result.stdout.split('\n').filter((line) => /^\|\s+(TLS|SSL)_\w+\s/.test(line)).length
        return {seconds: result.seconds, suites, argv: ['nmap', ...args]}
      },
    },
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  if (!which('openssl')) throw new Error('openssl not found')
  if (options.tools.includes('sg17scan') && options.build) {
    log('# npm run build')
    const build = spawnSync('npm', ['run', 'build'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
    if (build.status !== 0) throw new Error('npm run build failed')
  }
  if (options.tools.includes('sg17scan') && !existsSync(join(ROOT, 'dist'))) throw new Error('dist/ missing: run npm run build')

  const dir = await mkdtemp(join(tmpdir(), 'sg17-bench-'))
  const server = await startSServer(dir)
  const proxy = await startCountingProxy(server.port)
  const permissiveConf = await permissiveOpensslConf(dir)
  const available = tools(dir, permissiveConf, options)
  const results = []
  try {
    for (const name of options.tools) {
      const tool = available[name]
      if (!tool) throw new Error(`unknown tool ${name} (known: ${Object.keys(available).join(', ')})`)
      if (!tool.binary) {
        log(`# ${name}: not installed, skipped`)
        continue
      }
      const samples = []
      for (let i = 0; i < options.runs; i += 1) {
        await proxy.idle()
        proxy.reset()
        const sample = await tool.once(proxy.port)
        await proxy.idle()
        sample.connections = proxy.count()
        samples.push(sample)
        if (i === 0) log(`# ${name}: ${sample.argv.join(' ')}`)
        log(`#   ${name} run ${i + 1}/${options.runs}: ${sample.seconds.toFixed(2)} s, ${sample.connections} connections, ${sample.suites} suites`)
      }
      if (name === 'sg17scan') {
        // The engine's own time (report run.statistics.durationMs): the wall figure minus Node and oclif start-up.
        results.push({
          name: 'sg17scan-engine',
          seconds: median(samples.map((s) => s.engineSeconds)),
          connections: median(samples.map((s) => s.connections)),
          suites: median(samples.map((s) => s.suites)),
        })
      }
      results.push({
        name,
        seconds: median(samples.map((s) => s.seconds)),
        connections: median(samples.map((s) => s.connections)),
        suites: median(samples.map((s) => s.suites)),
      })
    }
  } finally {
    await proxy.stop()
    await server.stop()
    await rm(dir, {recursive: true, force: true})
  }
  const base = results.find((r) => r.name === 'sg17scan')?.seconds
  console.log('# tool median_wall_s ratio_to_sg17scan connections accepted_suites')
  for (const r of results) {
    const ratio = base ? (r.seconds / base).toFixed(2) : 'n/a'
    console.log(`${r.name} ${r.seconds.toFixed(3)} ${ratio} ${r.connections} ${Number.isNaN(r.suites) ? "-" : r.suites}`)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
