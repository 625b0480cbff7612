/**
 * DIR/run.json: what a batch directory belongs to (inventory SHA-256, profile, shard) and its run id and
 * sessions, so --resume continues the same run and refuses a different inventory/profile/shard.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {DataFileRef, InputFileRef, Report, ToolInfo} from '../evidence/types.js'
import {ConfigError} from '../profiles/errors.js'

export interface BatchSession {
  startedAt: string
  finishedAt?: string
  /** This session's command line (secrets redacted): the report keeps every session's. */
  commandLine?: string
  statistics?: NonNullable<Report['run']['statistics']>
}

/** What changes results besides inventory, profile, shard and --fail-on: a resumed session must match it all. */
export interface BatchPins {
  tool: ToolInfo
  data: DataFileRef[]
  intrusive: boolean
  timeoutMs: number
  /** --login-delay (null: the profile's): the pause between logins decides what lockout detection sees. */
  loginDelayMs: number | null
  /** Public files (--ca, --inventory) by SHA-256. */
  inputs: InputFileRef[]
  /** Secret-bearing files (--credentials, --communities, --snmp-v3-credentials, inventory credentialsRef/loginsRef)
   *  by provenance.ts secretDigest with this run's salt. */
  secrets: {salt: string; files: Array<{flag: string; digest: string}>}
}

export interface BatchRunState {
  runId: string
  inventorySha256: string
  profile: {id: string; version: string; sha256: string}
  /** "K/N", or null for an unsharded run. */
  shard: string | null
  failOn: string
  /** Absent in run.json files written before pinning: such a run cannot be resumed safely. */
  pins?: BatchPins
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

/** Differences that make --resume unsafe (the journal would mix runs judged differently). */
export function resumeMismatches(previous: BatchRunState, current: Pick<BatchRunState, 'inventorySha256' | 'profile' | 'shard' | 'failOn'> & {pins: BatchPins}): string[] {
  const out: string[] = []
  if (previous.inventorySha256 !== current.inventorySha256) out.push(`inventory differs (sha256 ${previous.inventorySha256.slice(0, 12)}… before, ${current.inventorySha256.slice(0, 12)}… now)`)
  if (previous.profile.id !== current.profile.id || previous.profile.sha256 !== current.profile.sha256) {
    out.push(`profile differs (${previous.profile.id} ${previous.profile.sha256.slice(0, 12)}… before, ${current.profile.id} ${current.profile.sha256.slice(0, 12)}… now)`)
  }
  if (previous.shard !== current.shard) out.push(`shard differs (${previous.shard ?? 'none'} before, ${current.shard ?? 'none'} now)`)
  if (previous.failOn !== current.failOn) out.push(`--fail-on differs (${previous.failOn} before, ${current.failOn} now)`)
  const before = previous.pins
  if (!before) {
    out.push('run.json records no tool build, data digests or options (written by an older sg17scan): the sessions could not be shown to judge alike')
    return out
  }
  const now = current.pins
  const build = (t: ToolInfo) => `${t.version}${t.commit ? ` commit ${t.commit.slice(0, 12)}` : ''}${t.packageIntegrity ? ` package ${t.packageIntegrity.slice(0, 20)}…` : ''} on Node ${t.node ?? '?'}`
  if (build(before.tool) !== build(now.tool)) out.push(`tool build differs (${build(before.tool)} before, ${build(now.tool)} now)`)
  const data = new Map(before.data.map((d) => [d.file, d.sha256]))
  const nowData = new Map(now.data.map((d) => [d.file, d.sha256]))
  for (const file of [...new Set([...data.keys(), ...nowData.keys()])].sort()) {
    const a = data.get(file)
    const b = nowData.get(file)
    if (a !== b) out.push(`data file ${file} differs (${a ? `sha256 ${a.slice(0, 12)}…` : 'absent'} before, ${b ? `sha256 ${b.slice(0, 12)}…` : 'absent'} now)`)
  }
  if (before.intrusive !== now.intrusive) out.push(`--intrusive differs (${before.intrusive ? 'on' : 'off'} before, ${now.intrusive ? 'on' : 'off'} now)`)
  if (before.timeoutMs !== now.timeoutMs) out.push(`--timeout differs (${before.timeoutMs} ms before, ${now.timeoutMs} ms now)`)
  if (before.loginDelayMs !== now.loginDelayMs) {
    const show = (v: number | null) => (v === null ? "the profile's" : `${v} ms`)
    out.push(`--login-delay differs (${show(before.loginDelayMs)} before, ${show(now.loginDelayMs)} now)`)
  }
  const files = (list: InputFileRef[], flag: string) => list.filter((i) => i.flag === flag).map((i) => i.sha256).sort().join(',')
  // The inventory itself is pinned above.
  for (const flag of [...new Set([...before.inputs, ...now.inputs].map((i) => i.flag))].filter((f) => f !== '--inventory').sort()) {
    const a = files(before.inputs, flag)
    const b = files(now.inputs, flag)
    if (a !== b) out.push(`${flag} file(s) differ by digest (${a ? a.split(',').map((x) => x.slice(0, 12) + '…').join(' ') : 'none'} before, ${b ? b.split(',').map((x) => x.slice(0, 12) + '…').join(' ') : 'none'} now)`)
  }
  const secrets = (list: BatchPins['secrets']['files'], flag: string) => list.filter((i) => i.flag === flag).map((i) => i.digest).sort().join(',')
  for (const flag of [...new Set([...before.secrets.files, ...now.secrets.files].map((i) => i.flag))].sort()) {
    if (secrets(before.secrets.files, flag) !== secrets(now.secrets.files, flag)) out.push(`${flag}: the file's content differs from the one the run started with (compared by salted digest)`)
  }
  return out
}
