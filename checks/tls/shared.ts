/**
 * Helpers shared by the TLS checks: typed, defensive reading of the TLS observation payloads, suite
 * classification through the cipher-suite registry, wildcard matching, list formatting and the reference
 * constants that several checks cite. Everything here is pure.
 */

import type {Reference, Severity} from '../../src/evidence/types.js'
import {SEVERITIES} from '../../src/evidence/types.js'
import type {CheckInput, CheckResult} from '../../src/checks/types.js'
import type {
  CertificateInfo,
  CipherSuiteInfo,
  TlsCertificatesData,
  TlsCipherPreferenceData,
  TlsCipherSuitesData,
  TlsKeyExchangeData,
  TlsProtocol,
  TlsProtocolsData,
} from '../../src/probes/tls/types.js'
import {TLS_PROTOCOLS} from '../../src/probes/tls/types.js'
import type {NamedGroupInfo} from '../../src/probes/tls/registry.js'
import {cipherSuiteByName, namedGroupByName} from '../../src/probes/tls/registry.js'
import {cwe, itu, rfc} from '../../src/checks/references.js'

// ---------------------------------------------------------------------------------------------------------
// Probe names

export const P_PROTOCOLS = 'tls.protocols'
export const P_SUITES = 'tls.cipher-suites'
export const P_PREFERENCE = 'tls.cipher-preference'
export const P_CERTIFICATES = 'tls.certificates'
export const P_KEX = 'tls.key-exchange'

export const TLS_SERVICE_PROTOCOLS = ['tls', 'https'] as const

// ---------------------------------------------------------------------------------------------------------
// Small type guards

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

