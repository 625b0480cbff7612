/**
 * A private PostgreSQL cluster from Debian's `postgresql` package, for the DB tests: initdb in a temp directory,
 * pg_ctl start on a free 127.0.0.1 port, trust authentication for one local user, stopped and removed after.
 * PostgreSQL refuses to run as root (CI runs as root), so as root every server command runs as the `postgres`
 * system user (`runuser -u postgres --`). A missing package is an error naming what to install, never a skip.
 */
import {execFile} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir, userInfo} from 'node:os'
import {join} from 'node:path'

const PG_ROOT = '/usr/lib/postgresql'
const STEP_TIMEOUT_MS = 60_000

export interface PostgresServer {
  /** `postgres://sg17scan@127.0.0.1:PORT/postgres` */
  url: string
  /** A fresh, empty database on the server (its URL). */
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

/** Directory holding initdb/pg_ctl of the newest installed PostgreSQL major version. */
export function postgresBinDir(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb'))) : []
  if (versions.length === 0) throw new Error(`PostgreSQL server binaries not found under ${PG_ROOT}/*/bin: apt-get install -y postgresql`)
  versions.sort((a, b) => Number(b) - Number(a))
  return join(PG_ROOT, versions[0]!, 'bin')
}

function run(command: string, args: string[], asUser?: string): Promise<string> {
  const [file, argv] = asUser ? ['runuser', ['-u', asUser, '--', command, ...args]] : [command, args]
  return new Promise((resolve, reject) => {
    execFile(file, argv, {timeout: STEP_TIMEOUT_MS, killSignal: 'SIGKILL', encoding: 'utf8'}, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    )
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir()
  const asRoot = userInfo().uid === 0
  const owner = asRoot ? 'postgres' : undefined
  const base = mkdtempSync(join(tmpdir(), 'sg17scan-pg-'))
  if (asRoot) {
    const {uid, gid} = await lookupUser('postgres')
    chownSync(base, uid, gid)
  }
  chmodSync(base, 0o700)
  const data = join(base, 'data')
  const port = await freePort()
  await run(join(bin, 'initdb'), ['-D', data, '-U', 'sg17scan', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'], owner)
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40`
  await run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(base, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], owner)
  const url = `postgres://sg17scan@127.0.0.1:${port}/postgres`
  let stopped = false
  return {
    url,
    async createDatabase(name) {
      const pg = (await import('pg')).default
      const client = new pg.Client({connectionString: url})
      await client.connect()
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`)
      } finally {
        await client.end()
      }
      return `postgres://sg17scan@127.0.0.1:${port}/${encodeURIComponent(name)}`
    },
    async stop() {
      if (stopped) return
      stopped = true
      try {
        await run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop'], owner)
      } finally {
        rmSync(base, {recursive: true, force: true})
      }
    },
  }
}

async function lookupUser(name: string): Promise<{uid: number; gid: number}> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])])
  return {uid: Number(uid.trim()), gid: Number(gid.trim())}
}
