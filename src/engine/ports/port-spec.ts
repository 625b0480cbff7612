import {ConfigError} from '../../profiles/errors.js'

/** Every TCP port: the default for a bare host (ETSI EN 303 645 5.6-1 asks about every exposed service). */
export const ALL_TCP_PORTS = '1-65535'

/**
 * Parses a port list such as `1-65535`, `22,80,443`, `1-1024,8080,8443` or `-` (all) into sorted unique ports.
 * Throws ConfigError naming `source` (the flag or profile field) and the bad item.
 */
export function parsePortSpec(spec: string, source = '--ports'): number[] {
  const ranges = portRanges(spec, source)
  // A bitmap, not a Set sorted afterwards: expanding `1-65535` that way cost ~10 ms and a GC at every start.
  const wanted = new Uint8Array(65536)
  let count = 0
  for (const [lo, hi] of ranges) {
    for (let p = lo; p <= hi; p++) {
      count += 1 - wanted[p]!
      wanted[p] = 1
    }
  }
  const ports = new Array<number>(count)
  for (let p = 1, i = 0; i < count; p++) if (wanted[p] === 1) ports[i++] = p
  return ports
}

/**
 * Checks a port list as parsePortSpec does (same ConfigError for the same bad item) without expanding it: for the
 * up-front check of --ports and the profile's tcpPorts, which a scan of service URIs never expands.
 */
export function validatePortSpec(spec: string, source = '--ports'): void {
  portRanges(spec, source)
}

/** The list's items as inclusive [lo, hi] ranges, each checked in turn. */
function portRanges(spec: string, source: string): Array<[number, number]> {
  const text = spec.trim()
  if (text === '-' || text.toLowerCase() === 'all') return [[1, 65535]]
  if (text === '') throw new ConfigError(`${source}: empty port list (give e.g. 1-65535 or 22,80,443)`)
  const ranges: Array<[number, number]> = []
  for (const raw of text.split(',')) {
    const item = raw.trim()
    const m = /^(\d+)?(?:(-)(\d+)?)?$/.exec(item)
    if (!m || (m[1] === undefined && m[2] === undefined)) throw new ConfigError(`${source}: '${item}' is not a port or a range (e.g. 22 or 1-1024)`)
    const lo = m[1] === undefined ? 1 : Number(m[1])
    const hi = m[2] === undefined ? lo : m[3] === undefined ? 65535 : Number(m[3])
    for (const p of [lo, hi]) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ConfigError(`${source}: port ${p} in '${item}' is outside 1–65535`)
    if (lo > hi) throw new ConfigError(`${source}: range '${item}' runs backwards`)
    ranges.push([lo, hi])
  }
  return ranges
}

/** Compact text for a sorted port list: `1-21,23-79,81`. Stops after `maxRanges` ranges (then `…`). */
export function formatPortRanges(sorted: readonly number[], maxRanges = 256): {text: string; ranges: number; truncated: boolean} {
  const parts: string[] = []
  let ranges = 0
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    ranges++
    if (parts.length < maxRanges) parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  const truncated = ranges > maxRanges
  return {text: parts.join(',') + (truncated ? ',…' : ''), ranges, truncated}
}
