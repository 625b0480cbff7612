/**
 * Parsers for what a server sends before encryption starts: ServerHello / HelloRetryRequest (RFC 5246
 * §7.4.1.3, RFC 8446 §4.1.3–4.1.4), Certificate (RFC 5246 §7.4.2), ServerKeyExchange (RFC 5246 §7.4.3,
 * RFC 8422 §5.4), Alert (RFC 5246 §7.2) and the SSLv2 SERVER-HELLO.
 */
import {ProbeError} from '../types.js'
import {EXT} from './clienthello.js'

/** SHA-256("HelloRetryRequest"), the fixed random of a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex')

/** Bounds-checked cursor; malformed input raises ProbeError('malformed'). */
export class Reader {
  pos = 0
  constructor(
    readonly buf: Buffer,
    private readonly what: string,
  ) {}
  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new ProbeError('malformed', `truncated ${this.what} (needed ${n} bytes at offset ${this.pos})`)
    }
  }
  u8(): number {
    this.need(1)
    return this.buf[this.pos++]
  }
  u16(): number {
    this.need(2)
    const v = this.buf.readUInt16BE(this.pos)
    this.pos += 2
    return v
  }
  u24(): number {
    this.need(3)
    const v = this.buf.readUIntBE(this.pos, 3)
    this.pos += 3
    return v
  }
  bytes(n: number): Buffer {
    this.need(n)
    const v = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return v
  }
  vec(lenBytes: 1 | 2 | 3): Buffer {
    const n = lenBytes === 1 ? this.u8() : lenBytes === 2 ? this.u16() : this.u24()
    return this.bytes(n)
  }
  get remaining(): number {
    return this.buf.length - this.pos
  }
}

export interface ServerHello {
  /** legacy_version / server_version field. */
  legacyVersion: number
  /** Negotiated version: supported_versions when present, else legacyVersion. */
  version: number
  random: Buffer
  sessionId: Buffer
  cipherSuite: number
  compression: number
  /** Extensions in the order received. */
  extensions: Array<{type: number; data: Buffer}>
  helloRetryRequest: boolean
  /** TLS 1.3: group of the server's key_share, or the group a HelloRetryRequest asks for. */
  keyShareGroup?: number
  secureRenegotiation: boolean
  extendedMasterSecret: boolean
  encryptThenMac: boolean
}

/** Parses a ServerHello handshake body (without the 4-byte handshake header). */
export function parseServerHello(body: Buffer): ServerHello {
  const r = new Reader(body, 'ServerHello')
  const legacyVersion = r.u16()
  const random = Buffer.from(r.bytes(32))
  const sessionId = Buffer.from(r.vec(1))
  const cipherSuite = r.u16()
  const compression = r.u8()
  const extensions: Array<{type: number; data: Buffer}> = []
  if (r.remaining >= 2) {
    const er = new Reader(r.vec(2), 'ServerHello extensions')
    while (er.remaining > 0) {
      const type = er.u16()
      extensions.push({type, data: Buffer.from(er.vec(2))})
    }
  }
  const helloRetryRequest = random.equals(HRR_RANDOM)
  let version = legacyVersion
  let keyShareGroup: number | undefined
  const find = (t: number): Buffer | undefined => extensions.find((e) => e.type === t)?.data
  const sv = find(EXT.supportedVersions)
  if (sv && sv.length >= 2) version = sv.readUInt16BE(0)
  const ks = find(EXT.keyShare)
  if (ks && ks.length >= 2) keyShareGroup = ks.readUInt16BE(0)
  const ri = find(EXT.renegotiationInfo)
  return {
    legacyVersion,
    version,
    random,
    sessionId,
    cipherSuite,
    compression,
    extensions,
    helloRetryRequest,
    keyShareGroup,
    // An initial handshake's renegotiation_info carries an empty renegotiated_connection (RFC 5746 §3.6).
    secureRenegotiation: ri !== undefined && ri.length >= 1 && ri[0] === 0,
    extendedMasterSecret: find(EXT.extendedMasterSecret) !== undefined,
    encryptThenMac: find(EXT.encryptThenMac) !== undefined,
  }
}

