/**
 * FTP reply parsing (RFC 959 §4.2). Pure. A reply is one line "xyz text" or a multi-line reply whose first
 * line is "xyz-text" and whose last line begins with the same code followed by a space (or is the bare
 * code). Lines end in CR LF; a bare LF is tolerated. Bounds: MAX_LINE_BYTES per line, MAX_REPLY_LINES lines
 * and MAX_REPLY_BYTES bytes per reply.
 */
import {decodeText, hexPreview, looksBinary, printable} from '../cleartext/text.js'
import {ProbeError} from '../types.js'
import type {FtpReply} from './types.js'

export const MAX_LINE_BYTES = 4096
export const MAX_REPLY_LINES = 256
export const MAX_REPLY_BYTES = 16 * 1024

const FIRST_LINE = /^([1-5]\d\d)(?:([ -])(.*))?$/s

function lineText(bytes: Buffer): string {
  return printable(decodeText(bytes).replace(/\r?\n$/, '').replace(/\r$/, ''), MAX_LINE_BYTES)
}

/**
 * Takes one complete reply from the start of `buf`, or returns undefined when more bytes are needed.
 * Throws ProbeError "not-ftp" for text that is no FTP reply and "oversized" past the bounds.
 */
export function takeReply(buf: Buffer): FtpReply | undefined {
  let offset = 0
  let code = 0
  let multi = false
  const raw: string[] = []
  const lines: string[] = []
  for (;;) {
    const nl = buf.indexOf(0x0a, offset)
    if (nl === -1) {
      const partial = buf.subarray(offset)
      if (raw.length === 0 && partial.length >= 4 && !/^[1-5]\d\d[ \r-]/.test(partial.subarray(0, 4).toString('latin1'))) {
        throw new ProbeError('not-ftp', `reply does not start with a 3-digit code: ${hexPreview(partial)}`)
      }
      if (looksBinary(partial)) throw new ProbeError('not-ftp', `binary data instead of an FTP reply: ${hexPreview(partial)}`)
      if (partial.length > MAX_LINE_BYTES) {
        throw new ProbeError('oversized', `reply line longer than ${MAX_LINE_BYTES} bytes without a line end`)
      }
      if (offset + partial.length > MAX_REPLY_BYTES) {
        throw new ProbeError('oversized', `reply longer than ${MAX_REPLY_BYTES} bytes`)
      }
      return undefined
    }
    const lineBytes = buf.subarray(offset, nl + 1)
    if (lineBytes.length > MAX_LINE_BYTES) {
      throw new ProbeError('oversized', `reply line of ${lineBytes.length} bytes exceeds ${MAX_LINE_BYTES}`)
    }
    if (looksBinary(lineBytes)) throw new ProbeError('not-ftp', `binary data instead of an FTP reply: ${hexPreview(lineBytes)}`)
    offset = nl + 1
    const text = lineText(lineBytes)
    raw.push(text)
    if (raw.length === 1) {
      const m = FIRST_LINE.exec(text)
      if (!m) throw new ProbeError('not-ftp', `not an FTP reply line: ${JSON.stringify(text.slice(0, 80))}`)
      code = Number(m[1])
      multi = m[2] === '-'
      lines.push(m[3] ?? '')
      if (!multi) return {code, lines, raw, length: offset}
    } else {
      const prefix = String(code)
      if (text === prefix || text.startsWith(`${prefix} `)) {
        lines.push(text.slice(4))
        return {code, lines, raw, length: offset}
      }
      // Intermediate lines may repeat the code with a hyphen (common practice); strip it for the text.
      lines.push(text.startsWith(`${prefix}-`) ? text.slice(4) : text)
    }
    if (raw.length > MAX_REPLY_LINES) {
      throw new ProbeError('oversized', `multi-line ${code} reply longer than ${MAX_REPLY_LINES} lines without its last line`)
    }
    if (offset > MAX_REPLY_BYTES) throw new ProbeError('oversized', `multi-line ${code} reply longer than ${MAX_REPLY_BYTES} bytes`)
  }
}

/** Feature lines of a 211 FEAT reply (RFC 2389 §3.2): the lines between the first and the last, trimmed. */
export function parseFeatures(reply: FtpReply): string[] {
  if (reply.code !== 211 || reply.raw.length < 2) return []
  return reply.lines
    .slice(1, -1)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 128)
}

/** AUTH TLS among the features: "AUTH TLS", "AUTH TLS;TLS-C;SSL", "AUTH SSL TLS" … (RFC 4217 §6). */
export function featuresOfferTls(features: readonly string[]): boolean {
  return features.some((f) => /^AUTH\b/i.test(f) && /\bTLS\b/i.test(f.slice(4)))
}
