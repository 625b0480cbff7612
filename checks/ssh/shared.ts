/**
 * Helpers shared by the SSH checks: defensive readers of the SSH observation payloads, the algorithm
 * classification through data/ssh/algorithms.json, and reference constants (standards-mapping.md §3.3,
 * §3.5; no [U] clause is cited). Everything here is pure apart from the one-time read of the data file.
 */
import type {CheckInput, CheckResult} from '../../src/checks/types.js'
import {SEVERITIES, type Reference, type Severity} from '../../src/evidence/types.js'
import {classifyAlgorithm, type AlgorithmCategory, type AlgorithmClass} from '../../src/probes/ssh/algorithms.js'
import {
  P_SSH_AUTH_METHODS,
  P_SSH_HOSTKEYS,
  P_SSH_KEXINIT,
  type SshAuthMethodsData,
  type SshHostKeyInfo,
  type SshKexinitData,
} from '../../src/probes/ssh/types.js'
import {cwe, itu, rfc} from '../../src/checks/references.js'

export {P_SSH_AUTH_METHODS, P_SSH_HOSTKEYS, P_SSH_KEXINIT}

export const SSH_SERVICE_PROTOCOLS = ['ssh'] as const

// ---------------------------------------------------------------------------------------------------------
// Typed readers (tolerate missing or malformed fields: a check never throws on odd data)

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function dataOf(input: CheckInput, probe: string): Record<string, unknown> {
  const data = input.observations[probe]?.data
  return isRecord(data) ? data : {}
}

export function readKexinit(input: CheckInput): SshKexinitData {
  const d = dataOf(input, P_SSH_KEXINIT)
  const ciphers = stringArray(d.ciphers)
  const macs = stringArray(d.macs)
  const compression = stringArray(d.compression)
  return {
    banner: str(d.banner),
    protocolVersion: str(d.protocolVersion),
    software: str(d.software),
    comments: str(d.comments),
    preBannerLines: stringArray(d.preBannerLines),
    kex: stringArray(d.kex),
    hostKey: stringArray(d.hostKey),
    ciphers,
    macs,
    compression,
    ciphersClientToServer: Array.isArray(d.ciphersClientToServer) ? stringArray(d.ciphersClientToServer) : ciphers,
    macsClientToServer: Array.isArray(d.macsClientToServer) ? stringArray(d.macsClientToServer) : macs,
    compressionClientToServer: Array.isArray(d.compressionClientToServer) ? stringArray(d.compressionClientToServer) : compression,
    languages: stringArray(d.languages),
    languagesClientToServer: stringArray(d.languagesClientToServer),
    firstKexPacketFollows: d.firstKexPacketFollows === true,
    sshV1Only: d.sshV1Only === true,
    preBannerLineCount: typeof d.preBannerLineCount === 'number' ? d.preBannerLineCount : stringArray(d.preBannerLines).length,
    anomalies: stringArray(d.anomalies),
  }
}

export function readHostKeys(input: CheckInput): SshHostKeyInfo[] {
  const d = dataOf(input, P_SSH_HOSTKEYS)
  if (!Array.isArray(d.keys)) return []
  const out: SshHostKeyInfo[] = []
  for (const k of d.keys) {
    if (!isRecord(k) || typeof k.algorithm !== 'string') continue
    const info: SshHostKeyInfo = {algorithm: k.algorithm}
    if (typeof k.type === 'string') info.type = k.type
    if (typeof k.bits === 'number' && Number.isFinite(k.bits)) info.bits = k.bits
    if (typeof k.curve === 'string') info.curve = k.curve
    if (typeof k.fingerprint === 'string') info.fingerprint = k.fingerprint
    if (typeof k.error === 'string') info.error = k.error
    out.push(info)
  }
  return out
}

export function readAuthMethods(input: CheckInput): SshAuthMethodsData {
  const d = dataOf(input, P_SSH_AUTH_METHODS)
  return {methods: stringArray(d.methods), noneAccepted: d.noneAccepted === true, username: str(d.username)}
}

// ---------------------------------------------------------------------------------------------------------
// Algorithm evaluation

/** Distinct names in first-seen order. */
export function unique(names: readonly string[]): string[] {
  return [...new Set(names)]
}

