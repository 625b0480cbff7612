import {createHash} from 'node:crypto'

/** JSON with object keys sorted, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A short content-derived id: `<prefix>-<first 16 hex of sha256(canonical JSON)>`. */
export function contentId(prefix: string, content: unknown): string {
  return `${prefix}-${sha256Hex(canonicalJson(content)).slice(0, 16)}`
}
