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

/** What an observation id is computed from: everything it says except when it was collected. */
export interface ObservationContent {
  service: string
  probe: string
  data: Record<string, unknown>
  artifacts: ReadonlyArray<{kind: string; encoding: string; sha256: string}>
  error?: {code: string; message: string}
  partial?: {code: string; message: string; missing?: string[]}
}

/**
 * The content address of an observation (docs/evidence.md): `obs-` + the first 16 hex digits of the SHA-256 of
 * the canonical JSON of {service, probe, data, error, partial, artifacts: [{kind, encoding, sha256}]}.
 * The artifacts' SHA-256 are part of it, so swapping a raw certificate (and its recorded hash) changes the id and
 * every finding citing the old id stops resolving. collectedAt is not part of it: the same bytes read twice are
 * the same evidence. A partial marker only counts when there is no error (the engine drops it then).
 */
export function observationId(o: ObservationContent): string {
  return contentId('obs', {
    service: o.service,
    probe: o.probe,
    data: o.data,
    error: o.error ?? null,
    ...(o.partial && !o.error ? {partial: o.partial} : {}),
    artifacts: o.artifacts.map((a) => ({kind: a.kind, encoding: a.encoding, sha256: a.sha256})),
  })
}