/** Parses a TLS ≤1.2 Certificate message body into DER certificates, leaf first. */
export function parseCertificateMessage(body: Buffer, tls13 = false): Buffer[] {
  const r = new Reader(body, 'Certificate')
  if (tls13) r.vec(1) // certificate_request_context
  const list = new Reader(r.vec(3), 'certificate_list')
  const out: Buffer[] = []
  while (list.remaining > 0) {
    const der = list.vec(3)
    if (der.length === 0) throw new ProbeError('malformed', 'empty certificate in Certificate message')
    out.push(Buffer.from(der))
    if (tls13) list.vec(2) // per-entry extensions
  }
  return out
}

export type ServerKeyExchange =
  | {kind: 'dhe'; primeBits: number; generator: Buffer; publicBits: number}
  | {kind: 'ecdhe'; curveType: number; namedGroup?: number}
  | {kind: 'unknown'}

/** Bit length of a big-endian unsigned integer. */
export function bitLength(buf: Buffer): number {
  let i = 0
  while (i < buf.length && buf[i] === 0) i++
  if (i === buf.length) return 0
  return (buf.length - i - 1) * 8 + (32 - Math.clz32(buf[i]))
}

/** Parses a ServerKeyExchange body for the given key exchange (registry `kex`: DHE, ECDHE, …). */
export function parseServerKeyExchange(body: Buffer, kex: string): ServerKeyExchange {
  const r = new Reader(body, 'ServerKeyExchange')
  if (kex === 'DHE' || kex === 'DH' || kex === 'DHE_PSK') {
    if (kex === 'DHE_PSK') r.vec(2) // psk_identity_hint
    const p = r.vec(2)
    const g = Buffer.from(r.vec(2))
    const ys = r.vec(2)
    return {kind: 'dhe', primeBits: bitLength(p), generator: g, publicBits: bitLength(ys)}
  }
  if (kex === 'ECDHE' || kex === 'ECDH' || kex === 'ECDHE_PSK') {
    if (kex === 'ECDHE_PSK') r.vec(2)
    const curveType = r.u8()
    if (curveType === 3) return {kind: 'ecdhe', curveType, namedGroup: r.u16()}
    return {kind: 'ecdhe', curveType}
  }
  return {kind: 'unknown'}
}

export const ALERT_DESCRIPTIONS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow',
  30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate',
  43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown',
  47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error',
  60: 'export_restriction', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension',
  110: 'unsupported_extension', 111: 'certificate_unobtainable', 112: 'unrecognized_name',
  113: 'bad_certificate_status_response', 114: 'bad_certificate_hash_value', 115: 'unknown_psk_identity',
  116: 'certificate_required', 120: 'no_application_protocol',
}

export interface Alert {
  level: 'warning' | 'fatal' | 'unknown'
  levelCode: number
  description: number
  name: string
}

export function parseAlert(fragment: Buffer): Alert {
  if (fragment.length < 2) throw new ProbeError('malformed', 'truncated alert')
  const levelCode = fragment[0]
  const description = fragment[1]
  return {
    level: levelCode === 1 ? 'warning' : levelCode === 2 ? 'fatal' : 'unknown',
    levelCode,
    description,
    name: ALERT_DESCRIPTIONS[description] ?? `alert_${description}`,
  }
}

export interface Sslv2ServerHello {
  sessionIdHit: boolean
  certificateType: number
  version: number
  certificate: Buffer
  cipherKinds: number[]
  connectionId: Buffer
}

/** Parses an SSLv2 message body (after the record header). Returns undefined for an SSLv2 ERROR message. */
export function parseSslv2ServerHello(body: Buffer): Sslv2ServerHello | {error: number} {
  const r = new Reader(body, 'SSLv2 SERVER-HELLO')
  const type = r.u8()
  if (type === 0) return {error: r.remaining >= 2 ? r.u16() : -1}
  if (type !== 4) throw new ProbeError('malformed', `SSLv2 message type ${type} is not SERVER-HELLO`)
  const sessionIdHit = r.u8() !== 0
  const certificateType = r.u8()
  const version = r.u16()
  const certLen = r.u16()
  const specsLen = r.u16()
  const connIdLen = r.u16()
  if (specsLen % 3 !== 0) throw new ProbeError('malformed', 'SSLv2 cipher specs length is not a multiple of 3')
  const certificate = Buffer.from(r.bytes(certLen))
  const specs = r.bytes(specsLen)
  const connectionId = Buffer.from(r.bytes(connIdLen))
  const cipherKinds: number[] = []
  for (let i = 0; i < specs.length; i += 3) cipherKinds.push(specs.readUIntBE(i, 3))
  return {sessionIdHit, certificateType, version, certificate, cipherKinds, connectionId}
}
