/**
 * The evidence model: the one contract every probe, check, engine part and writer shares.
 * It mirrors schemas/report.schema.json; change both together.
 */

import type {RecordedDeclaration} from '../declaration/types.js'

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export const OUTCOMES = ['pass', 'fail', 'error', 'not_tested', 'not_applicable', 'inconclusive'] as const
export type Outcome = (typeof OUTCOMES)[number]

export const FRAMEWORKS = ['ITU-T', 'ETSI EN 303 645', 'IEC 62443-4-2', 'CWE', 'RFC', 'NIST', 'BSI', 'Mozilla'] as const
export type Framework = (typeof FRAMEWORKS)[number]

export const PROTOCOLS = ['tls', 'https', 'ssh', 'snmp', 'http', 'telnet', 'ftp', 'mqtt', 'mqtts', 'rtsp', 'coap', 'ssdp', 'ntp'] as const
export type ServiceProtocol = (typeof PROTOCOLS)[number]

export interface Reference {
  framework: Framework
  /** Document id, e.g. "X.1352", "5.5-1", "CR 4.3", "CWE-327", "RFC 9325". */
  id: string
  /** Clause within the document, e.g. "§8.2" or "§3.1.1". */
  clause?: string
}

export interface Service {
  /** Stable id: `<protocol>://<host>:<port>`. */
  id: string
  protocol: ServiceProtocol
  host: string
  port: number
  transport: 'tcp' | 'udp'
}

export interface Artifact {
  /** What the bytes are, e.g. "certificate", "server-hello", "alert". */
  kind: string
  encoding: 'pem' | 'hex' | 'base64' | 'utf8'
  content: string
  /** SHA-256 of `content` as stored (hex). */
  sha256: string
}

export interface ObservationError {
  /** Machine-readable reason, e.g. "timeout", "reset", "not-tls", "oversized", "refused". */
  code: string
  message: string
}

export interface Observation {
  /** Derived from service, probe and data: stable across runs that see the same thing. */
  id: string
  service: string
  probe: string
  collectedAt: string
  /** Probe-specific payload (see src/probes/<proto>/types.ts). Empty object when the probe failed. */
  data: Record<string, unknown>
  artifacts: Artifact[]
  /** Set when the probe could not complete; checks reading it yield outcome "error" with this reason. */
  error?: ObservationError
  /** Set when the probe observed something but not everything (a budget ran out, a transient failure persisted
   *  past its retries): `data` holds what was seen. A check may fail on it, never pass: the judge turns a pass
   *  read from a partial observation into `inconclusive` with this reason. */
  partial?: ObservationPartial
}

/** Why an observation is incomplete, and (where the probe knows) which parts of `data` are missing. */
export interface ObservationPartial {
  /** Machine-readable reason, e.g. "budget", "reset", "timeout". */
  code: string
  message: string
  /** Parts of `data` that could not be determined, e.g. ["TLSv1.0 cipher suites"]. */
  missing?: string[]
}

export interface Finding {
  check: string
  title: string
  outcome: Outcome
  severity: Severity
  service: string
  message: string
  /** Observation ids that prove the outcome. */
  evidence: string[]
  references: Reference[]
  /** The severity rule that applied when a check condition set the severity: the condition and whether the
   *  profile or the check's default mapped it. */
  severityRule?: {condition: string; source: 'profile' | 'check'}
}

export type Verdict = 'pass' | 'fail' | 'incomplete'

/** What an inventory or operator declared about a device; identity checks compare it with what was observed. */
export interface DeclaredIdentity {
  vendor?: string
  model?: string
  firmware?: string
  serial?: string
}

/** Verdict of one requirement of a standard (profiles with `requirements:`), derived by rule from check outcomes
 *  and declaration items (src/requirements). `not_assessed_remotely`: documentation or physical review that no
 *  network test replaces — listed, never dropped. */
export const REQUIREMENT_VERDICTS = ['pass', 'fail', 'not_applicable', 'inconclusive', 'not_assessed_remotely'] as const
export type RequirementVerdict = (typeof REQUIREMENT_VERDICTS)[number]

export interface RequirementResult {
  /** Standard name, e.g. "ETSI EN 303 645", "EN 18031-1", "UK PSTI", "ITU-T X.1352". */
  standard: string
  id: string
  title: string
  /** mandatory / recommended where the standard says so. */
  level?: 'mandatory' | 'recommended'
  /** The profile's rule that derived the verdict. */
  rule: string
  verdict: RequirementVerdict
  decidedBy: {
    /** Findings read: `<check>@<service>` for device findings, `batch:<check>` for batch findings. */
    findings: string[]
    /** Checks the requirement lists (its network-testable part). */
    checks: string[]
    /** Declaration items read, e.g. "accounts.passwordScheme", "claims[3]", "services". */
    declaration: string[]
  }
  reason: string
}

