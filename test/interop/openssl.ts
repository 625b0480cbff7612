/**
 * Runs Debian's `openssl s_server` (OpenSSL 3.0) on 127.0.0.1 as an interop reference target.
 *
 * s_server is single-threaded: it serves one connection at a time in `-www` mode, so clients must never hold
 * an idle connection to it. The process runs with OPENSSL_CONF pointing at an empty file so Debian's
 * system-wide policy (MinProtocol TLSv1.2, SECLEVEL 2) does not apply: the command line is the whole config.
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {oakleyGroup2Pem} from '../../src/lab/devices/legacy-camera.js'
import {toolPath, TOOLS} from '../helpers/interop-tools.js'

const execFileAsync = promisify(execFile)

export const OPENSSL = toolPath(TOOLS.openssl)

export type OpensslConfig = 'modern' | 'legacy'

export interface OpensslServer {
  config: OpensslConfig
  host: string
  port: number
  /** The s_server argv (after the binary), with paths inside the temp dir. */
  args: string[]
  /** Printable command line. */
  commandLine: string
  /** Temp dir with cert.pem, key.pem, dh1024.pem and the empty openssl.cnf. */
  dir: string
  stop(): Promise<void>
}

/** TLS 1.3 suites of the modern config (OpenSSL's default set, server order). */
export const MODERN_TLS13 = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256'

/** s_server flags of each config, without -accept/-cert/-key. `dir` holds dh1024.pem. */
export function configArgs(config: OpensslConfig, dir: string): string[] {
  if (config === 'modern') {
    return [
      '-min_protocol', 'TLSv1.2', '-max_protocol', 'TLSv1.3',
      '-cipher', 'ECDHE+AESGCM:ECDHE+CHACHA20',
      '-ciphersuites', MODERN_TLS13,
      '-groups', 'X25519:P-256:P-384',
      '-serverpref',
    ]
  }
  return [
    '-min_protocol', 'TLSv1', '-max_protocol', 'TLSv1.2',
    '-cipher', 'ALL:eNULL:@SECLEVEL=0',
    '-dhparam', join(dir, 'dh1024.pem'),
  ]
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({host, port: 0}, () => {
      const address = server.address()
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'))
        else resolve(address.port)
      })
    })
  })
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

async function waitForAccept(child: ChildProcess, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => done(new Error(`s_server not ready after ${timeoutMs} ms: ${output}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (/^ACCEPT$/m.test(output)) done()
    }
    const onExit = (code: number | null) => done(new Error(`s_server exited (${String(code)}): ${output}`))
    function done(error?: Error) {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.stderr?.off('data', onData)
      child.off('exit', onExit)
      // Keep draining so a chatty s_server never blocks on a full pipe.
      child.stdout?.resume()
      child.stderr?.resume()
      if (error) reject(error)
      else resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}

/** Starts s_server in `config` with a fresh RSA key/cert (SAN IP:127.0.0.1) in a temp dir. */
export async function startOpensslServer(
  config: OpensslConfig,
  options: {host?: string; keyBits?: number; /** replaces the config's -cipher string */ cipher?: string} = {},
): Promise<OpensslServer> {
  const host = options.host ?? '127.0.0.1'
  const dir = await mkdtemp(join(tmpdir(), `sg17-s_server-${config}-`))
  const env = {...process.env, OPENSSL_CONF: join(dir, 'openssl.cnf')}
  await writeFile(join(dir, 'openssl.cnf'), '')
  await writeFile(join(dir, 'dh1024.pem'), oakleyGroup2Pem())
  await execFileAsync(
    OPENSSL,
    [
      'req', '-x509', '-newkey', `rsa:${options.keyBits ?? 2048}`, '-nodes', '-sha256', '-days', '30',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-subj', `/CN=${host}/O=sg17scan interop`, '-addext', `subjectAltName=IP:${host},DNS:localhost`,
    ],
    {env},
  )
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort(host)
    const args = [
      's_server', '-accept', `${host}:${port}`,
      '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'),
      '-www',
      ...configArgs(config, dir).map((arg, i, all) => (options.cipher !== undefined && all[i - 1] === '-cipher' ? options.cipher : arg)),
    ]
    const child = spawn(OPENSSL, args, {env, stdio: ['ignore', 'pipe', 'pipe']})
    try {
      await waitForAccept(child, 5000)
    } catch (error) {
      lastError = error
      child.kill('SIGKILL')
      continue
    }
    let stopped: Promise<void> | undefined
    return {
      config,
      host,
      port,
      args,
      commandLine: [OPENSSL, ...args].map(quote).join(' '),
      dir,
      stop() {
        stopped ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
            child.kill('SIGTERM')
            const timer = setTimeout(() => child.kill('SIGKILL'), 2000)
            await exited
            clearTimeout(timer)
          }
          await rm(dir, {recursive: true, force: true})
        })()
        return stopped
      },
    }
  }
  await rm(dir, {recursive: true, force: true})
  throw lastError instanceof Error ? lastError : new Error('s_server did not start')
}