/** "a, b, c … and K more". */
export function formatList(items: readonly string[], max = 8): string {
  if (items.length === 0) return '(none)'
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')} … and ${items.length - max} more`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** The more severe of two severities. */
export function atLeast(current: Severity, floor: Severity): Severity {
  return SEVERITIES.indexOf(current) <= SEVERITIES.indexOf(floor) ? current : floor
}

function describe(c: AlgorithmClass): string {
  return `${c.name} (${c.reason})`
}

/**
 * The common shape of ssh.kex.weak / ssh.cipher.weak / ssh.mac.weak: classify every offered name (both
 * directions for ciphers and MACs), fail when any is at level `fail`, name `warn` and unknown ones in the
 * message, not_applicable when nothing was offered, inconclusive when no offered name is classifiable.
 * Pseudo-algorithms (ext-info-*, kex-strict-*) are ignored.
 */
export function evaluateAlgorithms(
  input: CheckInput,
  category: AlgorithmCategory,
  offered: readonly string[],
  what: string,
): CheckResult {
  const classes = unique(offered)
    .map((n) => classifyAlgorithm(category, n))
    .filter((c) => !c.pseudo)
  if (classes.length === 0) return {outcome: 'not_applicable', message: `The server offered no ${what} algorithm.`}
  const bad = classes.filter((c) => c.level === 'fail')
  const warn = classes.filter((c) => c.level === 'warn')
  const unknown = classes.filter((c) => c.level === 'unknown')
  const notes: string[] = []
  if (warn.length) notes.push(` Discouraged (not failing): ${formatList(warn.map(describe))}.`)
  if (unknown.length) notes.push(` Not in the algorithm database, not classified: ${formatList(unknown.map((c) => c.name))}.`)
  const note = notes.join('')
  if (bad.length) {
    let severity: Severity | undefined
    for (const c of bad) if (c.severity) severity = atLeast(severity ?? input.severity, c.severity)
    const result: CheckResult = {
      outcome: 'fail',
      message: `${plural(bad.length, `weak ${what} algorithm`)} offered: ${formatList(bad.map(describe))}.${note}`,
    }
    if (severity !== undefined && severity !== input.severity) result.severity = severity
    return result
  }
  if (unknown.length === classes.length) {
    return {outcome: 'inconclusive', message: `No offered ${what} algorithm could be classified.${note}`}
  }
  return {outcome: 'pass', message: `No weak ${what} algorithm among the ${plural(classes.length, `offered ${what} algorithm`)}.${note}`}
}

// ---------------------------------------------------------------------------------------------------------
// References (standards-mapping.md §1.2, §2, §3.3, §3.5; no [U] clause is cited)


export const REF = {
  X1352_AUTH: itu('X.1352', '§8.1'),
  X1352_CRYPTO: itu('X.1352', '§8.2'),
  X1352_PLATFORM: itu('X.1352', '§8.4'),
  X1214_CRYPTO: itu('X.1214', 'App. II.5'),
  /** Entity authentication assurance; clauses [U], cited at document level only. */
  X1254: itu('X.1254'),
  EN_5_1_1: {framework: 'ETSI EN 303 645', id: '5.1-1'},
  EN_5_5_1: {framework: 'ETSI EN 303 645', id: '5.5-1'},
  EN_5_6_2: {framework: 'ETSI EN 303 645', id: '5.6-2'},
  CR_1_1: {framework: 'IEC 62443-4-2', id: 'CR 1.1'},
  CR_1_9: {framework: 'IEC 62443-4-2', id: 'CR 1.9'},
  CR_3_1: {framework: 'IEC 62443-4-2', id: 'CR 3.1'},
  CR_4_1: {framework: 'IEC 62443-4-2', id: 'CR 4.1'},
  CR_4_3: {framework: 'IEC 62443-4-2', id: 'CR 4.3'},
  CR_7_6: {framework: 'IEC 62443-4-2', id: 'CR 7.6'},
  cwe,
  RFC4252: rfc('RFC 4252'),
  RFC4253: rfc('RFC 4253'),
  RFC4253_IDENT: rfc('RFC 4253', '§4.2'),
  RFC4344: rfc('RFC 4344'),
  RFC8332: rfc('RFC 8332'),
  RFC8758: rfc('RFC 8758'),
  RFC9142: rfc('RFC 9142'),
  NIST_800_131A: {framework: 'NIST', id: 'SP 800-131A Rev. 2'},
  BSI_TR_02102_4: {framework: 'BSI', id: 'TR-02102-4'},
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
