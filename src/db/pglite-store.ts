import {mkdirSync} from 'node:fs'
import {resolve} from 'node:path'

import {PGlite, type Transaction} from '@electric-sql/pglite'

import type {Queryable, SqlValue, Store} from './store.js'

/** The embedded store: a PGlite data directory (`memory://` keeps it in memory, for tests). */
export async function openEmbeddedStore(location: string): Promise<Store> {
  const inMemory = location === 'memory://'
  const dir = inMemory ? undefined : resolve(location)
  if (dir) mkdirSync(dir, {recursive: true})
  const db = dir ? new PGlite(dir) : new PGlite()
  await db.waitReady
  const wrap = (q: PGlite | Transaction): Queryable => ({
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await q.query<T>(sql, params as unknown[])
      return result.rows
    },
  })
  return {
    kind: 'embedded',
    location: inMemory ? 'memory://' : location,
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await db.exec(sql)
    },
    close: () => db.close(),
  }
}
