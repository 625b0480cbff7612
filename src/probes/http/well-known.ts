/** Loader for data/http/well-known-paths.json (device admin/API paths; see the file's note and sources). */
import {readFileSync} from 'node:fs'

import {projectPath} from '../../util/paths.js'

export interface WellKnownPath {
  path: string
  kind: string
  sensitive: boolean
  why: string
  source: string
}

let cache: WellKnownPath[] | undefined

export function parseWellKnown(json: unknown): WellKnownPath[] {
  const d = json as {paths?: unknown}
  if (!Array.isArray(d?.paths)) throw new Error('data/http/well-known-paths.json: bad shape')
  const seen = new Set<string>()
  return d.paths.map((row: Partial<WellKnownPath>, i: number) => {
    if (typeof row?.path !== 'string' || !row.path.startsWith('/') || typeof row.kind !== 'string' || typeof row.sensitive !== 'boolean' || typeof row.why !== 'string' || typeof row.source !== 'string') {
      throw new Error(`data/http/well-known-paths.json: bad row ${i}`)
    }
    if (seen.has(row.path)) throw new Error(`data/http/well-known-paths.json: duplicate path ${row.path}`)
    seen.add(row.path)
    return {path: row.path, kind: row.kind, sensitive: row.sensitive, why: row.why, source: row.source}
  })
}

export function wellKnownPaths(): readonly WellKnownPath[] {
  cache ??= parseWellKnown(JSON.parse(readFileSync(projectPath('data', 'http', 'well-known-paths.json'), 'utf8')))
  return cache
}
