/**
 * ClientHello builders: SSLv3 (RFC 6101 §5.6.1.2), TLS 1.0–1.2 (RFC 5246 §7.4.1.2), TLS 1.3 (RFC 8446 §4.1.2)
 * and the SSLv2 CLIENT-HELLO (SSLv2 draft §2.5). Output is a complete record ready to write to a socket.
 */
import {createECDH, generateKeyPairSync, randomBytes} from 'node:crypto'
import {isIP} from 'node:net'

import type {TlsProtocol} from './types.js'

export const PROTOCOL_VERSION: Record<TlsProtocol, number> = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  'TLSv1.0': 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
}

export function protocolFromVersion(v: number): TlsProtocol | undefined {
  for (const [k, code] of Object.entries(PROTOCOL_VERSION)) if (code === v) return k as TlsProtocol
  return undefined
}

export const EXT = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  padding: 21,
  encryptThenMac: 22,
  extendedMasterSecret: 23,
  sessionTicket: 35,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  renegotiationInfo: 0xff01,
} as const

export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff

export const COMPRESSION_NULL = 0
export const COMPRESSION_DEFLATE = 1

/** Broad signature_algorithms list (RFC 5246 §7.4.1.4.1 pairs and RFC 8446 schemes), legacy ones included so
 *  old servers still find something they can sign with. */
export const SIGNATURE_ALGORITHMS: readonly number[] = [
  0x0403, 0x0503, 0x0603, // ecdsa_secp{256,384,521}r1_sha{256,384,512}
  0x0807, 0x0808, // ed25519, ed448
  0x0804, 0x0805, 0x0806, // rsa_pss_rsae_*
  0x0809, 0x080a, 0x080b, // rsa_pss_pss_*
  0x081a, 0x081b, 0x081c, // ecdsa_brainpool*tls13
  0x0401, 0x0501, 0x0601, // rsa_pkcs1_sha{256,384,512}
  0x0402, 0x0502, 0x0602, // dsa_sha{256,384,512}
  0x0303, 0x0301, 0x0302, // sha224 ecdsa / rsa / dsa
  0x0203, 0x0201, 0x0202, // sha1 ecdsa / rsa / dsa
  0x0103, 0x0101, 0x0102, // md5 ecdsa / rsa / dsa
]

/** TLS 1.3 signature schemes (no PKCS#1 v1.5 / SHA-1 for CertificateVerify, but allowed for certificates). */
export const SIGNATURE_SCHEMES_13: readonly number[] = SIGNATURE_ALGORITHMS

/** EC groups (RFC 8422 / RFC 4492 / RFC 7027 / RFC 8734) usable for ECDHE in TLS ≤1.2, common first. */
export const EC_GROUPS_12: readonly number[] = [
  29, 23, 24, 30, 25, 26, 27, 28, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
  31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
]

/** Groups usable in TLS 1.3 key_share (RFC 8446 §4.2.7 plus later registrations), in client preference order. */
export const GROUPS_13: readonly number[] = [
  0x11ec, // X25519MLKEM768
  29, // x25519
  23, // secp256r1
  0x11eb, // SecP256r1MLKEM768
  30, // x448
  24, // secp384r1
  25, // secp521r1
  0x11ed, // SecP384r1MLKEM1024
  256, 257, 258, 259, 260, // ffdhe2048..8192
  31, 32, 33, // brainpoolP*r1tls13
  512, 513, 514, // MLKEM512/768/1024
  0x6399, 0x639a, // X25519Kyber768Draft00, SecP256r1Kyber768Draft00 (obsolete drafts)
  34, 35, 36, 37, 38, 39, 40, 41, // GOST, curveSM2
]

export interface KeyShare {
  group: number
  publicKey: Buffer
}

/** Generates a real ephemeral key share for the groups node:crypto supports; undefined for others. */
export function generateKeyShare(group: number): KeyShare | undefined {
  const raw = (type: 'x25519' | 'x448'): Buffer => {
    const {publicKey} = type === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448')
    const der = publicKey.export({type: 'spki', format: 'der'})
    return Buffer.from(der.subarray(der.length - (type === 'x25519' ? 32 : 56)))
  }
  const ec = (curve: string): Buffer => {
    const ecdh = createECDH(curve)
    return ecdh.generateKeys() // uncompressed point
  }
  switch (group) {
    case 29:
      return {group, publicKey: raw('x25519')}
    case 30:
      return {group, publicKey: raw('x448')}
    case 23:
      return {group, publicKey: ec('prime256v1')}
    case 24:
      return {group, publicKey: ec('secp384r1')}
    case 25:
      return {group, publicKey: ec('secp521r1')}
    default:
      return undefined
  }
}

