#!/usr/bin/env node
/**
 * Builds dist/empty-store/: an empty embedded store (PGlite data directory) with every migration applied, made at
 * `npm run build` from the compiled migrations. A new embedded store (`--db DIR` on first use, `memory://`) is a
 * copy of it instead of PGlite's initdb, which runs a second WebAssembly instance and takes 5–10 s on this
 * machine. Never committed: it is rebuilt from the migrations, and migrations.json records which ones it holds
 * (src/db/pglite-store.ts uses it only when they are a prefix of the code's).
 */
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const {openEmbeddedStore, EMPTY_STORE_DIR, EMPTY_STORE_DATA, EMPTY_STORE_VERSIONS} = await import(join(ROOT, 'dist', 'src', 'db', 'pglite-store.js'))
const {migrate, MIGRATIONS} = await import(join(ROOT, 'dist', 'src', 'db', 'migrations.js'))

const out = join(ROOT, 'dist', EMPTY_STORE_DIR)
rmSync(out, {recursive: true, force: true})
mkdirSync(out, {recursive: true})
const data = join(out, EMPTY_STORE_DATA)
const started = performance.now()
const store = await openEmbeddedStore(data, {template: false})
await migrate(store)
// Leave the files compact: no dead rows from the migrations' bookkeeping.
await store.exec('VACUUM')
await store.close()
writeFileSync(join(out, EMPTY_STORE_VERSIONS), `${JSON.stringify(MIGRATIONS.map((m) => ({version: m.version, name: m.name})))}\n`)
console.log(`wrote ${out} (schema version ${MIGRATIONS.at(-1).version}, ${((performance.now() - started) / 1000).toFixed(1)} s)`)
