/** Helpers shared by the bench scripts: timing a command, medians, finding binaries, free ports. */
import {execFile, spawn, spawnSync} from 'node:child_process'
import {createServer} from 'node:net'

export const log = (message) => process.stderr.write(`${message}\n`)

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
