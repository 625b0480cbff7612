/** CoAP (RFC 7252 §3) message encoding/decoding for GET /.well-known/core (RFC 6690). Pure, bounded. */
import {randomBytes} from 'node:crypto'

export const URI_PATH = 11
export const CONTENT_FORMAT = 12
export const BLOCK2 = 23

/** A confirmable GET of `path` (segments) with a random 4-byte token. */
export function coapGet(segments: readonly string[], messageId: number, token: Buffer = randomBytes(4)): Buffer {
  const parts: Buffer[] = [Buffer.from([0x40 | token.length, 0x01, (messageId >> 8) & 0xff, messageId & 0xff]), token]
  let last = 0
  for (const s of segments) {
    const value = Buffer.from(s)
    parts.push(optionHeader(URI_PATH - last, value.length), value)
    last = URI_PATH
  }
  return Buffer.concat(parts)
}

function nibble(n: number): {n: number; ext: Buffer} {
  if (n < 13) return {n, ext: Buffer.alloc(0)}
  if (n < 269) return {n: 13, ext: Buffer.from([n - 13])}
  const ext = Buffer.alloc(2)
  ext.writeUInt16BE(n - 269)
  return {n: 14, ext}
}

function optionHeader(delta: number, length: number): Buffer {
  const d = nibble(delta)
  const l = nibble(length)
  return Buffer.concat([Buffer.from([(d.n << 4) | l.n]), d.ext, l.ext])
}

export interface CoapMessage {
  type: 'CON' | 'NON' | 'ACK' | 'RST'
  /** "2.05" style. */
  code: string
  messageId: number
  token: Buffer
  options: Array<{number: number; value: Buffer}>
  payload: Buffer
}

/** Parses one CoAP datagram; throws on a malformed one. */
export function parseCoap(buf: Buffer): CoapMessage {
  if (buf.length < 4) throw new Error('shorter than a CoAP header')
  if (buf[0] >> 6 !== 1) throw new Error(`CoAP version ${buf[0] >> 6}`)
  const tkl = buf[0] & 0x0f
  if (tkl > 8 || buf.length < 4 + tkl) throw new Error('bad token length')
  const type = (['CON', 'NON', 'ACK', 'RST'] as const)[(buf[0] >> 4) & 0x03]
  const code = `${buf[1] >> 5}.${String(buf[1] & 0x1f).padStart(2, '0')}`
  let i = 4 + tkl
  const options: CoapMessage['options'] = []
  let number = 0
  while (i < buf.length && buf[i] !== 0xff) {
    let delta = buf[i] >> 4
    let length = buf[i] & 0x0f
    i++
    const ext = (v: number): number => {
      if (v === 13) return buf[i++] + 13
      if (v === 14) {
        const x = buf.readUInt16BE(i) + 269
        i += 2
        return x
      }
      if (v === 15) throw new Error('reserved option nibble')
      return v
    }
    delta = ext(delta)
    length = ext(length)
    if (i + length > buf.length) throw new Error('option runs past the datagram')
    number += delta
    options.push({number, value: buf.subarray(i, i + length)})
    i += length
  }
  const payload = i < buf.length ? buf.subarray(i + 1) : Buffer.alloc(0)
  return {type, code, messageId: buf.readUInt16BE(2), token: buf.subarray(4, 4 + tkl), options, payload}
}

/** Resource paths of a CoRE link-format document (RFC 6690: `</path>;attr=…,</other>`). */
export function linkFormatPaths(text: string): string[] {
  return [...text.matchAll(/<([^>]*)>/g)].map((m) => m[1])
}
