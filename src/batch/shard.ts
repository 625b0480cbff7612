import {createHash} from 'node:crypto'

import {ConfigError} from '../profiles/errors.js'

export interface Shard {
  /** 1-based index */
  k: number
  n: number
}

/** Parses `K/N` (K in 1..N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const k = Number(m?.[1])
  const n = Number(m?.[2])
  if (!m || !Number.isSafeInteger(n) || n < 1 || !Number.isSafeInteger(k) || k < 1 || k > n) {
    throw new ConfigError(`--shard ${text}: expected K/N with 1 ≤ K ≤ N (e.g. 2/4)`)
  }
  return {k, n}
}

/** Shard (1..n) a device id belongs to: the first 48 bits of SHA-256(id) mod n — stable across machines and runs. */
export function shardOf(id: string, n: number): number {
  const h = createHash('sha256').update(id, 'utf8').digest()
  return (h.readUIntBE(0, 6) % n) + 1
}

export function inShard(id: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(id, shard.n) === shard.k
}
