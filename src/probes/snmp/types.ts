/**
 * Observation payloads of the SNMP probe unit (probe names `snmp.communities`, `snmp.system`, `snmp.v3`).
 * Community strings and the guessed SNMPv3 user names are secrets: payloads carry dataset ids (`credentialId`), never values.
 * User-supplied SNMPv3 credentials (`SnmpV3CredentialResult`) keep the user name: the operator chose it and it
 * identifies the account to fix; it is an identifier, not a secret. Their keys never appear anywhere.
 * sysContact / sysLocation are stored with detected personal data masked (see pii.ts).
 */

export const P_SNMP_COMMUNITIES = 'snmp.communities'
export const P_SNMP_SYSTEM = 'snmp.system'
export const P_SNMP_V3 = 'snmp.v3'

export type SnmpCommunityVersion = 'v1' | 'v2c'

export interface SnmpAcceptedCommunity {
  /** Row id in data/snmp/communities.json (or `user-supplied-<n>`). */
  credentialId: string
  version: SnmpCommunityVersion
  /** 'write' only when the intrusive write test ran and proved write access (a SET succeeded, or its error status
   *  showed the community past access control); otherwise 'read'. */
  access: 'read' | 'write'
}

/** Datagrams that did not complete a request (hostile or broken agents). */
export interface SnmpAnomalies {
  /** Not decodable as SNMP (bad BER, unknown tags …). */
  malformed: number
  /** Larger than the accepted datagram size. */
  oversized: number
  /** Well-formed, but matching no outstanding request id. */
  unmatched: number
  /** From another address/port than the target, matching no request of ours. */
  foreign: number
  /** Replies from another address/port of the target (a multi-homed agent) that matched a request of ours by
   *  request-id and community: accepted, and counted here. */
  otherSource?: number
  /** Those source addresses (at most 8). */
  otherSources?: string[]
}

/** One object of the write test: its SET's answer and what that answer says about access (write-classes.ts). */
export interface SnmpWriteAttempt {
  /** e.g. "sysLocation.0". */
  object: string
  /** "accepted", the agent's error status (e.g. "NotWritable"), "timeout" or "not-readable". */
  result: string
  class: 'denied' | 'past-access-control' | 'ambiguous'
}

export interface SnmpWriteResult {
  credentialId: string
  version: SnmpCommunityVersion
  /** A SET (of a harmless object, to its current value) was accepted. */
  setAccepted: boolean
  /** Which object's SET was accepted. */
  object?: string
  /** write = a SET succeeded or an error status proved the community got past access control; denied = noAccess /
   *  authorizationError; ambiguous = nothing conclusive (v1 noSuchName/readOnly, timeouts, unreadable objects). */
  verdict?: 'write' | 'denied' | 'ambiguous'
  attempts?: SnmpWriteAttempt[]
  /** Read back after the SET equals the value before it (null when not read back). */
  unchanged: boolean | null
  /** A SET changed the value and the original was written back. */
  restored?: boolean
  /** Agent's error status or transport failure when the SET was refused (e.g. "NoAccess", "timeout"). */
  error?: string
}

export interface SnmpCommunitiesData {
  /** Dataset the candidates came from. */
  dataset: string
  /** Distinct candidate communities tried (each with every version in `versions`). */
  tried: number
  versions: SnmpCommunityVersion[]
  /** Requests sent. */
  requests: number
  accepted: SnmpAcceptedCommunity[]
  /** Any well-formed v1/v2c response arrived (even an error response). */
  responded: boolean
  anomalies: SnmpAnomalies
  /** Whether the intrusive write test ran; results per accepted community when it did. */
  writeTest: {ran: boolean; results: SnmpWriteResult[]}
  /** Candidates left untried because the probe was cancelled or ran out of time. */
  untried: number
  /** Communities the agent answered with authorizationError (refused by its access control: no access). */
  denied?: Array<{credentialId: string; version: SnmpCommunityVersion; status: string}>
  /** How the sweep was paced: the pause between datagrams and the number of passes (1, or 2 with a retry pass). */
  pacing?: {intervalMs: number}
}

export type PiiType = 'email' | 'phone' | 'person-name'

export interface PiiMatch {
  type: PiiType
  /** Masked form, e.g. "j***@e***.net", "+** ** **** **58", "J*** D***". */
  redacted: string
}

export interface PiiFieldSummary {
  field: 'sysContact' | 'sysLocation'
  counts: Record<PiiType, number>
  matches: PiiMatch[]
}

export interface SnmpSystemData {
  /** The system group could be read without authentication (community or noAuthNoPriv user). */
  readable: boolean
  /** How it was read: a community id + version, or a v3 noAuth user id. */
  via: {credentialId: string; version: SnmpCommunityVersion | 'v3'} | null
  sysDescr: string | null
  sysObjectID: string | null
  /** Hundredths of a second. */
  sysUpTime: number | null
  sysName: string | null
  /** sysContact / sysLocation with detected personal data masked (the rest kept as is). */
  sysContact: string | null
  sysLocation: string | null
  pii: {total: number; fields: PiiFieldSummary[]}
}

export interface SnmpV3UserResult {
  /** Id in the built-in user list (`snmpv3-user-<n>`), never the name. */
  credentialId: string
  /** A noAuthNoPriv GET of sysDescr.0 succeeded. */
  accepted: boolean
  /** "read", "unknown-user", "wrong-level", "timeout", … */
  outcome: string
}

export interface SnmpV3Data {
  /** A Report PDU answered the unauthenticated discovery request. */
  discovered: boolean
  engineId: string | null
  engineBoots: number | null
  engineTime: number | null
  /** IANA enterprise number from the engine id when it uses the RFC 3411 format. */
  engineEnterprise: number | null
  /** OID of the report varbind (usmStatsUnknownEngineIDs.0 expected). */
  reportOid: string | null
  noAuthUsers: SnmpV3UserResult[]
  /** User-supplied SNMPv3 credentials were given (see `credentials`). */
  credentialsSupplied: boolean
  /** One entry per credential and security level tried (authPriv when a privacy protocol is given, then authNoPriv). */
  credentials: SnmpV3CredentialResult[]
  anomalies: SnmpAnomalies
}

export type SnmpV3AuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512'
export type SnmpV3PrivProtocol = 'des' | 'aes' | 'aes256b' | 'aes256r'
export const SNMP_V3_AUTH_PROTOCOLS: readonly SnmpV3AuthProtocol[] = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']
export const SNMP_V3_PRIV_PROTOCOLS: readonly SnmpV3PrivProtocol[] = ['des', 'aes', 'aes256b', 'aes256r']

export interface SnmpV3CredentialResult {
  /** `id` from the credentials file. */
  credentialId: string
  /** SNMPv3 user name as given in the credentials file (an identifier, not a secret). */
  user: string
  authProtocol: SnmpV3AuthProtocol
  /** The privacy protocol used for this attempt; null at authNoPriv. */
  privProtocol: SnmpV3PrivProtocol | null
  level: 'authPriv' | 'authNoPriv'
  /** accepted = GET sysDescr.0 answered; refused = USM report or no reply; untestable = could not be tried here. */
  result: 'accepted' | 'refused' | 'untestable'
  reason?: string
}
