/** Observation names of the credential units (here, not in unit.ts, so checks read them without loading the login engine). */
export const P_CRED_ATTEMPTS = 'cred.attempts'
export const P_CRED_BRUTEFORCE = 'cred.bruteforce'

/** Shared types of the credential-testing probes (observation contract: `cred.attempts`, `cred.bruteforce`). */

/** A named list of the dataset, or `lab` for the lab's own `--credentials` file. */
export const CREDENTIAL_LISTS = ['lab', 'vendor-defaults', 'ssh-better', 'telnet-better', 'mirai', 'generic-top'] as const
export type CredentialList = (typeof CREDENTIAL_LISTS)[number]

/** Lists of manufacturer defaults: a success there fails cred.default.<protocol>. */
export const DEFAULT_LISTS: readonly CredentialList[] = ['vendor-defaults', 'ssh-better', 'telnet-better', 'mirai']
/** Generic weak dictionaries: a success there fails cred.weak.dictionary. The lab's own file is a dictionary too. */
export const WEAK_LISTS: readonly CredentialList[] = ['generic-top', 'lab']

/** One credential to try. `password` never leaves the probe: evidence names `id` (and, for dataset rows, `username`). */
export interface CredentialCandidate {
  id: string
  username: string
  password: string
  /** Every selected list that holds this pair, in policy order (the first is the one it was tried for). */
  lists: CredentialList[]
  /** The username is a secret too (lab files). */
  secretUsername: boolean
}

/** A lab's own credential (`--credentials FILE`), identified as `lab:<basename>:<line>`. */
export interface LabCredential {
  id: string
  username: string
  password: string
}

/** What the profile (thresholds.credentials) and the command line decide about login testing. */
export interface LoginPolicy {
  /** Lists tried, in order (`lab` = the --credentials file; ignored when none was given). */
  lists: CredentialList[]
  /** At most this many candidates per list. */
  maxPerList: number
  /** Candidate attempts per device, shared by all its services. */
  attemptBudget: number
  /** Pause before each attempt after the first (ms). */
  delayMs: number
  /** Wrong attempts made by the cred.bruteforce probe. */
  bruteforceAttempts: number
}

export type AttemptResult = 'rejected' | 'accepted' | 'error' | 'locked'

/** What one login attempt saw (the engine adds service, credential id and time). */
export interface LoginOutcome {
  result: AttemptResult
  /** Wall time of the attempt, ms (throttling evidence). */
  ms: number
  /** Why, for error/locked (no secrets). */
  reason?: string
  /** The connection was refused or reset before any login prompt: after failures, a lockout sign. */
  refused?: boolean
}

/** One protocol's way of trying a username/password; `label` names the mechanism (e.g. `http-basic`). */
export interface LoginMethod {
  service: string
  mechanism: string
  attempt(username: string, password: string): Promise<LoginOutcome>
}

export interface AttemptRecord {
  service: string
  credentialId: string
  result: AttemptResult
  at: string
  reason?: string
}

export type StopReason = 'success' | 'budget' | 'lockout' | 'exhausted' | 'accepts-anything'

export interface Throttling {
  /** Response time of the negative control, ms. */
  baselineMs: number
  /** Response time of each candidate attempt, in order, ms. */
  attemptMs: number[]
  maxMs: number
  /** Why the engine judged the service locked out, when it did. */
  lockoutSignal?: 'message' | 'refused' | 'growing-delay'
}

export interface CredAttemptsData {
  service: string
  mechanism: string
  /** Where the login is (HTTP: the challenged path or the form's page, query masked). */
  path?: string
  negativeControl: {result: AttemptResult; reason?: string}
  attempts: AttemptRecord[]
  stoppedBy: StopReason
  success?: {credentialId: string; username?: string; list: CredentialList; lists: CredentialList[]}
  /** Candidates selected for this service before the budget applied; lists used. */
  candidates: number
  lists: CredentialList[]
  delayMs: number
  budget: number
  throttling: Throttling
  /** Every login of the service that was tested (HTTP services may show several: a form, a Basic realm …), the
   *  first of them repeated at the top level. Absent when the service has one login. */
  logins?: CredAttemptsData[]
}

export interface BruteforceData {
  service: string
  mechanism: string
  attempts: number
  results: Record<AttemptResult, number>
  attemptMs: number[]
  /** Attempt index (0-based) where the service locked out, if it did. */
  lockedAt?: number
  lockoutSignal?: Throttling['lockoutSignal']
  /** Largest response time divided by the first one. */
  slowdown: number
}