/** SNI host name: only for DNS names, never IP literals (RFC 6066 §3). */
export function sniName(target: string | undefined): string | undefined {
  if (!target) return undefined
  let name = target.trim()
  if (name.startsWith('[') && name.endsWith(']')) return undefined
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (!name || isIP(name) !== 0) return undefined
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return undefined
  return name.toLowerCase()
}

// -------------------------------------------------------------------------------------------------------
// Byte helpers

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff])
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}
function u24(n: number): Buffer {
  const b = Buffer.alloc(3)
  b.writeUIntBE(n, 0, 3)
  return b
}
/** Vector with a 1-, 2- or 3-byte length prefix. */
export function vec(lenBytes: 1 | 2 | 3, body: Buffer): Buffer {
  const prefix = lenBytes === 1 ? u8(body.length) : lenBytes === 2 ? u16(body.length) : u24(body.length)
  return Buffer.concat([prefix, body])
}
function u16list(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16))
}
function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec(2, body)])
}

// -------------------------------------------------------------------------------------------------------

export interface ClientHelloOptions {
  /** Version to offer: SSLv3…TLSv1.2 via client_version, TLSv1.3 via supported_versions. */
  version: Exclude<TlsProtocol, 'SSLv2'>
  cipherSuites: readonly number[]
  /** Name used to reach the target; sent as SNI only when it is a DNS name. */
  targetName?: string
  /** supported_groups; defaults: EC_GROUPS_12 (≤1.2), GROUPS_13 (1.3). Empty array → extension omitted. */
  groups?: readonly number[]
  /** TLS 1.3: groups to send key shares for (default [x25519]); an empty array sends an empty client_shares. */
  keyShareGroups?: readonly number[]
  /** Compression methods (default [null]). The null method is appended if missing. */
  compression?: readonly number[]
  signatureAlgorithms?: readonly number[]
  /** TLS ≤1.2 options (all default true). */
  renegotiationInfo?: boolean
  extendedMasterSecret?: boolean
  encryptThenMac?: boolean
  sessionTicket?: boolean
  ecPointFormats?: boolean
  /** Pad the handshake to avoid the 256–511-byte F5 bug (RFC 7685; default true). */
  padding?: boolean
  /** No extensions at all (TLS ≤ 1.2 only): the shape old SSL-era stacks accept. */
  noExtensions?: boolean
  random?: Buffer
  sessionId?: Buffer
  /** Record-layer version (default 0x0300 for SSLv3, else 0x0301). */
  recordVersion?: number
}

/** Wraps a handshake message in handshake and record headers. */
export function handshakeRecord(hsType: number, body: Buffer, recordVersion: number): Buffer {
  const hs = Buffer.concat([u8(hsType), u24(body.length), body])
  return Buffer.concat([u8(22), u16(recordVersion), u16(hs.length), hs])
}

