/**
 * A new embedded store is a copy of the empty, migrated data directory `npm run build` makes (dist/empty-store),
 * not a fresh initdb (5–10 s of WebAssembly on this machine). initdb draws a new random system identifier for
 * every cluster; a copy keeps the template's: two new stores sharing one identifier were copied.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {MIGRATIONS, schemaVersion} from '../../src/db/migrations.js'
import {openStore} from '../../src/db/open.js'
import {emptyStoreTemplate} from '../../src/db/pglite-store.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-template-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

async function identity(location: string): Promise<{system: string; version: number}> {
  const store = await openStore(location)
  try {
    const [row] = await store.query<{id: string}>('SELECT system_identifier::text AS id FROM pg_control_system()')
    return {system: row!.id, version: await schemaVersion(store)}
  } finally {
    await store.close()
  }
}

describe('embedded store creation', () => {
  it('finds the build\'s empty store (npm run build writes dist/empty-store)', () => {
    expect(emptyStoreTemplate(), 'run npm run build: it writes dist/empty-store').toBeDefined()
  })

  it('copies it for a new directory and for memory://: same cluster identity, newest schema, and the copies are independent', async () => {
    const a = await identity(join(tmp, 'a'))
    const b = await identity(join(tmp, 'b'))
    const m = await identity('memory://')
    expect(a.system).toBe(b.system)
    expect(m.system).toBe(a.system)
    for (const x of [a, b, m]) expect(x.version).toBe(MIGRATIONS.at(-1)!.version)
    const store = await openStore(join(tmp, 'a'))
    await store.query("INSERT INTO labs (name) VALUES ('only in a')")
    await store.close()
    const other = await openStore(join(tmp, 'b'))
    try {
      expect(await other.query('SELECT name FROM labs')).toEqual([])
    } finally {
      await other.close()
    }
  }, 120_000)
})
