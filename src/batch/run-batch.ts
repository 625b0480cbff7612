/**
 * `scan --inventory FILE --out-dir DIR`: streams devices through scanStream into the journal, then writes the
 * merged report, CSV summary and HTML from the journal. Only ids are held across devices (resume set, shard
 * filter), never device results.
 */
import {randomBytes, randomUUID} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {profileRef, scanStream, type DeviceSpec, type ScanOptions} from '../engine/scan.js'
import {sha256Hex} from '../evidence/ids.js'
import {dataFiles, runInputs, secretDigest, toolInfo} from '../evidence/provenance.js'
import type {Report, Severity} from '../evidence/types.js'
import {type InventoryEntry, loadInventory} from '../inventory/load.js'
import {InventoryResolver} from '../inventory/to-spec.js'
import {ConfigError} from '../profiles/errors.js'
import {resolveProfile} from '../profiles/loader.js'
import {identityBatchAnalysis, type BatchAnalysis} from './batch-analysis.js'
import {finalizeBatch, type FinalizeResult} from './finalize.js'
import {JournalWriter, journaledIds} from './journal.js'
import {BatchProgress, type ProgressSink} from './progress.js'
import {type BatchPins, type BatchRunState, readRunState, resumeMismatches, writeRunState} from './run-state.js'
import {inShard, type Shard} from './shard.js'

export interface BatchOptions extends Omit<ScanOptions, 'profile'> {
  inventoryPath: string
  outDir: string
  profile?: string
  resume?: boolean
  shard?: Shard
  progress?: ProgressSink
  batchAnalysis?: BatchAnalysis
  /** Notes the user must see (a torn last journal line left out). */
  warn?: (message: string) => void
  /** Files holding secrets (--credentials, --communities, --snmp-v3-credentials): pinned for --resume by salted digest. */
  secretFiles?: Array<{flag: string; path: string}>
}

export interface BatchResult extends FinalizeResult {
  total: number
  skipped: number
  scanned: number
}

export const JOURNAL_FILE = 'journal.jsonl'

/** Inventory entries → specs for one shard (validated eagerly so a bad row fails before any I/O). */
export function inventorySpecs(inventoryPath: string, shard?: Shard, resolver = new InventoryResolver()): DeviceSpec[] {
  return loadInventory(inventoryPath)
    .filter((e: InventoryEntry) => inShard(e.id, shard))
    .map((e) => resolver.toSpec(e))
}

export async function runBatch(o: BatchOptions): Promise<BatchResult> {
  const inventorySha256 = sha256Hex(readFileSync(o.inventoryPath))
  const resolver = new InventoryResolver()
  const specs = inventorySpecs(o.inventoryPath, o.shard, resolver)
  const profile = resolveProfile(o.profile)
  const failOn: Severity = o.failOn ?? 'medium'
  mkdirSync(o.outDir, {recursive: true})
  const journalPath = join(o.outDir, JOURNAL_FILE)
  let state = readRunState(o.outDir)
  const inputs = runInputs(o)
  const salt = state?.pins?.secrets?.salt ?? randomBytes(16).toString('hex')
  const secretTexts = [...(o.secretFiles ?? []).map((f) => ({flag: f.flag, text: readFileSync(f.path)})), ...[...resolver.refTexts].map(([flag, text]) => ({flag, text}))]
  const pins: BatchPins = {
    tool: toolInfo(),
    data: dataFiles(),
    intrusive: o.intrusive ?? false,
    timeoutMs: o.timeoutMs ?? 5000,
    loginDelayMs: o.loginDelayMs ?? null,
    inputs,
    secrets: {salt, files: secretTexts.map(({flag, text}) => ({flag, digest: secretDigest(text, salt)}))},
  }
  const identity = {inventorySha256, profile: profileRef(profile), shard: o.shard ? `${o.shard.k}/${o.shard.n}` : null, failOn, pins}
  if (state && !o.resume) {
    throw new ConfigError(`--out-dir ${o.outDir} already holds a batch run (${state.runId}): add --resume to continue it, or use a new directory`)
  }
  if (!state && existsSync(journalPath) && statSync(journalPath).size > 0) {
    throw new ConfigError(`--out-dir ${o.outDir} holds a journal without run.json: use a new directory`)
  }
  if (state) {
    const problems = resumeMismatches(state, identity)
    if (problems.length > 0) throw new ConfigError(`--resume: ${o.outDir} belongs to a different batch`, problems)
  } else {
    state = {runId: randomUUID(), ...identity, sessions: []} satisfies BatchRunState
  }
  const session: BatchRunState['sessions'][number] = {startedAt: new Date().toISOString(), commandLine: o.commandLine ?? ''}
  state.sessions.push(session)
  writeRunState(o.outDir, state)

  const done = await journaledIds(journalPath, {onTornLastLine: o.warn})
  const todo = specs.filter((s) => !done.has(s.id!))
  const progress = o.progress ? new BatchProgress(todo.length, o.progress) : undefined
  const journal = new JournalWriter(journalPath)
  let info
  try {
    info = await scanStream(lazy(todo), {...o, profile, failOn}, (device) => {
      journal.append(device)
      progress?.device(device)
    })
  } finally {
    journal.close()
  }
  progress?.finish()
  session.finishedAt = info.finishedAt
  session.statistics = info.statistics
  writeRunState(o.outDir, state)

  const finished = state.sessions.filter((s) => s.statistics)
  const run: Report['run'] = {
    id: state.runId,
    startedAt: state.sessions[0]!.startedAt,
    finishedAt: info.finishedAt,
    commandLine: o.commandLine ?? '',
    profile: profileRef(profile),
    data: pins.data,
    ...(inputs.length > 0 ? {inputs} : {}),
    sessions: state.sessions.map((s) => ({startedAt: s.startedAt, ...(s.finishedAt ? {finishedAt: s.finishedAt} : {}), commandLine: s.commandLine ?? ''})),
    // Work of the sessions that ended normally (a killed session's counters died with it).
    statistics: {
      connections: finished.reduce((n, s) => n + s.statistics!.connections, 0),
      peakConnectionsPerDevice: Math.max(0, ...finished.map((s) => s.statistics!.peakConnectionsPerDevice)),
      probeUnits: finished.reduce((n, s) => n + s.statistics!.probeUnits, 0),
      durationMs: finished.reduce((n, s) => n + s.statistics!.durationMs, 0),
    },
  }
  const result = await finalizeBatch({dir: o.outDir, journalPath, run, failOn, batchAnalysis: o.batchAnalysis ?? identityBatchAnalysis(profile, o.intrusive ?? false)})
  return {...result, total: specs.length, skipped: specs.length - todo.length, scanned: todo.length}
}

/** Hands specs out one at a time (scanStream pulls as workers free up). */
function* lazy<T>(items: T[]): Generator<T> {
  for (const item of items) yield item
}
