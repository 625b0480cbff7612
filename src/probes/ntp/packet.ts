/**
 * NTP packets (RFC 5905 mode 3/4; RFC 9327 / RFC 1305 appendix B mode 6 control messages). Pure and bounded:
 * every length read is checked against the datagram, a hostile reply is "not NTP", never an exception that escapes.
 */

/** Control opcodes (RFC 9327 §2.4). */
export const OP_READSTAT = 1
export const OP_READVAR = 2

/** A 48-byte mode-3 (client) request, version 4; the transmit timestamp is what a reply echoes as its origin. */
export function clientRequest(transmit: Buffer = Buffer.alloc(8)): Buffer {
  const b = Buffer.alloc(48)
  b[0] = (0 << 6) | (4 << 3) | 3
  transmit.copy(b, 40, 0, 8)
  return b
}

export interface ServerReply {
  version: number
  mode: number
  stratum: number
  /** Reference id: four ASCII letters for stratum 0/1 (e.g. GPS, LOCL), else an IPv4 address or hash. */
  refid: string
  /** The origin timestamp (our transmit timestamp, hex), for matching. */
  origin: string
}

/** A mode-4 (server) or mode-5 reply; undefined when the datagram is not one. */
export function parseServerReply(buf: Buffer): ServerReply | undefined {
  if (buf.length < 48) return undefined
  const mode = buf[0] & 0x07
  const version = (buf[0] >> 3) & 0x07
  if ((mode !== 4 && mode !== 5) || version < 1 || version > 4) return undefined
  const stratum = buf[1]
  const id = buf.subarray(12, 16)
  const refid = stratum <= 1 ? id.toString('latin1').replace(/\0+$/, '').replace(/[^\x20-\x7e]/g, '?') : stratum < 16 ? [...id].join('.') : id.toString('hex')
  return {version, mode, stratum, refid, origin: buf.subarray(24, 32).toString('hex')}
}

/** A mode-6 request: version 2 (what ntpq sends), one opcode, association 0 (the system), no data. */
export function controlRequest(opcode: number, sequence: number): Buffer {
  const b = Buffer.alloc(12)
  b[0] = (0 << 6) | (2 << 3) | 6
  b[1] = opcode & 0x1f
  b.writeUInt16BE(sequence & 0xffff, 2)
  return b
}

export interface ControlFragment {
  version: number
  opcode: number
  response: boolean
  error: boolean
  more: boolean
  sequence: number
  status: number
  associationId: number
  offset: number
  /** The data octets of this fragment (count bytes, padding left out). */
  data: Buffer
}

/** One mode-6 datagram; undefined when it is not a mode-6 message or its count overruns it. */
export function parseControl(buf: Buffer): ControlFragment | undefined {
  if (buf.length < 12) return undefined
  if ((buf[0] & 0x07) !== 6) return undefined
  const count = buf.readUInt16BE(10)
  if (12 + count > buf.length) return undefined
  return {
    version: (buf[0] >> 3) & 0x07,
    response: (buf[1] & 0x80) !== 0,
    error: (buf[1] & 0x40) !== 0,
    more: (buf[1] & 0x20) !== 0,
    opcode: buf[1] & 0x1f,
    sequence: buf.readUInt16BE(2),
    status: buf.readUInt16BE(4),
    associationId: buf.readUInt16BE(6),
    offset: buf.readUInt16BE(8),
    data: buf.subarray(12, 12 + count),
  }
}

/** Largest reassembled control response kept (a classic ntpd's readvar is < 1 KiB; a peer list a few KiB). */
export const MAX_CONTROL_BYTES = 64 * 1024

/**
 * Reassembles the fragments of one response (same sequence and opcode) in offset order. `complete` when the
 * fragments cover 0..end without a gap and the last has the M bit clear.
 */
export function reassemble(fragments: readonly ControlFragment[]): {data: Buffer; complete: boolean} {
  const sorted = [...fragments].sort((a, b) => a.offset - b.offset)
  const parts: Buffer[] = []
  let at = 0
  let complete = false
  for (const f of sorted) {
    if (f.offset !== at) break
    parts.push(f.data)
    at += f.data.length
    if (at > MAX_CONTROL_BYTES) break
    if (!f.more) {
      complete = true
      break
    }
  }
  return {data: Buffer.concat(parts).subarray(0, MAX_CONTROL_BYTES), complete}
}

/**
 * `name=value, name="quoted, value", …` (RFC 9327 §3: the variable list of READVAR). Values unquoted; names
 * lower-cased; at most 128 variables of at most 256 characters each.
 */
export function parseVariables(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  let i = 0
  const s = text.slice(0, MAX_CONTROL_BYTES)
  while (i < s.length && Object.keys(out).length < 128) {
    while (i < s.length && /[\s,]/.test(s[i])) i++
    const eq = s.indexOf('=', i)
    const comma = s.indexOf(',', i)
    if (eq < 0 || (comma >= 0 && comma < eq)) {
      // a bare name (flag) up to the next comma
      const end = comma < 0 ? s.length : comma
      const name = s.slice(i, end).trim()
      if (name) out[name.toLowerCase().slice(0, 64)] = ''
      i = end + 1
      continue
    }
    const name = s.slice(i, eq).trim().toLowerCase().slice(0, 64)
    let j = eq + 1
    let value: string
    if (s[j] === '"') {
      const close = s.indexOf('"', j + 1)
      value = s.slice(j + 1, close < 0 ? s.length : close)
      j = close < 0 ? s.length : close + 1
    } else {
      const end = s.indexOf(',', j)
      value = s.slice(j, end < 0 ? s.length : end).trim()
      j = end < 0 ? s.length : end
    }
    if (name) out[name] = value.replace(/[\r\n]+/g, ' ').slice(0, 256)
    i = j
  }
  return out
}

/** System status word (RFC 9327 §2.3.1): leap indicator, clock source, event counter and code. */
export function systemStatus(status: number): {leap: number; source: number; eventCount: number; eventCode: number} {
  return {leap: status >> 14, source: (status >> 8) & 0x3f, eventCount: (status >> 4) & 0x0f, eventCode: status & 0x0f}
}

/** READSTAT of association 0: the data is a list of (association id, status) pairs. */
export function parseAssociations(data: Buffer): Array<{id: number; status: number}> {
  const out: Array<{id: number; status: number}> = []
  for (let i = 0; i + 4 <= data.length && out.length < 1024; i += 4) out.push({id: data.readUInt16BE(i), status: data.readUInt16BE(i + 2)})
  return out
}
