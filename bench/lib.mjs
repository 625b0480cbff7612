/** Helpers shared by the bench scripts: timing a command, medians, finding binaries, free ports. */
import {execFile, spawn, spawnSync} from 'node:child_process'
import {createServer} from 'node:net'
import {join} from 'node:path'

export const log = (message) => process.stderr.write(`${message}\n`)

/** `[--runs N] [--no-build]`, the arguments of the benches that take no others; `script` names the usage line. */
export function parseRunsAndBuild(argv, script) {
  const options = {runs: 7, build: true}
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]
    if (arg.startsWith('--runs')) options.runs = Number.parseInt(arg.includes('=') ? arg.split('=')[1] : argv[++i], 10)
    else if (arg === '--no-build') options.build = false
    else throw new Error(`unknown argument ${arg} (usage: node bench/${script} [--runs N] [--no-build])`)
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer')
  return options
}

/** Compiles src/ to dist/ (tsc only: the benches that import dist/src need no bundle or manifest). */
export function buildWithTsc(root) {
  log('building (tsc)…')
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {stdio: 'inherit'})
  if (r.status !== 0) throw new Error('tsc failed')
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export function which(binary) {
  const result = spawnSync('which', [binary], {encoding: 'utf8'})
  return result.status === 0 ? result.stdout.trim() : null
}

/** Runs a command and times it. A non-zero exit is a result (scanners exit 1 on findings); a kill is an error. */
export function runTimed(file, args, {env, timeoutMs = 120_000, cwd} = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    execFile(file, args, {env: {...process.env, ...env}, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, cwd}, (error, stdout, stderr) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      if (error && (error.killed || typeof error.code !== 'number')) {
        reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`))
        return
      }
      resolve({seconds, stdout, stderr, exitCode: error ? error.code : 0})
    })
  })
}

/** A TCP port free on `host` right now. */
export function freeTcpPort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({host, port: 0}, () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Starts `openssl s_server` with `args` and resolves once it prints ACCEPT; `stop()` ends it (idempotent). */
export async function spawnSServer(args, env) {
  const child = spawn('openssl', args, {env, stdio: ['ignore', 'pipe', 'pipe']})
  await new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`s_server not ready: ${output}`)), 5000)
    const onData = (chunk) => {
      output += chunk
      if (/^ACCEPT$/m.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`s_server exited ${code}: ${output}`)))
  })
  child.stdout.resume()
  child.stderr.resume()
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
}
