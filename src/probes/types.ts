import type {Socket} from 'node:net'

import type {Artifact, DeclaredIdentity, ObservationError, ObservationPartial, Service} from '../evidence/types.js'
import type {LoginContext} from './cred/policy.js'
import type {LabCredential} from './cred/types.js'
import type {CommunityCandidate} from './snmp/dataset.js'
import type {SnmpV3Credential} from './snmp/v3-credential-file.js'

/** What a probe may use. Probes never create sockets themselves: `connect` enforces the per-device cap,
 *  the global connection rate and counts connections for the benchmarks. */
export interface ProbeContext {
  service: Service
  /** Bound for each network step (connect, waiting for a reply). */
  timeoutMs: number
  /** Aborted when the probe's overall budget runs out or the scan is cancelled. */
  signal: AbortSignal
  /** Opens a TCP connection to the service (or another port of the same host). Holds one slot of the
   *  per-device connection cap until the socket closes. Rejects with a ProbeError on refusal/timeout. */
  connect(options?: {port?: number}): Promise<Socket>
  /** Credentials the lab supplied (keys held outside any output), e.g. --snmp-v3-credentials. */
  credentials?: {snmpV3?: readonly SnmpV3Credential[]; snmpCommunities?: readonly CommunityCandidate[]; logins?: readonly LabCredential[]}
  /** Login-testing policy and the device's shared attempt budget (credential probes only). */
  login?: LoginContext
  /** What the inventory declared about the device (e.g. vendor, to pick vendor default credentials). */
  declared?: DeclaredIdentity
  /** Intrusive actions (logins, writes) are allowed: --intrusive or the profile says so. */
  intrusive?: boolean
  /** Extra trust anchors (PEM) given with --ca. */
  caCertificates: string[]
  /** Name the user used to reach the service (IP or DNS name) — used for SNI and hostname matching. */
  targetName: string
  now(): Date
  /** Non-fatal diagnostics. */
  log(message: string): void
}

export type ArtifactInput = Omit<Artifact, 'sha256'>

/** One observation as a probe produces it; the engine adds id, service and (unless given) collectedAt. */
export interface ProbeEmission {
  probe: string
  data: Record<string, unknown>
  artifacts?: ArtifactInput[]
  error?: ObservationError
  /** What was seen is incomplete (see Observation.partial): `data` is kept and judged, but never passes. */
  partial?: ObservationPartial
  /** When this emission's data was read (ISO 8601), for a unit whose observations are read at different times;
   *  without it the engine records the unit's start. */
  collectedAt?: string
}

/** What the engine needs to know about a probe unit before loading it (planning, judging): kept in a light
 *  per-family meta.ts so the registry can name every family without loading its network code. */
export interface ProbeUnitMeta {
  id: string
  /** Service protocols this unit applies to. */
  protocols: readonly string[]
  /** Observation probe names it emits (even on failure, each emitted with `error`). */
  emits: readonly string[]
}

/** A probe unit: one piece of network work that emits one or more observations. */
export interface ProbeUnit extends ProbeUnitMeta {
  run(ctx: ProbeContext): Promise<ProbeEmission[]>
  /** Whole-unit budget when the default (12 × timeout) is too short, e.g. 20 logins with a 1 s pause between
   *  them. The engine uses the larger of this and the scan's probe budget. */
  budgetMs?(o: {timeoutMs: number; login?: LoginContext; credentials?: ProbeContext['credentials']}): number
}

/** Thrown by probe code for expected target misbehaviour; becomes an observation error, never a crash. */
export class ProbeError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ProbeError'
  }
}
