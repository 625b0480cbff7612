import {ConfigError} from '../../profiles/errors.js'

/** Every TCP port: the default for a bare host (ETSI EN 303 645 5.6-1 asks about every exposed service). */
export const ALL_TCP_PORTS = '1-65535'

/**
 * Parses a port list such as `1-65535`, `22,80,443`, `1-1024,8080,8443` or `-` (all) into sorted unique ports.
 * Throws ConfigError naming `source` (the flag or profile field) and the bad item.
 */
export function parsePortSpec(spec: string, source = '--ports'): number[] {
  const text = spec.trim()
  if (text === '-' || text.toLowerCase() === 'all') return range(1, 65535)
  if (text === '') throw new ConfigError(`${source}: empty port list (give e.g. 1-65535 or 22,80,443)`)
  const ports = new Set<number>()
  for (const raw of text.split(',')) {
    const item = raw.trim()
    const m = /^(\d+)?(?:(-)(\d+)?)?$/.exec(item)
    if (!m || (m[1] === undefined && m[2] === undefined)) throw new ConfigError(`${source}: '${item}' is not a port or a range (e.g. 22 or 1-1024)`)
    const lo = m[1] === undefined ? 1 : Number(m[1])
    const hi = m[2] === undefined ? lo : m[3] === undefined ? 65535 : Number(m[3])
    for (const p of [lo, hi]) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ConfigError(`${source}: port ${p} in '${item}' is outside 1–65535`)
    if (lo > hi) throw new ConfigError(`${source}: range '${item}' runs backwards`)
    for (let p = lo; p <= hi; p++) ports.add(p)
  }
  return [...ports].sort((a, b) => a - b)
}

function range(lo: number, hi: number): number[] {
  return Array.from({length: hi - lo + 1}, (_, i) => lo + i)
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