/** Builds a ClientHello record. */
export function buildClientHello(opts: ClientHelloOptions): Buffer {
  const tls13 = opts.version === 'TLSv1.3'
  const ssl3 = opts.version === 'SSLv3'
  const clientVersion = tls13 ? 0x0303 : PROTOCOL_VERSION[opts.version]
  const random = opts.random ?? randomBytes(32)
  if (random.length !== 32) throw new Error('random must be 32 bytes')
  const sessionId = opts.sessionId ?? (tls13 ? randomBytes(32) : Buffer.alloc(0))
  let suites = [...opts.cipherSuites]
  if (ssl3 && opts.renegotiationInfo !== false && !suites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) {
    suites.push(TLS_EMPTY_RENEGOTIATION_INFO_SCSV)
  }
  suites = suites.filter((s) => s >= 0 && s <= 0xffff)
  const compression = [...(opts.compression ?? [COMPRESSION_NULL])]
  if (!compression.includes(COMPRESSION_NULL)) compression.push(COMPRESSION_NULL)

  const head = Buffer.concat([
    u16(clientVersion),
    random,
    vec(1, sessionId),
    vec(2, u16list(suites)),
    vec(1, Buffer.from(compression)),
  ])

  // SSLv3 hellos carry no extensions: some SSLv3-era stacks reject trailing data.
  if (ssl3) return handshakeRecord(1, head, opts.recordVersion ?? 0x0300)
  if (opts.noExtensions && !tls13) return handshakeRecord(1, head, opts.recordVersion ?? 0x0301)

  const exts: Buffer[] = []
  const sni = sniName(opts.targetName)
  if (sni) {
    const entry = Buffer.concat([u8(0), vec(2, Buffer.from(sni, 'ascii'))])
    exts.push(ext(EXT.serverName, vec(2, entry)))
  }
  const groups = opts.groups ?? (tls13 ? GROUPS_13 : EC_GROUPS_12)
  if (groups.length) exts.push(ext(EXT.supportedGroups, vec(2, u16list(groups))))
  if (!tls13 && opts.ecPointFormats !== false) exts.push(ext(EXT.ecPointFormats, vec(1, Buffer.from([0, 1, 2]))))
  // signature_algorithms is TLS 1.2+ only: "Clients MUST NOT offer it if they are offering prior versions"
  // (RFC 5246 §7.4.1.4.1), and some TLS 1.0 stacks reject a hello carrying it.
  if (opts.version === 'TLSv1.2' || tls13) {
    exts.push(ext(EXT.signatureAlgorithms, vec(2, u16list(opts.signatureAlgorithms ?? SIGNATURE_ALGORITHMS))))
  }
  if (tls13) {
    exts.push(ext(EXT.supportedVersions, vec(1, u16(0x0304))))
    exts.push(ext(EXT.pskKeyExchangeModes, vec(1, Buffer.from([1])))) // psk_dhe_ke
    const shares: Buffer[] = []
    for (const g of opts.keyShareGroups ?? [29]) {
      const ks = generateKeyShare(g)
      if (ks) shares.push(Buffer.concat([u16(ks.group), vec(2, ks.publicKey)]))
    }
    exts.push(ext(EXT.keyShare, vec(2, Buffer.concat(shares))))
  } else {
    if (opts.renegotiationInfo !== false) exts.push(ext(EXT.renegotiationInfo, Buffer.from([0])))
    if (opts.extendedMasterSecret !== false) exts.push(ext(EXT.extendedMasterSecret, Buffer.alloc(0)))
    if (opts.encryptThenMac !== false) exts.push(ext(EXT.encryptThenMac, Buffer.alloc(0)))
    if (opts.sessionTicket !== false) exts.push(ext(EXT.sessionTicket, Buffer.alloc(0)))
  }

  if (opts.padding !== false) {
    // Handshake message length = 4 (header) + head + 2 (extensions length) + extensions.
    const len = 4 + head.length + 2 + exts.reduce((a, e) => a + e.length, 0)
    if (len > 0xff && len < 0x200) {
      let padLen = 0x200 - len
      padLen = padLen >= 4 ? padLen - 4 : 1
      exts.push(ext(EXT.padding, Buffer.alloc(padLen)))
    }
  }
  const body = Buffer.concat([head, vec(2, Buffer.concat(exts))])
  return handshakeRecord(1, body, opts.recordVersion ?? 0x0301)
}

/** Builds an SSLv2 CLIENT-HELLO record (2-byte header) offering the given three-byte cipher kinds. */
export function buildSslv2ClientHello(cipherKinds: readonly number[], challenge: Buffer = randomBytes(16)): Buffer {
  if (challenge.length < 16 || challenge.length > 32) throw new Error('SSLv2 challenge must be 16–32 bytes')
  const specs = Buffer.concat(cipherKinds.map((k) => Buffer.from([(k >> 16) & 0xff, (k >> 8) & 0xff, k & 0xff])))
  const body = Buffer.concat([
    u8(1), // CLIENT-HELLO
    u16(0x0002), // version
    u16(specs.length),
    u16(0), // session id length
    u16(challenge.length),
    specs,
    challenge,
  ])
  return Buffer.concat([u16(0x8000 | body.length), body])
}
