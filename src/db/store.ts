/**
 * One store interface over two PostgreSQL engines: PGlite (PostgreSQL 18 compiled to WebAssembly, embedded in a
 * directory — no setup for one user) and a PostgreSQL server through `pg` (`--db postgres://…`, many writers).
 * Both speak the same SQL, so the schema, the migrations and every query are written once.
 */
export type SqlValue = string | number | boolean | null | Date | Uint8Array | readonly unknown[] | Record<string, unknown>

export interface Queryable {
  /** Runs one statement with `$1…$n` parameters and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>
}

export interface Store extends Queryable {
  /** `embedded` (PGlite directory or memory) or `server` (PostgreSQL). */
  readonly kind: 'embedded' | 'server'
  /** Where it lives, passwords masked (for messages). */
  readonly location: string
  /** Runs `fn` in one transaction: everything it wrote is committed together, or nothing when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  close(): Promise<void>
}

/** The location's password, if any, replaced by *** (URLs end up in messages and logs). */
export function maskLocation(location: string): string {
  try {
    const url = new URL(location)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return location
  }
}

export const isServerLocation = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location)
