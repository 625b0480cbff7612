import {ConfigError} from '../profiles/errors.js'
import {migrate} from './migrations.js'
import {openEmbeddedStore} from './pglite-store.js'
import {openServerStore} from './pg-store.js'
import {isServerLocation, maskLocation, type Store} from './store.js'

/** Default embedded store: $SG17SCAN_DB, else ./sg17scan-db. */
export function defaultDbLocation(env: NodeJS.ProcessEnv = process.env): string {
  return env.SG17SCAN_DB && env.SG17SCAN_DB.length > 0 ? env.SG17SCAN_DB : 'sg17scan-db'
}

/** Opens (creating and migrating as needed) the store at `location`: a directory, `memory://` or `postgres://…`. */
export async function openStore(location: string): Promise<Store> {
  let store: Store
  try {
    store = isServerLocation(location) ? await openServerStore(location) : await openEmbeddedStore(location)
  } catch (error) {
    throw new ConfigError(`--db ${maskLocation(location)}: cannot open the store: ${(error as Error).message}`)
  }
  try {
    await migrate(store)
  } catch (error) {
    await store.close().catch(() => undefined)
    throw new ConfigError(`--db ${store.location}: cannot migrate the schema: ${(error as Error).message}`)
  }
  return store
}
