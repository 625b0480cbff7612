/**
 * Helpers shared by the SNMP checks (and pii.snmp.contact-location): defensive readers of the SNMP observation
 * payloads and reference constants (standards-mapping.md §1.2, §2.8, §3.6, §3.7; no [U] clause is cited).
 * Payloads name credentials by dataset id only; so do the messages built here.
 */
import type {CheckInput} from '../../src/checks/types.js'
import type {Reference} from '../../src/evidence/types.js'
import {
  P_SNMP_COMMUNITIES,
  P_SNMP_SYSTEM,
  P_SNMP_V3,
  SNMP_V3_AUTH_PROTOCOLS,
  SNMP_V3_PRIV_PROTOCOLS,
  type PiiFieldSummary,
  type PiiType,
  type SnmpAcceptedCommunity,
  type SnmpCommunitiesData,
  type SnmpSystemData,
  type SnmpV3CredentialResult,
  type SnmpV3Data,
  type SnmpV3UserResult,
  type SnmpWriteResult,
} from '../../src/probes/snmp/types.js'
import {cr, cwe, en, itu, rfc} from '../../src/checks/references.js'

export {P_SNMP_COMMUNITIES, P_SNMP_SYSTEM, P_SNMP_V3}

export const SNMP_SERVICE_PROTOCOLS = ['snmp'] as const

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : []
}

function strOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

function dataOf(input: CheckInput, probe: string): Record<string, unknown> {
  const data = input.observations[probe]?.data
  return isRecord(data) ? data : {}
}

const VERSIONS = new Set(['v1', 'v2c'])

export function readCommunities(input: CheckInput): SnmpCommunitiesData {
  const d = dataOf(input, P_SNMP_COMMUNITIES)
  const accepted: SnmpAcceptedCommunity[] = records(d.accepted)
    .filter((a) => typeof a.credentialId === 'string' && VERSIONS.has(a.version as string))
    .map((a) => ({
      credentialId: a.credentialId as string,
      version: a.version as 'v1' | 'v2c',
      access: a.access === 'write' ? 'write' : 'read',
    }))
  const wt = isRecord(d.writeTest) ? d.writeTest : {}
  const results: SnmpWriteResult[] = records(wt.results)
    .filter((r) => typeof r.credentialId === 'string')
    .map((r) => {
      const out: SnmpWriteResult = {
        credentialId: r.credentialId as string,
        version: r.version === 'v1' ? 'v1' : 'v2c',
        setAccepted: r.setAccepted === true,
        unchanged: typeof r.unchanged === 'boolean' ? r.unchanged : null,
      }
      if (typeof r.restored === 'boolean') out.restored = r.restored
      if (typeof r.error === 'string') out.error = r.error
      if (typeof r.object === 'string') out.object = r.object
      if (r.verdict === 'write' || r.verdict === 'denied' || r.verdict === 'ambiguous') out.verdict = r.verdict
      const attempts = records(r.attempts).filter((a) => typeof a.object === 'string' && typeof a.result === 'string')
      if (attempts.length) {
        out.attempts = attempts.map((a) => ({
          object: a.object as string,
          result: a.result as string,
          class: a.class === 'denied' || a.class === 'past-access-control' ? a.class : 'ambiguous',
        }))
      }
      return out
    })
  const an = isRecord(d.anomalies) ? d.anomalies : {}
  return {
    dataset: strOrNull(d.dataset) ?? '',
    tried: num(d.tried),
    versions: Array.isArray(d.versions) ? d.versions.filter((v): v is 'v1' | 'v2c' => VERSIONS.has(v as string)) : [],
    requests: num(d.requests),
    accepted,
    responded: d.responded === true,
    anomalies: {malformed: num(an.malformed), oversized: num(an.oversized), unmatched: num(an.unmatched), foreign: num(an.foreign)},
    writeTest: {ran: wt.ran === true, results},
    untried: num(d.untried),
  }
}

const PII_TYPES: readonly PiiType[] = ['email', 'phone', 'person-name']

export function readSystem(input: CheckInput): SnmpSystemData {
  const d = dataOf(input, P_SNMP_SYSTEM)
  const via = isRecord(d.via) && typeof d.via.credentialId === 'string' ? {credentialId: d.via.credentialId, version: (d.via.version === 'v1' || d.via.version === 'v2c' || d.via.version === 'v3' ? d.via.version : 'v2c') as 'v1' | 'v2c' | 'v3'} : null
  const pii = isRecord(d.pii) ? d.pii : {}
  const fields: PiiFieldSummary[] = records(pii.fields)
    .filter((f) => f.field === 'sysContact' || f.field === 'sysLocation')
    .map((f) => {
      const counts = isRecord(f.counts) ? f.counts : {}
      return {
        field: f.field as 'sysContact' | 'sysLocation',
        counts: {email: num(counts.email), phone: num(counts.phone), 'person-name': num(counts['person-name'])},
        matches: records(f.matches)
          .filter((m) => PII_TYPES.includes(m.type as PiiType) && typeof m.redacted === 'string')
          .map((m) => ({type: m.type as PiiType, redacted: m.redacted as string})),
      }
    })
  return {
    readable: d.readable === true,
    via,
    sysDescr: strOrNull(d.sysDescr),
    sysObjectID: strOrNull(d.sysObjectID),
    sysUpTime: typeof d.sysUpTime === 'number' ? d.sysUpTime : null,
    sysName: strOrNull(d.sysName),
    sysContact: strOrNull(d.sysContact),
    sysLocation: strOrNull(d.sysLocation),
    pii: {total: num(pii.total), fields},
  }
}

