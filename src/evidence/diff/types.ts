/**
 * The regression view between two reports (A = before, B = after): which devices are the same device, which
 * findings are new, fixed or changed, and which observations changed in a way that matters. Mirrors
 * schemas/report-diff.schema.json; change both together.
 */
import type {Outcome, Severity, Verdict} from '../types.js'

export const DIFF_SCHEMA_VERSION = '1.0'

/** Where one side came from. */
export interface DiffSide {
  /** The path as given on the command line. */
  source: string
  kind: 'report' | 'bundle'
  runId: string
  startedAt: string
  tool: {name: string; version: string}
  profile: {id: string; version: string; sha256: string}
  devices: number
  /** Bundles only: verified before diffing; whether the manifest was signed. */
  bundle?: {signed: boolean; signer?: string}
}

/** How a device of B was paired with one of A. */
export type MatchBasis = 'id' | 'serial' | 'certificate' | 'tls-key' | 'ssh-host-key' | 'snmp-engine-id'

export type FindingChangeKind = 'new' | 'fixed' | 'outcome' | 'severity'

export interface FindingSide {
  outcome: Outcome
  severity: Severity
  message: string
  /** The service id as written in that report. */
  service: string
}

export interface FindingChange {
  change: FindingChangeKind
  check: string
  title: string
  /** The service as named in B (in A when the finding exists only there). */
  service: string
  a?: FindingSide
  b?: FindingSide
  /** B fails this at or above --fail-on where A did not: the CI gate. */
  gate: boolean
}

export type ObservationChangeKind =
  | 'service-appeared'
  | 'service-vanished'
  | 'tls-protocols'
  | 'tls-cipher-suites'
  | 'tls-groups'
  | 'certificate'
  | 'tls-key'
  | 'ssh-algorithms'
  | 'ssh-host-key'
  | 'ssh-auth-methods'
  | 'snmp-communities'
  | 'banner'
  | 'software-version'

export interface ObservationChange {
  kind: ObservationChangeKind
  /** Service id (as named in B, or A when it vanished); `device:<id>` for device-wide facts. */
  service: string
  /** Items present only in B / only in A (protocol names, suites, algorithms, key fingerprints …). */
  added?: string[]
  removed?: string[]
  /** Single values that changed (a certificate hash, a banner). */
  before?: string
  after?: string
}

export interface DeviceRef {
  id: string
  name?: string
  verdict: Verdict
}

export interface DeviceDiff {
  status: 'matched' | 'added' | 'removed'
  a?: DeviceRef
  b?: DeviceRef
  /** Matched devices: on what (and the shared value, e.g. a key fingerprint). */
  matchedBy?: MatchBasis
  matchedOn?: string
  findings: FindingChange[]
  observations: ObservationChange[]
}

export interface BatchFindingChange {
  change: 'new' | 'fixed'
  check: string
  title: string
  severity: Severity
  /** Devices it is about, as named in B (A for a fixed one). */
  devices: string[]
}

export interface DiffSummary {
  devices: {matched: number; added: number; removed: number}
  findings: Record<FindingChangeKind, number>
  observationChanges: number
  /** New failures at or above failOn (the gate). */
  regressions: number
  failOn: Severity
  /** 1 when regressions > 0, else 0. */
  exitCode: 0 | 1
}

export interface ReportDiff {
  schemaVersion: typeof DIFF_SCHEMA_VERSION
  a: DiffSide
  b: DiffSide
  devices: DeviceDiff[]
  batch: BatchFindingChange[]
  summary: DiffSummary
}
