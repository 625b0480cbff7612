/**
 * ClientHello shapes: the fallback ladder for stacks that are intolerant of some hellos.
 *
 * Real embedded stacks drop or reset hellos of 256–511 bytes (the F5 window RFC 7685 works around), hellos
 * with more than 64 suites, padded hellos, or any extension at all. Each shape below is one way of asking
 * the same question; the probe climbs the ladder on its first hello until the device answers, then uses that
 * shape for the whole scan and records what each tried shape got (evidence of its own).
 *
 *  - full:      every suite in one hello, every extension, RFC 7685 padding (hello ≥ 512 bytes)
 *  - chunks-64: at most 64 suites per hello, otherwise as full (still ≥ 512 bytes)
 *  - small:     hellos under 256 bytes: few suites, short group/signature lists, no padding
 *  - bare:      no extensions at all, under 256 bytes (SSL-era stacks)
 * SSLv3 hellos carry no extensions and cannot be padded, so they are always kept under 256 bytes.
 */
import {buildClientHello, COMPRESSION_DEFLATE, COMPRESSION_NULL} from './clienthello.js'
import type {TlsProtocol} from './types.js'

export type HelloShape = 'full' | 'chunks-64' | 'small' | 'bare'

export const SHAPE_LADDER: readonly HelloShape[] = ['full', 'chunks-64', 'small', 'bare']

/** Size classes of a ClientHello handshake message: the window is where intolerant stacks go silent. */
export type SizeClass = 'small' | 'window' | 'large'

/** Largest ClientHello record (header included) of the small shapes: the message stays below 256 bytes. */
export const SMALL_RECORD_LIMIT = 255

const SMALL_GROUPS_12: readonly number[] = [29, 23, 24, 25]
const SMALL_GROUPS_13: readonly number[] = [29, 23, 24]
/** ECDSA, RSA-PSS and PKCS#1 at SHA-256/384, and SHA-1 for old servers: 8 schemes. */
const SMALL_SIGALGS: readonly number[] = [0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501, 0x0203, 0x0201]

export function sizeClassOf(hello: Buffer): SizeClass {
  // The F5 window is about the handshake message, i.e. the record without its 5-byte header.
  const len = hello.length - 5
  if (len < 256) return 'small'
  return len < 512 ? 'window' : 'large'
}

export interface HelloRequest {
  protocol: Exclude<TlsProtocol, 'SSLv2'>
  suites: readonly number[]
  targetName?: string
  /** supported_groups override (group enumeration). */
  groups?: readonly number[]
  /** TLS 1.3 key shares (default x25519; [] = empty client_shares). */
  keyShareGroups?: readonly number[]
  /** Signature schemes override (certificate selection per key type). */
  signatureAlgorithms?: readonly number[]
  /** Offer DEFLATE besides null (TLS ≤ 1.2 compression test). */
  deflate?: boolean
}

/** Builds one hello of `shape`. */
export function buildShapedHello(shape: HelloShape, r: HelloRequest): Buffer {
  const compact = shape === 'small' || shape === 'bare'
  const tls13 = r.protocol === 'TLSv1.3'
  return buildClientHello({
    version: r.protocol,
    cipherSuites: r.suites,
    targetName: r.targetName,
    compression: r.deflate && !tls13 ? [COMPRESSION_DEFLATE, COMPRESSION_NULL] : [COMPRESSION_NULL],
    groups: r.groups ?? (compact ? (tls13 ? SMALL_GROUPS_13 : SMALL_GROUPS_12) : undefined),
    keyShareGroups: r.keyShareGroups,
    signatureAlgorithms: r.signatureAlgorithms ?? (compact ? SMALL_SIGALGS : undefined),
    padding: !compact,
    noExtensions: shape === 'bare',
    sessionTicket: !compact,
  })
}

/**
 * Most items (suites, or groups when `vary` is 'groups') one hello of this shape may carry: unlimited for
 * full, 64 for chunks-64, and as many as keep the record under 256 bytes for small/bare and for SSLv3.
 */
export function maxPerHello(shape: HelloShape, r: HelloRequest, vary: 'suites' | 'groups', items: readonly number[]): number {
  const sizeLimited = shape === 'small' || shape === 'bare' || r.protocol === 'SSLv3'
  if (!sizeLimited) return shape === 'chunks-64' && vary === 'suites' ? 64 : items.length
  const build = (n: number): Buffer =>
    buildShapedHello(shape, vary === 'suites' ? {...r, suites: items.slice(0, n)} : {...r, groups: items.slice(0, n)})
  // Linear from the top: hellos are cheap to build and the lists are short (≤ ~350 suites, ≤ 45 groups).
  let lo = 1
  let hi = items.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (build(mid).length <= SMALL_RECORD_LIMIT) lo = mid
    else hi = mid - 1
  }
  // SSLv3 hellos also carry TLS_EMPTY_RENEGOTIATION_INFO_SCSV: 63 of ours + the SCSV stay within 64.
  const limit = shape === 'chunks-64' && vary === 'suites' ? Math.min(lo, r.protocol === 'SSLv3' ? 63 : 64) : lo
  return Math.max(1, limit)
}

export function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** What the device did with one tried shape (first hello of the scan in that shape). */
export type ShapeResult = 'answered' | 'alert' | 'silent' | 'reset' | 'closed' | 'error'

/** Per-device record of the ladder: which shapes were tried, what each got, which one the scan used. */
export interface ShapeRecord {
  tried: Array<{shape: HelloShape; bytes: number; result: ShapeResult}>
  chosen: HelloShape
  /** Hello size classes the device answered at least once (with a ServerHello or an alert). */
  toleratedSizes: SizeClass[]
}