function boolOrNull(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function dataOf(input: CheckInput, probe: string): Record<string, unknown> {
  const data = input.observations[probe]?.data
  return isRecord(data) ? data : {}
}

/** The probe recorded `field` as a list (possibly empty): an empty list is then evidence, a missing one is not. */
export function hasArrayField(input: CheckInput, probe: string, field: string): boolean {
  return Array.isArray(dataOf(input, probe)[field])
}

// ---------------------------------------------------------------------------------------------------------
// Typed observation readers (tolerate missing or malformed fields: a check never throws on odd data)

/** Protocol versions, oldest first. */
export const PROTOCOL_ORDER: readonly TlsProtocol[] = TLS_PROTOCOLS

/** Protocols in which TLS ≤ 1.2 mechanisms (renegotiation, EMS, compression, CBC MAC-then-encrypt) exist. */
export const PRE_TLS13: readonly TlsProtocol[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2']

export function readProtocols(input: CheckInput): TlsProtocolsData {
  const d = dataOf(input, P_PROTOCOLS)
  const out = {} as TlsProtocolsData
  for (const p of TLS_PROTOCOLS) out[p] = d[p] === true
  return out
}

/** Accepted protocols, oldest first. */
/** What every protocol check says when the service completed no handshake on any version. */
export const NO_PROTOCOL_ACCEPTED: Readonly<CheckResult> = Object.freeze({
  outcome: 'not_applicable',
  message: 'The service accepted no SSL/TLS protocol version.',
})

/** What a protocol check says when nothing was accepted: not applicable, unless the probe could not test every
 *  version (a partial tls.protocols: the untested ones may be accepted) — then inconclusive with the reason. */
export function noProtocolAccepted(input: CheckInput): CheckResult {
  const partial = input.observations[P_PROTOCOLS]?.partial
  if (!partial) return NO_PROTOCOL_ACCEPTED
  const missing = partial.missing?.length ? ` (${partial.missing.join(', ')})` : ''
  return {outcome: 'inconclusive', message: `No SSL/TLS protocol version was seen accepted, but not every version could be tested${missing}: ${partial.message}`}
}

export function acceptedProtocols(data: TlsProtocolsData): TlsProtocol[] {
  return PROTOCOL_ORDER.filter((p) => data[p])
}

export function readCipherSuites(input: CheckInput): TlsCipherSuitesData {
  const d = dataOf(input, P_SUITES)
  const out: TlsCipherSuitesData = {}
  for (const p of TLS_PROTOCOLS) {
    if (p in d) out[p] = stringArray(d[p])
  }
  return out
}

export function readPreference(input: CheckInput): TlsCipherPreferenceData {
  const d = dataOf(input, P_PREFERENCE)
  const out: TlsCipherPreferenceData = {}
  for (const p of TLS_PROTOCOLS) {
    const v = d[p]
    if (isRecord(v)) out[p] = {serverOrder: boolOrNull(v.serverOrder)}
  }
  return out
}

function readCertificate(v: unknown): CertificateInfo | undefined {
  if (!isRecord(v)) return undefined
  const str = (k: string): string => (typeof v[k] === 'string' ? (v[k] as string) : '')
  const keyTypes = ['RSA', 'EC', 'Ed25519', 'Ed448', 'DSA', 'unknown'] as const
  const keyType = keyTypes.find((k) => k === v.keyType) ?? 'unknown'
  const cert: CertificateInfo = {
    subject: str('subject'),
    issuer: str('issuer'),
    serialNumber: str('serialNumber'),
    notBefore: str('notBefore'),
    notAfter: str('notAfter'),
    san: stringArray(v.san),
    keyType,
    keyBits: numberOrNull(v.keyBits) ?? 0,
    signatureAlgorithm: str('signatureAlgorithm'),
    sha256: str('sha256'),
    spkiSha256: str('spkiSha256'),
    selfSigned: v.selfSigned === true,
    isCA: v.isCA === true,
  }
  if (typeof v.curve === 'string') cert.curve = v.curve
  return cert
}

function certificatesFrom(d: Record<string, unknown>): TlsCertificatesData {
  const chain = Array.isArray(d.chain)
    ? d.chain.map(readCertificate).filter((c): c is CertificateInfo => c !== undefined)
    : []
  const sources = ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const
  const out: TlsCertificatesData = {
    chain,
    hostnameMatch: d.hostnameMatch === true,
    matchedName: typeof d.matchedName === 'string' ? d.matchedName : '',
    trusted: d.trusted === true,
    source: sources.find((s) => s === d.source) ?? 'TLSv1.2',
  }
  if (typeof d.trustError === 'string') out.trustError = d.trustError
  return out
}

/** The first served chain (the observation's top-level fields). */
export function readCertificates(input: CheckInput): TlsCertificatesData {
  return certificatesFrom(dataOf(input, P_CERTIFICATES))
}

/** A served chain and the name findings give it ("RSA chain", "EC chain"). */
export interface NamedChain {
  label: string
  data: TlsCertificatesData
}

/** Every chain the server served (one per key type); the top-level chain alone for older observations. */
export function readCertificateChains(input: CheckInput): NamedChain[] {
  const d = dataOf(input, P_CERTIFICATES)
  const raw = Array.isArray(d.chains) ? d.chains.filter(isRecord) : []
  if (raw.length === 0) return [{label: 'chain', data: certificatesFrom(d)}]
  const chains = raw.map((c) => ({keyType: typeof c.keyType === 'string' ? c.keyType : 'unknown', data: certificatesFrom(c)}))
  return chains.map((c, i) => {
    const same = chains.filter((o) => o.keyType === c.keyType).length > 1
    return {label: `${c.keyType} chain${same ? ` #${i + 1}` : ''}`, data: c.data}
  })
}

const OUTCOME_RANK: Record<string, number> = {fail: 0, error: 1, inconclusive: 2, pass: 3, not_applicable: 4, not_tested: 5}

/**
 * Judges every served certificate chain with a one-chain evaluation: any failing chain fails (the message
 * names which), a pass needs every chain to pass. With one chain the result is the chain's own.
 */
export function evaluateEveryChain(input: CheckInput, one: (chain: TlsCertificatesData) => CheckResult): CheckResult {
  const chains = readCertificateChains(input)
  const results = chains.map((c) => ({label: c.label, result: one(c.data)}))
  if (results.length === 1) return results[0]!.result
  const worst = Math.min(...results.map((r) => OUTCOME_RANK[r.result.outcome] ?? 5))
  const outcome = results.find((r) => (OUTCOME_RANK[r.result.outcome] ?? 5) === worst)!.result.outcome
  const shown = outcome === 'pass' || outcome === 'not_applicable' ? results : results.filter((r) => r.result.outcome === outcome)
  const message = shown.map((r) => `${r.label}: ${r.result.message}`).join(' ')
  let severity: Severity | undefined
  for (const r of shown) if (r.result.severity) severity = severity ? atLeast(severity, r.result.severity) : r.result.severity
  // A named condition (e.g. rsa-below-1024) met by any shown chain carries over: the profile sets its severity.
  const condition = shown.find((r) => r.result.condition !== undefined)?.result.condition
  return {outcome, message: `${results.length} certificate chains served. ${message}`, ...(severity ? {severity} : {}), ...(condition ? {condition} : {})}
}

export function readKeyExchange(input: CheckInput): TlsKeyExchangeData {
  const d = dataOf(input, P_KEX)
  return {
    groups: stringArray(d.groups),
    preferredGroup: typeof d.preferredGroup === 'string' ? d.preferredGroup : null,
    dheBits: numberOrNull(d.dheBits),
    compression: stringArray(d.compression),
    secureRenegotiation: boolOrNull(d.secureRenegotiation),
    extendedMasterSecret: boolOrNull(d.extendedMasterSecret),
    encryptThenMac: boolOrNull(d.encryptThenMac),
  }
}

// ---------------------------------------------------------------------------------------------------------
// Accepted cipher suites

export interface AcceptedSuite {
  protocol: TlsProtocol
  name: string
  /** Position in the protocol's list (0 = first: the server's preferred suite when it enforces an order). */
  index: number
  /** Registry row; undefined for names the registry does not know. */
  info: CipherSuiteInfo | undefined
}

function lookupSuite(name: string): CipherSuiteInfo | undefined {
  try {
    return cipherSuiteByName(name)
  } catch {
    return undefined
  }
}

/** Every accepted (protocol, suite) pair, oldest protocol first, in the probe's order within a protocol. */
export function acceptedSuites(data: TlsCipherSuitesData): AcceptedSuite[] {
  const out: AcceptedSuite[] = []
  for (const protocol of PROTOCOL_ORDER) {
    const names = data[protocol] ?? []
    names.forEach((name, index) => out.push({protocol, name, index, info: lookupSuite(name)}))
  }
  return out
}

/** Distinct suite names, in first-seen order. */
export function uniqueNames(suites: readonly AcceptedSuite[]): string[] {
  return [...new Set(suites.map((s) => s.name))]
}

/** "NAME (TLSv1.0, TLSv1.2)" per distinct suite. */
export function describeSuites(suites: readonly AcceptedSuite[]): string[] {
  const byName = new Map<string, TlsProtocol[]>()
  for (const s of suites) {
    const list = byName.get(s.name) ?? []
    if (!list.includes(s.protocol)) list.push(s.protocol)
    byName.set(s.name, list)
  }
  return [...byName].map(([name, protocols]) => `${name} (${protocols.join(', ')})`)
}

/** Sentence noting suites the registry could not classify, or '' when there are none. */
export function unknownNote(suites: readonly AcceptedSuite[]): string {
  const unknown = uniqueNames(suites.filter((s) => s.info === undefined))
  if (unknown.length === 0) return ''
  return ` ${unknown.length} accepted suite(s) not in the cipher-suite registry, not classified: ${formatList(unknown)}.`
}

/** Bulk cipher uses a 64-bit block (DES, 3DES, IDEA, RC2 and their export variants). */
export function is64BitBlockCipher(info: CipherSuiteInfo): boolean {
  return /^(3DES|DES|IDEA|RC2)/.test(info.cipher.toUpperCase())
}

export function isRc4(info: CipherSuiteInfo): boolean {
  return info.cipher.toUpperCase().startsWith('RC4')
}

export function isNullCipher(info: CipherSuiteInfo): boolean {
  return info.cipher.toUpperCase() === 'NULL' || info.mode === 'none' || info.cipherBits === 0
}

/**
 * The common shape of the "no accepted suite may be X" checks: not_applicable when nothing was accepted,
 * fail naming every offending suite with its protocols, pass otherwise. Unknown suites are mentioned.
 */
export function evaluateSuitePredicate(
  input: CheckInput,
  predicate: (info: CipherSuiteInfo) => boolean,
  what: string,
): CheckResult {
  const suites = acceptedSuites(readCipherSuites(input))
  if (suites.length === 0) {
    const partial = input.observations[P_SUITES]?.partial
    if (partial) return {outcome: 'inconclusive', message: `No cipher suite was seen accepted, but the enumeration is incomplete: ${partial.message}`}
    return {outcome: 'not_applicable', message: 'No cipher suite was accepted.'}
  }
  const note = unknownNote(suites)
  if (suites.every((s) => s.info === undefined)) {
    return {outcome: 'inconclusive', message: `No accepted suite could be classified.${note}`}
  }
  const bad = suites.filter((s) => s.info !== undefined && predicate(s.info))
  if (bad.length > 0) {
    const names = describeSuites(bad)
    return {outcome: 'fail', message: `${plural(names.length, `${what} suite`)} accepted: ${formatList(names)}.${note}`}
  }
  const total = uniqueNames(suites).length
  return {outcome: 'pass', message: `No ${what} suite among the ${plural(total, 'accepted suite')}.${note}`}
}

/** Suite gives forward secrecy (every TLS 1.3 suite does: its key exchange is (EC)DHE key_share). */
export function hasForwardSecrecy(info: CipherSuiteInfo): boolean {
  return info.forwardSecrecy || info.tls13
}

/** Newest protocol that has at least one accepted suite. */
export function bestSuiteProtocol(data: TlsCipherSuitesData): TlsProtocol | undefined {
  return [...PROTOCOL_ORDER].reverse().find((p) => (data[p]?.length ?? 0) > 0)
}

/** Registry row of a named group; undefined for names the registry does not know. */
export function lookupGroup(name: string): NamedGroupInfo | undefined {
  try {
    return namedGroupByName(name)
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------------------
// Text helpers

/** Joins items with ", ", showing at most `max` and then "… and K more". */
export function formatList(items: readonly string[], max = 6): string {
  if (items.length === 0) return '(none)'
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')} … and ${items.length - max} more`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** Case-insensitive match of an IANA name against a pattern where `*` matches any run of characters. */
export function wildcardMatch(pattern: string, name: string): boolean {
  const escaped = pattern
    .trim()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${escaped}$`, 'i').test(name.trim())
}

/** The more severe of two severities. */
export function atLeast(current: Severity, floor: Severity): Severity {
  return SEVERITIES.indexOf(current) <= SEVERITIES.indexOf(floor) ? current : floor
}

// ---------------------------------------------------------------------------------------------------------
// Certificates

/** A short label for a certificate: its CN, else the whole subject. */
export function certName(cert: CertificateInfo): string {
  const cn = /(?:^|,)\s*CN=((?:\\,|[^,])*)/i.exec(cert.subject)
  const name = cn?.[1]?.trim() || cert.subject || `serial ${cert.serialNumber || '?'}`
  return name
}

/** "leaf CN" / "intermediate #1 CN" / "root CN" for position `i` in a chain of length `n`. */
export function certLabel(cert: CertificateInfo, i: number): string {
  const role = i === 0 ? 'leaf' : cert.selfSigned ? 'root' : `intermediate #${i}`
  return `${role} "${certName(cert)}"`
}

/** Parses an ISO 8601 date; undefined when unparseable. */
export function parseDate(s: string): Date | undefined {
  if (!s) return undefined
  const t = Date.parse(s)
  return Number.isNaN(t) ? undefined : new Date(t)
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** Hash of a certificate signature algorithm, normalised to "md5", "sha1", "sha256", … (undefined if none). */
export function signatureHash(algorithm: string): string | undefined {
  const m = /(md[245]|sha3-(?:224|256|384|512)|sha-?(?:1|224|256|384|512))(?![0-9])/i.exec(algorithm)
  if (!m?.[1]) return undefined
  return m[1].toLowerCase().replace(/^sha-/, 'sha')
}

export function normaliseHashName(h: string): string {
  return h.trim().toLowerCase().replace(/^sha-/, 'sha')
}

// ---------------------------------------------------------------------------------------------------------
// References (standards-mapping.md §1.2, §2, §3.1–3.2; no [U] clause is cited)


export const REF = {
  X805_AUTH: itu('X.805', '§6.2'),
  X805_CONF: itu('X.805', '§6.4'),
  X805_INTEG: itu('X.805', '§6.6'),
  X509: itu('X.509'),
  X1352_AUTH: itu('X.1352', '§8.1'),
  X1352_CRYPTO: itu('X.1352', '§8.2'),
  X1352_DATA: itu('X.1352', '§8.3'),
  X1214_CRYPTO: itu('X.1214', 'App. II.5'),
  X1811_TLS: itu('X.1811', '§8.3.1'),
  EN_5_5_1: {framework: 'ETSI EN 303 645', id: '5.5-1'},
  EN_5_5_3: {framework: 'ETSI EN 303 645', id: '5.5-3'},
  CR_1_8: {framework: 'IEC 62443-4-2', id: 'CR 1.8'},
  CR_1_9: {framework: 'IEC 62443-4-2', id: 'CR 1.9'},
  CR_3_1: {framework: 'IEC 62443-4-2', id: 'CR 3.1'},
  CR_3_1_RE1: {framework: 'IEC 62443-4-2', id: 'CR 3.1', clause: 'RE 1'},
  CR_4_1: {framework: 'IEC 62443-4-2', id: 'CR 4.1'},
  CR_4_3: {framework: 'IEC 62443-4-2', id: 'CR 4.3'},
  cwe,
  RFC8996: rfc('RFC 8996'),
  RFC9325_VERSIONS: rfc('RFC 9325', '§3.1.1'),
  RFC9325_COMPRESSION: rfc('RFC 9325', '§3.3'),
  RFC9325_EXTENSIONS: rfc('RFC 9325', '§3.5'),
  RFC9325_SUITES: rfc('RFC 9325', '§4.1'),
  RFC9325_RECOMMENDED: rfc('RFC 9325', '§4.2'),
  RFC9325_KEYS: rfc('RFC 9325', '§4.5'),
  RFC5746: rfc('RFC 5746'),
  RFC7366: rfc('RFC 7366'),
  RFC7627: rfc('RFC 7627'),
  RFC5280_VALIDITY: rfc('RFC 5280', '§4.1.2.5'),
  RFC5280_SAN: rfc('RFC 5280', '§4.2.1.6'),
  RFC5280_PATH: rfc('RFC 5280', '§6'),
  RFC9525: rfc('RFC 9525'),
  RFC9155: rfc('RFC 9155'),
  NIST_800_52: {framework: 'NIST', id: 'SP 800-52r2'},
  BSI_TR_02102_2: {framework: 'BSI', id: 'TR-02102-2'},
  MOZILLA: {framework: 'Mozilla', id: 'Server Side TLS 6.0'},
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