export interface Device {
  id: string
  name?: string
  declared?: DeclaredIdentity
  tags?: string[]
  /** The profile that judged this device when an inventory overrode the run's profile for it. */
  profile?: {id: string; version: string; sha256: string}
  services: Service[]
  observations: Observation[]
  findings: Finding[]
  verdict: Verdict
  /** The manufacturer's declaration the device was assessed with (--declaration, inventory `declaration`). */
  declaration?: RecordedDeclaration
  /** Requirement verdicts of the profile's standard (profiles with `requirements:`), requirement table order. */
  requirements?: RequirementResult[]
  /** What the verdict covers (derived from findings and observations: src/engine/coverage.ts). */
  coverage?: DeviceCoverage
}

export type CoverageStatus = 'complete' | 'partial' | 'not-tested'

/** Which services and checks ran to completion, which were partial and why, which were not tested and why. */
export interface DeviceCoverage {
  status: CoverageStatus
  /** One sentence for people. */
  statement: string
  checks: {complete: number; partial: number; notTested: number; skippedByPolicy: number}
  services: Array<{service: string; status: CoverageStatus; complete: number; partial: number; notTested: number}>
  /** Inconclusive checks, or checks judged on a partial observation, with the reason. */
  partial: Array<{check: string; service: string; reason: string}>
  /** Errored or not-tested checks (intrusive ones left out by policy included), with the reason. */
  notTested: Array<{check: string; service: string; reason: string}>
}

export interface ReportSummary {
  devices: number
  verdicts: Record<Verdict, number>
  outcomes: Record<Outcome, number>
  /** Failed findings counted by severity. */
  failedBySeverity: Record<Severity, number>
  failOn: Severity
  exitCode: number
}

/** A finding about several devices of one batch (e.g. the same key on several samples). */
export interface BatchFinding {
  check: string
  title: string
  outcome: Outcome
  severity: Severity
  message: string
  /** The devices it is about (e.g. those sharing one key), sorted. */
  devices: string[]
  /** Their `device.identity` observation ids. */
  evidence: string[]
  references: Reference[]
}

/** Samples of one declared model and how they differ from one another. */
export interface ModelConsistency {
  /** Declared vendor (as first declared) and model. */
  vendor?: string
  model: string
  samples: number
  devices: string[]
  /** One entry per attribute whose value is not the same on every sample: each value with the devices showing
   *  it, most common first (so the devices of the later values are the samples that look different). */
  differences: Array<{attribute: 'vendor' | 'firmware' | 'keyTypes' | 'services'; values: Array<{value: string; devices: string[]}>}>
}

export interface BatchSummary {
  findings: BatchFinding[]
  models: ModelConsistency[]
}

/** The build that judged (src/evidence/provenance.ts). */
export interface ToolInfo {
  name: string
  version: string
  /** Git commit of the checkout the build ran from (HEAD; uncommitted changes are not visible). */
  commit?: string
  /** npm's integrity of the installed package, when run from node_modules. */
  packageIntegrity?: string
  /** process.version, e.g. "v20.19.0". */
  node?: string
}

/** A data file of the build (data/…) with its digest and, for a named dataset, the name its row ids belong to. */
export interface DataFileRef {
  file: string
  dataset?: string
  sha256: string
}

/** A user's file that changes results (--credentials, --communities, --ca …), by digest only. */
export interface InputFileRef {
  flag: string
  sha256: string
}

/** One session of a run (a batch resumed after a stop has several). */
export interface RunSession {
  startedAt: string
  finishedAt?: string
  commandLine: string
}

/** An input of `report merge`, with its own provenance. */
export interface ReportSource {
  /** The file name given to merge. */
  name: string
  /** SHA-256 of the input file's bytes as read. */
  sha256?: string
  runId: string
  tool: ToolInfo
  profile: {id: string; version: string; sha256: string}
  startedAt: string
  finishedAt: string
  commandLine: string
  sessions?: RunSession[]
  data?: DataFileRef[]
  inputs?: InputFileRef[]
  /** The devices this input contributed to the merged report. */
  devices: string[]
}

export interface Report {
  schemaVersion: string
  tool: ToolInfo
  run: {
    id: string
    startedAt: string
    finishedAt: string
    commandLine: string
    profile: {id: string; version: string; sha256: string}
    /** Work done: TCP connections opened, most open to one device at once, probe units run, wall time. */
    statistics?: {connections: number; peakConnectionsPerDevice: number; probeUnits: number; durationMs: number}
    /** Data files of the build, by digest (and dataset name). */
    data?: DataFileRef[]
    /** The user's result-changing files, by digest. */
    inputs?: InputFileRef[]
    /** Every session's command line (a resumed batch); commandLine is the last one. */
    sessions?: RunSession[]
    /** `report merge`: each input's own provenance. */
    sources?: ReportSource[]
  }
  devices: Device[]
  /** Batch-level analysis across devices (shared keys, per-model consistency); present when a run or merge holds
   *  more than one device and the profile selects batch checks. */
  batch?: BatchSummary
  summary: ReportSummary
}
