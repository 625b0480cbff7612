/**
 * Pure parsers for the unencrypted start of an SSH connection (RFC 4253): the identification string (§4.2),
 * the binary packet framing before any key exchange (§6, no MAC, no encryption) and SSH_MSG_KEXINIT (§7.1).
 * Also the public key blob formats needed to describe host keys (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4).
 * Every malformed input throws a ProbeError, never anything else.
 */
import {createHash} from 'node:crypto'

import {ProbeError} from '../types.js'
import type {KexinitLists, SshIdentification} from './types.js'

/** RFC 4253 §4.2: the identification line is at most 255 characters including CR LF (longer ones are kept, noted). */
export const MAX_LINE_BYTES = 255
/** Longest line accepted before or as the identification: OpenSSH's SSH_MAX_BANNER_LEN (kex.c), 8192 bytes. */
export const MAX_ANY_LINE_BYTES = 8192
/** Lines accepted before the identification line: OpenSSH's SSH_MAX_PRE_BANNER_LINES (kex.c), 1024. */
export const MAX_PRE_BANNER_LINES = 1024
/** Pre-banner lines kept in the observation (each cut to MAX_LINE_BYTES characters); the rest are only counted. */
export const KEPT_PRE_BANNER_LINES = 32
/** RFC 4253 §6.1: implementations SHOULD accept packets with a total length up to 35000 bytes. */
export const MAX_PACKET_LENGTH = 35000
export const SSH_MSG_DISCONNECT = 1
export const SSH_MSG_IGNORE = 2
export const SSH_MSG_UNIMPLEMENTED = 3
export const SSH_MSG_DEBUG = 4
export const SSH_MSG_KEXINIT = 20

function printable(s: string, max = 60): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s
  return JSON.stringify(cut)
}

/** True when a line contains bytes no text banner holds (NUL and C0 controls other than TAB/CR). */
export function hasBinaryBytes(bytes: Buffer): boolean {
  for (const b of bytes) {
    if (b === 0x09 || b === 0x0d || b === 0x0a) continue
    if (b < 0x20 || b === 0x7f) return true
  }
  return false
}

/**
 * Parses `SSH-protoversion-softwareversion[ SP comments]` (the line without CR LF). Returns undefined for a
 * line that does not start with "SSH-"; throws ProbeError('not-ssh') for an "SSH-" line without the
 * mandatory fields.
 */
export function parseIdentificationLine(line: string): Omit<SshIdentification, 'preBannerLines' | 'preBannerLineCount' | 'anomalies'> | undefined {
  if (!line.startsWith('SSH-')) return undefined
  const rest = line.slice(4)
  const dash = rest.indexOf('-')
  if (dash <= 0) throw new ProbeError('not-ssh', `identification line ${printable(line)} has no protocol version`)
  const protocolVersion = rest.slice(0, dash)
  const afterVersion = rest.slice(dash + 1)
  const space = afterVersion.indexOf(' ')
  const software = space === -1 ? afterVersion : afterVersion.slice(0, space)
  const comments = space === -1 ? '' : afterVersion.slice(space + 1)
  if (!/^[0-9]+\.[0-9]+$/.test(protocolVersion)) {
    throw new ProbeError('not-ssh', `identification line ${printable(line)} has an invalid protocol version`)
  }
  return {banner: line, protocolVersion, software, comments}
}

/** "2.0" and "1.99" speak SSH-2; any other 1.x is SSH-1 only. */
export function speaksSsh2(protocolVersion: string): boolean {
  return protocolVersion === '2.0' || protocolVersion === '1.99'
}

export interface BinaryPacket {
  /** packet_length field (RFC 4253 §6): padding_length byte + payload + padding. */
  packetLength: number
  paddingLength: number
  payload: Buffer
  /** The whole packet as received (length field included). */
  raw: Buffer
}

/** Validates a packet_length field read from the wire (before waiting for the rest). */
export function checkPacketLength(packetLength: number): void {
  if (packetLength > MAX_PACKET_LENGTH) {
    throw new ProbeError(
      'oversized',
      `packet_length ${packetLength} exceeds the ${MAX_PACKET_LENGTH}-byte limit of RFC 4253 §6.1`,
    )
  }
  // padding_length byte + at least one payload byte + at least 4 bytes of padding.
  if (packetLength < 6) throw new ProbeError('malformed-packet', `packet_length ${packetLength} is too small`)
}

/**
 * Parses one unencrypted binary packet (no MAC) at the start of `buf`. Returns undefined when `buf` holds
 * fewer bytes than the packet announces. Throws ProbeError for an oversized or malformed packet.
 */
export function parseBinaryPacket(buf: Buffer): BinaryPacket | undefined {
  if (buf.length < 4) return undefined
  const packetLength = buf.readUInt32BE(0)
  checkPacketLength(packetLength)
  if (buf.length < 4 + packetLength) return undefined
  const paddingLength = buf[4]
  if (paddingLength < 4) {
    throw new ProbeError('malformed-packet', `padding_length ${paddingLength} is below the minimum of 4 (RFC 4253 §6)`)
  }
  const payloadLength = packetLength - paddingLength - 1
  if (payloadLength < 1) {
    throw new ProbeError(
      'malformed-packet',
      `padding_length ${paddingLength} leaves no payload in a packet of length ${packetLength}`,
    )
  }
  return {
    packetLength,
    paddingLength,
    payload: Buffer.from(buf.subarray(5, 5 + payloadLength)),
    raw: Buffer.from(buf.subarray(0, 4 + packetLength)),
  }
}

