import pg from 'pg'

import {maskLocation, type Queryable, type SqlValue, type Store} from './store.js'

// Return BIGINT/COUNT(*) (int8) as JS numbers, as PGlite does: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v))
// NUMERIC (from ROUND/AVG) as numbers, as PGlite does.
pg.types.setTypeParser(1700, (v: string) => Number(v))

/** A PostgreSQL server (`postgres://user:pass@host:port/db`), through a small pool. */
export async function openServerStore(location: string): Promise<Store> {
  const pool = new pg.Pool({connectionString: location, max: 4})
  // An idle pooled connection the server drops (restart, shutdown) must not crash the process: the next query
  // opens a new one or fails with its own error.
  pool.on('error', () => undefined)
  // Fail now, with the reason, rather than on the first query.
  const probe = await pool.connect()
  probe.release()
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await q.query(sql, params as unknown[])
      return result.rows as T[]
    },
  })
  return {
    kind: 'server',
    location: maskLocation(location),
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const value = await fn(wrap(client))
        await client.query('COMMIT')
        return value
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    exec: async (sql) => {
      await pool.query(sql)
    },
    close: () => pool.end(),
  }
}
