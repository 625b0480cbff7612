import type {DeclaredIdentity, Observation, Outcome, Reference, Service, ServiceProtocol, Severity} from '../evidence/types.js'
import type {IdentityDigest} from '../identity/types.js'
import type {Thresholds} from '../profiles/thresholds.js'

export type CheckFamily = 'tls' | 'ssh' | 'cred' | 'svc' | 'snmp' | 'pii' | 'http' | 'identity' | 'mqtt' | 'rtsp' | 'coap' | 'upnp' | 'input' | 'ntp'

/** What a check is, kept beside its evaluate function (`sg17scan checks show ID` prints it). */
export interface CheckMeta {
  id: string
  title: string
  family: CheckFamily
  /** One or two sentences: what condition fails the check and why it matters. */
  description: string
  /** How a manufacturer fixes a failure. */
  remediation: string
  defaultSeverity: Severity
  /** Tries logins or writes: runs only with --intrusive or when the profile enables it. */
  intrusive: boolean
  /** Service protocols the check applies to. */
  protocols: readonly ServiceProtocol[]
  /** Observation probe names the check reads; the engine runs the probes that emit them. */
  reads: readonly string[]
  references: readonly Reference[]
  /** Named conditions a failing result may report (`CheckResult.condition`), each with the severity it takes
   *  unless the profile maps the condition to another (profile `checks[].conditions`). Severity is the profile's:
   *  a check never forces one. */
  conditions?: Readonly<Record<string, {description: string; defaultSeverity: Severity}>>
}

export interface CheckInput {
  service: Service
  /** Successful observations of this service, by probe name. Every name in `reads` that some probe collects
   *  for this service's protocol is present: the engine turns a missing or failed one into a `not_tested` /
   *  `error` finding without calling the check. A check spanning protocols must expect only its own. */
  observations: Readonly<Record<string, Observation>>
  thresholds: Thresholds
  /** Injected clock: checks never read the system time. */
  now: Date
  /** Effective severity after profile overrides. */
  severity: Severity
}

export interface CheckResult {
  outcome: Outcome
  /** Human-readable, names the offending items (suite names, key sizes, dates). Never secrets. */
  message: string
  /** Override the effective severity for this result. Prefer `condition`: the profile then decides. */
  severity?: Severity
  /** The named condition (one of the check's `conditions`) this result met, e.g. `rsa-below-1024`: the judge
   *  takes its severity from the profile's condition map, else the condition's default. */
  condition?: string
  /** Observation ids that prove it; defaults to the ids of every observation in `reads`. */
  evidence?: string[]
}

/** Where a check is evaluated: once per service (default), once per device over its identity, or once per batch
 *  of devices (keys shared between devices). */
export type CheckScope = 'service' | 'device' | 'batch'

/** A per-service check: the original and most common kind. */
export interface Check extends CheckMeta {
  scope?: 'service'
  evaluate(input: CheckInput): CheckResult
}

export interface DeviceCheckInput {
  deviceId: string
  /** What the inventory declared; undefined when nothing was. */
  declared?: DeclaredIdentity
  /** Device-level observations (probe `device.identity`) by probe name, like CheckInput.observations. */
  observations: Readonly<Record<string, Observation>>
  thresholds: Thresholds
  now: Date
  severity: Severity
}

/**
 * A device-level check: evaluated once per device after every service was probed. `reads` names device-level
 * observations (derived by the engine, e.g. `device.identity`); `sources` names the service observations the
 * engine must collect on every service so the derived observation has something to work with. `protocols` is
 * empty: it is planned on no single service.
 */
export interface DeviceCheck extends CheckMeta {
  scope: 'device'
  sources: readonly string[]
  evaluate(input: DeviceCheckInput): CheckResult
}

export interface BatchCheckInput {
  digests: readonly IdentityDigest[]
  severity: Severity
}

/** One batch finding as a batch check returns it (the caller adds check id, title and references). */
export interface BatchCheckResult {
  outcome: Outcome
  message: string
  severity?: Severity
  /** Device ids the result is about (e.g. the devices sharing one key). */
  devices: string[]
  /** Their identity observation ids. */
  evidence: string[]
}

/** A batch-level check: a pure function of the identity digests of every device of a batch. */
export interface BatchCheck extends CheckMeta {
  scope: 'batch'
  sources: readonly string[]
  evaluate(input: BatchCheckInput): BatchCheckResult[]
}

export type AnyCheck = Check | DeviceCheck | BatchCheck

export function isServiceCheck(check: AnyCheck): check is Check {
  return check.scope === undefined || check.scope === 'service'
}