/** Cursor over SSH wire data types (RFC 4251 §5); every read is bounds-checked. */
export class WireReader {
  offset = 0
  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
    private readonly code = 'malformed-kexinit',
    /** Liberal-reading notes (e.g. empty names in a name-list) are pushed here. */
    readonly anomalies: string[] = [],
  ) {}

  get remaining(): number {
    return this.buf.length - this.offset
  }

  private need(n: number, field: string): void {
    if (this.remaining < n) {
      throw new ProbeError(this.code, `${this.what} truncated in ${field}: need ${n} bytes, ${this.remaining} left`)
    }
  }

  byte(field: string): number {
    this.need(1, field)
    return this.buf[this.offset++]
  }

  bytes(n: number, field: string): Buffer {
    this.need(n, field)
    const out = this.buf.subarray(this.offset, this.offset + n)
    this.offset += n
    return out
  }

  uint32(field: string): number {
    this.need(4, field)
    const v = this.buf.readUInt32BE(this.offset)
    this.offset += 4
    return v
  }

  string(field: string): Buffer {
    const len = this.uint32(field)
    return this.bytes(len, field)
  }

  /**
   * name-list (RFC 4251 §5): comma-separated US-ASCII names, no control characters. RFC 4251 forbids empty
   * names, but OpenSSH connects to a server sending `aes128-ctr,aes256-ctr,`: empty entries are dropped and
   * noted in `anomalies` (the lists are what the server offers and stay judged).
   */
  nameList(field: string): string[] {
    const raw = this.string(field)
    if (raw.length === 0) return []
    for (const b of raw) {
      if (b < 0x21 || b > 0x7e) {
        throw new ProbeError(this.code, `${this.what}: ${field} contains a non-printable byte 0x${b.toString(16).padStart(2, '0')}`)
      }
    }
    const all = raw.toString('ascii').split(',')
    const names = all.filter((n) => n.length > 0)
    if (names.length < all.length) {
      const at = all.flatMap((n, i) => (n.length === 0 ? [i + 1] : []))
      this.anomalies.push(`${field} contains ${at.length === 1 ? 'an empty name' : `${at.length} empty names`} (entry ${at.join(', ')} of ${all.length}; RFC 4251 §5 forbids empty names)`)
    }
    return names
  }
}

/** Parses an SSH_MSG_KEXINIT payload (message byte included). */
export function parseKexinit(payload: Buffer): KexinitLists {
  const anomalies: string[] = []
  const r = new WireReader(payload, 'SSH_MSG_KEXINIT', 'malformed-kexinit', anomalies)
  const type = r.byte('message type')
  if (type !== SSH_MSG_KEXINIT) {
    throw new ProbeError('malformed-kexinit', `expected SSH_MSG_KEXINIT (20), got message type ${type}`)
  }
  r.bytes(16, 'cookie')
  const out: KexinitLists = {
    kex: r.nameList('kex_algorithms'),
    hostKey: r.nameList('server_host_key_algorithms'),
    ciphersClientToServer: r.nameList('encryption_algorithms_client_to_server'),
    ciphersServerToClient: r.nameList('encryption_algorithms_server_to_client'),
    macsClientToServer: r.nameList('mac_algorithms_client_to_server'),
    macsServerToClient: r.nameList('mac_algorithms_server_to_client'),
    compressionClientToServer: r.nameList('compression_algorithms_client_to_server'),
    compressionServerToClient: r.nameList('compression_algorithms_server_to_client'),
    languagesClientToServer: r.nameList('languages_client_to_server'),
    languagesServerToClient: r.nameList('languages_server_to_client'),
    firstKexPacketFollows: r.byte('first_kex_packet_follows') !== 0,
    anomalies,
  }
  r.uint32('reserved')
  return out
}

/** Builds an unencrypted binary packet around `payload` (block size 8, minimum padding 4). */
export function buildPacket(payload: Buffer, paddingByte = 0): Buffer {
  let padding = 8 - ((5 + payload.length) % 8)
  if (padding < 4) padding += 8
  const out = Buffer.alloc(5 + payload.length + padding, paddingByte)
  out.writeUInt32BE(1 + payload.length + padding, 0)
  out[4] = padding
  payload.copy(out, 5)
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Public key blobs

export interface PublicKeyDescription {
  type: string
  bits?: number
  curve?: string
  fingerprint: string
}

/** OpenSSH fingerprint: "SHA256:" + base64(sha256(blob)) without '=' padding. */
export function opensshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** Bit length of an unsigned big-endian integer (an mpint's magnitude; leading zero bytes ignored). */
export function bitLength(bytes: Buffer): number {
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  if (i === bytes.length) return 0
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]))
}

const CURVE_BITS: Record<string, number> = {nistp256: 256, nistp384: 384, nistp521: 521}

/** Describes a public key blob: type, size and fingerprint. Unknown types get only type and fingerprint. */
export function describePublicKey(blob: Buffer): PublicKeyDescription {
  const r = new WireReader(blob, 'public key blob', 'malformed-key')
  const type = r.string('key type').toString('latin1')
  const fingerprint = opensshFingerprint(blob)
  switch (type) {
    case 'ssh-rsa': {
      r.string('e')
      return {type, bits: bitLength(r.string('n')), fingerprint}
    }
    case 'ssh-dss':
      return {type, bits: bitLength(r.string('p')), fingerprint}
    case 'ssh-ed25519':
      return {type, bits: 256, fingerprint}
    case 'ssh-ed448':
      return {type, bits: 456, fingerprint}
    default: {
      if (type.startsWith('ecdsa-sha2-')) {
        const curve = r.string('curve').toString('latin1')
        const bits = CURVE_BITS[curve]
        return bits === undefined ? {type, curve, fingerprint} : {type, bits, curve, fingerprint}
      }
      return {type, fingerprint}
    }
  }
}
