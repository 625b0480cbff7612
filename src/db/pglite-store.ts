import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {PGlite, type Transaction} from '@electric-sql/pglite'
import {pg_trgm} from '@electric-sql/pglite/contrib/pg_trgm'

import {MIGRATIONS} from './migrations.js'
import type {Queryable, SqlValue, Store} from './store.js'

/** Extensions the schema uses (migration 4: trigram search); PGlite loads them from its own package. */
const EXTENSIONS = {pg_trgm}

/** Where `npm run build` leaves an empty, migrated data directory (scripts/build-empty-store.mjs). */
export const EMPTY_STORE_DIR = 'empty-store'
export const EMPTY_STORE_DATA = 'pgdata'
export const EMPTY_STORE_VERSIONS = 'migrations.json'

/** The empty store built with this code's migrations, if any: dist/empty-store next to the compiled module (or, run
 *  from src/, the build's). A template whose migrations are not a prefix of ours (built from other code) is not used. */
export function emptyStoreTemplate(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url))
  for (const root of [resolve(here, '..', '..'), resolve(here, '..', '..', 'dist')]) {
    const dir = join(root, EMPTY_STORE_DIR)
    if (!existsSync(join(dir, EMPTY_STORE_DATA, 'PG_VERSION'))) continue
    try {
      const versions = JSON.parse(readFileSync(join(dir, EMPTY_STORE_VERSIONS), 'utf8')) as Array<{version: number; name: string}>
      const ours = versions.every((v, i) => MIGRATIONS[i]?.version === v.version && MIGRATIONS[i]?.name === v.name)
      if (ours) return join(dir, EMPTY_STORE_DATA)
    } catch {
      // An unreadable template is no template: initdb runs.
    }
  }
  return undefined
}

export interface EmbeddedOptions {
  /** Copy a new store from the build's empty template instead of running initdb (default true). */
  template?: boolean
}

/**
 * The embedded store: a PGlite data directory. A new one is copied from the empty, migrated data directory the
 * build made (a file copy: ~0.1 s) instead of PGlite running initdb in a second WebAssembly instance (5–10 s).
 * `memory://` (tests, throw-away) is such a copy in a temporary directory, removed on close.
 */
export async function openEmbeddedStore(location: string, options: EmbeddedOptions = {}): Promise<Store> {
  const inMemory = location === 'memory://'
  const template = options.template === false ? undefined : emptyStoreTemplate()
  let dir: string | undefined
  let scratch: string | undefined
  if (inMemory) {
    if (template) dir = join((scratch = mkdtempSync(join(tmpdir(), 'sg17scan-store-'))), 'data')
  } else {
    dir = resolve(location)
    mkdirSync(dir, {recursive: true})
  }
  if (dir && template && isEmptyDir(dir)) cpSync(template, dir, {recursive: true})
  const db = dir ? new PGlite(dir, {extensions: EXTENSIONS}) : new PGlite({extensions: EXTENSIONS})
  try {
    await db.waitReady
  } catch (error) {
    if (scratch) rmSync(scratch, {recursive: true, force: true})
    throw error
  }
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
    close: async () => {
      await db.close()
      if (scratch) rmSync(scratch, {recursive: true, force: true})
    },
  }
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0
}
