/**
 * DIR/run.json: what a batch directory belongs to (inventory SHA-256, profile, shard) and its run id and
 * sessions, so --resume continues the same run and refuses a different inventory/profile/shard.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Report} from '../evidence/types.js'
import {ConfigError} from '../profiles/errors.js'

export interface BatchSession {
  startedAt: string
  finishedAt?: string
  statistics?: NonNullable<Report['run']['statistics']>
}

export interface BatchRunState {
  runId: string
  inventorySha256: string
  profile: {id: string; version: string; sha256: string}
  /** "K/N", or null for an unsharded run. */
  shard: string | null
  failOn: string
  sessions: BatchSession[]
}

export const RUN_FILE = 'run.json'

export function readRunState(dir: string): BatchRunState | undefined {
  const path = join(dir, RUN_FILE)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BatchRunState
  } catch (error) {
    throw new ConfigError(`${path}: unreadable run state (${(error as Error).message}); use a new --out-dir`)
  }
}

/** Atomic replace: a kill during the write leaves the previous state. */
export function writeRunState(dir: string, state: BatchRunState): void {
  const path = join(dir, RUN_FILE)
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}

/** Differences that make --resume unsafe (the journal would mix runs). */
export function resumeMismatches(previous: BatchRunState, current: Pick<BatchRunState, 'inventorySha256' | 'profile' | 'shard' | 'failOn'>): string[] {
  const out: string[] = []
  if (previous.inventorySha256 !== current.inventorySha256) out.push(`inventory differs (sha256 ${previous.inventorySha256.slice(0, 12)}… before, ${current.inventorySha256.slice(0, 12)}… now)`)
  if (previous.profile.id !== current.profile.id || previous.profile.sha256 !== current.profile.sha256) {
    out.push(`profile differs (${previous.profile.id} ${previous.profile.sha256.slice(0, 12)}… before, ${current.profile.id} ${current.profile.sha256.slice(0, 12)}… now)`)
  }
  if (previous.shard !== current.shard) out.push(`shard differs (${previous.shard ?? 'none'} before, ${current.shard ?? 'none'} now)`)
  if (previous.failOn !== current.failOn) out.push(`--fail-on differs (${previous.failOn} before, ${current.failOn} now)`)
  return out
}
