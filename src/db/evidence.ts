/** The evidence bytes the store keeps (migration 5): the verified report and bundle files, by digest. */
import type {Queryable} from './store.js'

// Read as base64 text (its line breaks are skipped by Buffer): PGlite parses a BYTEA column in JavaScript, one parseInt per byte.
const toBuffer = (text: unknown): Buffer => Buffer.from(String(text), 'base64')

/** One stored file by its SHA-256 (lower-case hex), or undefined. */
export async function evidenceBlob(q: Queryable, sha256: string): Promise<Buffer | undefined> {
  const [row] = await q.query<{bytes: unknown}>("SELECT encode(bytes, 'base64') AS bytes FROM evidence_blobs WHERE sha256 = $1", [sha256])
  return row ? toBuffer(row.bytes) : undefined
}

/** A run's file name for the blob (report.json, manifest.json, …), for the download's file name. */
export async function evidenceName(q: Queryable, sha256: string): Promise<string | undefined> {
  const [row] = await q.query<{path: string}>('SELECT path FROM run_files WHERE sha256 = $1 ORDER BY run_id, path LIMIT 1', [sha256])
  return row?.path
}

/** Every file of the bundle whose manifest.json has this SHA-256 (path → bytes), or undefined when no stored run
 *  holds that bundle's files. */
export async function bundleFiles(q: Queryable, manifestSha256: string): Promise<Map<string, Buffer> | undefined> {
  const rows = await q.query<{path: string; bytes: unknown}>(
    `SELECT f.path, encode(b.bytes, 'base64') AS bytes FROM run_files f JOIN evidence_blobs b ON b.sha256 = f.sha256
     WHERE f.run_id = (SELECT r.id FROM runs r WHERE r.manifest_sha256 = $1 AND r.source_kind = 'bundle'
                         AND EXISTS (SELECT 1 FROM run_files x WHERE x.run_id = r.id) ORDER BY r.id LIMIT 1)
     ORDER BY f.path`,
    [manifestSha256],
  )
  if (rows.length === 0) return undefined
  return new Map(rows.map((r) => [r.path, toBuffer(r.bytes)]))
}
