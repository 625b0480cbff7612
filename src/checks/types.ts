import type {Observation, Outcome, Reference, Service, ServiceProtocol, Severity} from '../evidence/types.js'
import type {Thresholds} from '../profiles/thresholds.js'

export type CheckFamily = 'tls' | 'ssh' | 'cred' | 'svc' | 'snmp' | 'pii' | 'http' | 'identity'

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
  /** Override the effective severity for this result (e.g. critical for RSA < 1024). */
  severity?: Severity
  /** Observation ids that prove it; defaults to the ids of every observation in `reads`. */
  evidence?: string[]
}

export interface Check extends CheckMeta {
  evaluate(input: CheckInput): CheckResult
}