export function readV3(input: CheckInput): SnmpV3Data {
  const d = dataOf(input, P_SNMP_V3)
  const users: SnmpV3UserResult[] = records(d.noAuthUsers)
    .filter((u) => typeof u.credentialId === 'string')
    .map((u) => ({credentialId: u.credentialId as string, accepted: u.accepted === true, outcome: strOrNull(u.outcome) ?? ''}))
  const an = isRecord(d.anomalies) ? d.anomalies : {}
  return {
    discovered: d.discovered === true,
    engineId: strOrNull(d.engineId),
    engineBoots: typeof d.engineBoots === 'number' ? d.engineBoots : null,
    engineTime: typeof d.engineTime === 'number' ? d.engineTime : null,
    engineEnterprise: typeof d.engineEnterprise === 'number' ? d.engineEnterprise : null,
    reportOid: strOrNull(d.reportOid),
    noAuthUsers: users,
    credentialsSupplied: d.credentialsSupplied === true,
    credentials: records(d.credentials).flatMap((c): SnmpV3CredentialResult[] => {
      const auth = SNMP_V3_AUTH_PROTOCOLS.find((p) => p === c.authProtocol)
      const priv = SNMP_V3_PRIV_PROTOCOLS.find((p) => p === c.privProtocol) ?? null
      const level = c.level === 'authPriv' || c.level === 'authNoPriv' ? c.level : null
      const result = c.result === 'accepted' || c.result === 'refused' || c.result === 'untestable' ? c.result : null
      if (typeof c.credentialId !== 'string' || !auth || !level || !result) return []
      const r: SnmpV3CredentialResult = {credentialId: c.credentialId, user: strOrNull(c.user) ?? '', authProtocol: auth, privProtocol: priv, level, result}
      if (typeof c.reason === 'string') r.reason = c.reason
      return [r]
    }),
    anomalies: {malformed: num(an.malformed), oversized: num(an.oversized), unmatched: num(an.unmatched), foreign: num(an.foreign)},
  }
}

/**
 * Why an unreadable system group proves nothing (undefined when it does prove the group is closed): the read
 * itself must have been possible to fail for lack of access, i.e. communities were tried and none was accepted.
 */
export function unreadableSystemDoubt(input: CheckInput): string | undefined {
  const s = input.observations[P_SNMP_SYSTEM]?.data
  if (!isRecord(s) || typeof s.readable !== 'boolean') return 'The system-group observation is empty.'
  const c = readCommunities(input)
  if (c.accepted.length > 0) return `${describeAccepted(c.accepted).join(', ')} accepted, but the system group could not be read with it.`
  if (c.tried === 0) return 'No community was tried, so nothing shows the system group is closed.'
  if (c.untried > 0) return `${c.untried} communities were left untried.`
  return undefined
}

/** Distinct credential ids with the versions each was accepted for: "snmp-common-1 (v1, v2c)". */
export function describeAccepted(accepted: readonly SnmpAcceptedCommunity[]): string[] {
  const byId = new Map<string, string[]>()
  for (const a of accepted) byId.set(a.credentialId, [...(byId.get(a.credentialId) ?? []), a.version])
  return [...byId].map(([id, versions]) => `${id} (${[...new Set(versions)].join(', ')})`)
}

export function formatList(items: readonly string[], max = 8): string {
  if (items.length === 0) return '(none)'
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')} … and ${items.length - max} more`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** Truncates and quotes a device-supplied string for a message (control characters already escaped by the probe). */
export function quote(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s)
}

// ---------------------------------------------------------------------------------------------------------
// References (standards-mapping.md §1.2, §2.8, §3.6, §3.7; X.1352 cited at dimension level only)


export const REF = {
  X805_ACCESS: itu('X.805', '§6.1'),
  X805_AUTH: itu('X.805', '§6.2'),
  X805_CONF: itu('X.805', '§6.4'),
  X805_PRIVACY: itu('X.805', '§6.8'),
  X805_MGMT: itu('X.805', '§8.1'),
  X1352_AUTH: itu('X.1352', '§8.1'),
  X1352_CRYPTO: itu('X.1352', '§8.2'),
  X1352_DATA: itu('X.1352', '§8.3'),
  X1352_PLATFORM: itu('X.1352', '§8.4'),
  X1214_CRYPTO: itu('X.1214', 'App. II.5'),
  /** PII protection (= ISO/IEC 29151); clauses [U], document level only. */
  X1058: itu('X.1058'),
  EN_5_1_1: en('5.1-1'),
  EN_5_5_1: en('5.5-1'),
  EN_5_5_4: en('5.5-4'),
  EN_5_5_5: en('5.5-5'),
  EN_5_6_1: en('5.6-1'),
  EN_5_6_2: en('5.6-2'),
  EN_5_8_1: en('5.8-1'),
  CR_1_2: cr('CR 1.2'),
  CR_1_5: cr('CR 1.5'),
  CR_2_1: cr('CR 2.1'),
  CR_4_1: cr('CR 4.1'),
  CR_4_3: cr('CR 4.3'),
  CR_7_6: cr('CR 7.6'),
  cwe,
  RFC3414: rfc('RFC 3414'),
  RFC3418: rfc('RFC 3418'),
  RFC3584: rfc('RFC 3584'),
  RFC3826: rfc('RFC 3826'),
  RFC3871: rfc('RFC 3871'),
  RFC7860: rfc('RFC 7860'),
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
