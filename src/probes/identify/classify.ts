/**
 * Pure classifiers for the bytes a service sends: its greeting (it spoke first) or its reply to one of our
 * requests. Decided by protocol syntax, never by port number.
 */
import type {IdentifiedProtocol} from './types.js'

const IAC = 0xff

/** The first line of a text greeting, printable ASCII only, capped. */
export function firstLine(bytes: Buffer, max = 80): string {
  const text = bytes.toString('latin1')
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? ''
  const clean = line.replace(/[^\x20-\x7e]/g, '').trim()
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}

function isTelnetNegotiation(bytes: Buffer): boolean {
  // IAC followed by WILL/WONT/DO/DONT (251–254) or SB (250): RFC 854/855 option negotiation.
  for (let i = 0; i + 1 < bytes.length && i < 64; i++) if (bytes[i] === IAC && bytes[i + 1] >= 250 && bytes[i + 1] <= 254) return true
  return false
}

/** A service that spoke first: SSH (RFC 4253 §4.2), Telnet (IAC), FTP/SMTP (220 greeting), or another banner. */
export function classifyGreeting(bytes: Buffer): IdentifiedProtocol | undefined {
  if (bytes.length === 0) return undefined
  const text = bytes.toString('latin1')
  // RFC 4253 allows other lines before the identification string.
  if (/^SSH-\d+\.\d+-/m.test(text)) return 'ssh'
  if (isTelnetNegotiation(bytes)) return 'telnet'
  if (/^220[ -]/.test(text)) return /\bE?SMTP\b|\bPostfix\b|\bSendmail\b|\bExim\b/i.test(firstLine(bytes, 200)) ? 'smtp' : 'ftp'
  return 'banner'
}

/** TLS record header: handshake (22) or alert (21), major version 3. */
export function isTlsRecord(bytes: Buffer): boolean {
  return bytes.length >= 5 && (bytes[0] === 22 || bytes[0] === 21) && bytes[1] === 3 && bytes[2] <= 4
}

/** MQTT CONNACK: fixed header 0x20, remaining length 2 (3.1.1) or more (5.0, properties). */
export function isMqttConnack(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x20 && bytes[1] >= 2 && bytes[1] < 128
}

/** A reply to one of our requests (GET, OPTIONS, CONNECT). */
export function classifyReply(bytes: Buffer): IdentifiedProtocol | undefined {
  if (bytes.length === 0) return undefined
  const head = bytes.subarray(0, 16).toString('latin1')
  if (/^HTTP\/\d/.test(head)) return 'http'
  if (/^RTSP\/\d/.test(head)) return 'rtsp'
  if (isMqttConnack(bytes)) return 'mqtt'
  if (isTlsRecord(bytes)) return 'tls'
  return undefined
}

/** The protocol a TLS-wrapped service is, from the inner protocol found. */
export function overTls(inner: IdentifiedProtocol | undefined): IdentifiedProtocol {
  if (inner === 'http') return 'https'
  if (inner === 'mqtt') return 'mqtts'
  if (inner === 'rtsp') return 'rtsps'
  return 'tls'
}
