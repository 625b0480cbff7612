/**
 * Every DB test runs against both stores: the embedded one (PGlite, in memory) and a real PostgreSQL server
 * (a private Debian cluster started for the test file). Use with `describe.each(STORE_KINDS)` and `openTestStore`.
 */
import {randomBytes} from 'node:crypto'

import {openStore} from '../../src/db/open.js'
import type {Store} from '../../src/db/store.js'
import {type PostgresServer, startPostgres} from './postgres-server.js'

export const STORE_KINDS = ['embedded', 'server'] as const
export type StoreKind = (typeof STORE_KINDS)[number]

let server: Promise<PostgresServer> | undefined

/** A fresh store location of that kind: `memory://`, or a new database on this file's PostgreSQL server. */
export async function testLocation(kind: StoreKind): Promise<string> {
  if (kind === 'embedded') return 'memory://'
  server ??= startPostgres()
  return (await server).createDatabase(`t_${randomBytes(6).toString('hex')}`)
}

export async function openTestStore(kind: StoreKind): Promise<Store> {
  return openStore(await testLocation(kind))
}

/** Stops this file's PostgreSQL server, if one was started (call in afterAll). */
export async function stopTestServer(): Promise<void> {
  const s = server
  server = undefined
  if (s) await (await s).stop()
}
