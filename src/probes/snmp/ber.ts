/**
 * Just enough BER (X.690) for the unauthenticated SNMPv3 discovery exchange of RFC 3412 §6 / RFC 3414 §4:
 * build the discovery GetRequest (empty engine id and user, reportable flag) and parse the Report that answers
 * it. The reader is strict and bounded: every length is checked against the enclosing element, and any
 * inconsistency throws ProbeError('malformed', …) — never an out-of-range read.
 */
import {tlv} from '../../util/der.js'
import {ProbeError} from '../types.js'

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  GET_REQUEST: 0xa0,
  GET_RESPONSE: 0xa2,
  SET_REQUEST: 0xa3,
  REPORT: 0xa8,
} as const

/**
 * Length octets accepted at most in a long-form length (X.690 §8.1.3.5). BER lets an encoder pad the length with
 * zero octets (some agents always use 0x84 + four octets); the value itself is still bounded by the datagram.
 */
export const MAX_LENGTH_OCTETS = 8

export const USM_STATS_UNKNOWN_ENGINE_IDS = '1.3.6.1.6.3.15.1.1.4.0'

export {tlv}

export function berInt(value: number): Buffer {
  const bytes: number[] = []
  let v = value
  do {
    bytes.unshift(v & 0xff)
    v = Math.floor(v / 256)
  } while (v > 0)
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0)
  return tlv(TAG.INTEGER, Buffer.from(bytes))
}

export function berOctets(value: Buffer | string): Buffer {
  return tlv(TAG.OCTET_STRING, typeof value === 'string' ? Buffer.from(value, 'utf8') : value)
}

export function berSeq(...items: Buffer[]): Buffer {
  return tlv(TAG.SEQUENCE, Buffer.concat(items))
}

/** The discovery request: msgFlags = reportable only, USM parameters all empty/zero, a GetRequest without varbinds. */
export function buildDiscoveryRequest(msgId: number, requestId: number): Buffer {
  const globalData = berSeq(berInt(msgId), berInt(65507), berOctets(Buffer.from([0x04])), berInt(3))
  const usm = berSeq(berOctets(''), berInt(0), berInt(0), berOctets(''), berOctets(''), berOctets(''))
  const pdu = tlv(TAG.GET_REQUEST, Buffer.concat([berInt(requestId), berInt(0), berInt(0), berSeq()]))
  const scopedPdu = berSeq(berOctets(''), berOctets(''), pdu)
  return berSeq(berInt(3), globalData, berOctets(usm), scopedPdu)
}

interface Element {
  tag: number
  /** Body bounds in the buffer. */
  start: number
  end: number
}

function malformed(message: string): never {
  throw new ProbeError('malformed', `malformed SNMPv3 message: ${message}`)
}

/** Reads the element at `offset`, which must end by `limit`. */
export function readElement(buf: Buffer, offset: number, limit: number): Element {
  if (offset + 2 > limit) malformed(`truncated element at byte ${offset}`)
  const tag = buf[offset] as number
  if ((tag & 0x1f) === 0x1f) malformed(`multi-byte tag at byte ${offset}`)
  let lengthByte = buf[offset + 1] as number
  let pos = offset + 2
  let length: number
  if (lengthByte < 0x80) length = lengthByte
  else {
    lengthByte &= 0x7f
    if (lengthByte === 0) malformed(`indefinite length at byte ${offset}`)
    if (lengthByte > MAX_LENGTH_OCTETS) malformed(`length of ${lengthByte} octets at byte ${offset} (at most ${MAX_LENGTH_OCTETS})`)
    if (pos + lengthByte > limit) malformed(`truncated length at byte ${offset}`)
    length = 0
    for (let i = 0; i < lengthByte; i++) {
      length = length * 256 + (buf[pos + i] as number)
      // Anything past the enclosing element is wrong anyway: stop before the number loses precision.
      if (length > limit) malformed(`element at byte ${offset} claims more than the ${limit - offset} bytes left`)
    }
    pos += lengthByte
  }
  if (pos + length > limit) malformed(`element at byte ${offset} claims ${length} bytes, ${limit - pos} left`)
  return {tag, start: pos, end: pos + length}
}

function expect(buf: Buffer, offset: number, limit: number, tag: number, what: string): Element {
  const e = readElement(buf, offset, limit)
  if (e.tag !== tag) malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${e.tag.toString(16)}`)
  return e
}

function readInt(buf: Buffer, e: Element, what: string): number {
  const len = e.end - e.start
  if (len < 1 || len > 5) malformed(`${what}: integer of ${len} bytes`)
  let v = (buf[e.start] as number) & 0x80 ? -1 : 0
  for (let i = e.start; i < e.end; i++) v = v * 256 + (buf[i] as number)
  return v
}

function readOid(buf: Buffer, e: Element): string {
  if (e.end === e.start) malformed('empty OID')
  const first = buf[e.start] as number
  const parts = [Math.min(2, Math.floor(first / 40)), first - 40 * Math.min(2, Math.floor(first / 40))]
  let v = 0
  for (let i = e.start + 1; i < e.end; i++) {
    const b = buf[i] as number
    v = v * 128 + (b & 0x7f)
    if (v > Number.MAX_SAFE_INTEGER / 128) malformed('OID arc too large')
    if (!(b & 0x80)) {
      parts.push(v)
      v = 0
    } else if (i === e.end - 1) malformed('truncated OID arc')
  }
  return parts.join('.')
}

export interface V3Report {
  msgId: number
  requestId: number
  pduType: number
  engineId: Buffer
  engineBoots: number
  engineTime: number
  varbindOids: string[]
}

/** Parses an SNMPv3 message answering the discovery request (a Report, or a Response from lax agents). */
export function parseV3Message(buf: Buffer): V3Report {
  const msg = expect(buf, 0, buf.length, TAG.SEQUENCE, 'message')
  if (msg.end !== buf.length) malformed(`${buf.length - msg.end} trailing bytes`)
  const version = expect(buf, msg.start, msg.end, TAG.INTEGER, 'msgVersion')
  const v = readInt(buf, version, 'msgVersion')
  if (v !== 3) throw new ProbeError('not-v3', `reply is not SNMPv3 (msgVersion ${v})`)
  const global = expect(buf, version.end, msg.end, TAG.SEQUENCE, 'msgGlobalData')
  const msgIdEl = expect(buf, global.start, global.end, TAG.INTEGER, 'msgID')
  const msgId = readInt(buf, msgIdEl, 'msgID')
  const maxSize = expect(buf, msgIdEl.end, global.end, TAG.INTEGER, 'msgMaxSize')
  const flags = expect(buf, maxSize.end, global.end, TAG.OCTET_STRING, 'msgFlags')
  if (flags.end - flags.start !== 1) malformed('msgFlags is not one byte')
  const flagByte = buf[flags.start] as number
  const model = expect(buf, flags.end, global.end, TAG.INTEGER, 'msgSecurityModel')
  if (readInt(buf, model, 'msgSecurityModel') !== 3) malformed('msgSecurityModel is not USM (3)')
  const secParams = expect(buf, global.end, msg.end, TAG.OCTET_STRING, 'msgSecurityParameters')
  const usm = expect(buf, secParams.start, secParams.end, TAG.SEQUENCE, 'UsmSecurityParameters')
  const engineIdEl = expect(buf, usm.start, usm.end, TAG.OCTET_STRING, 'msgAuthoritativeEngineID')
  const bootsEl = expect(buf, engineIdEl.end, usm.end, TAG.INTEGER, 'msgAuthoritativeEngineBoots')
  const timeEl = expect(buf, bootsEl.end, usm.end, TAG.INTEGER, 'msgAuthoritativeEngineTime')
  if (flagByte & 0x02) malformed('discovery reply claims privacy (encrypted scoped PDU)')
  const scoped = expect(buf, secParams.end, msg.end, TAG.SEQUENCE, 'ScopedPDU')
  const ctxEngine = expect(buf, scoped.start, scoped.end, TAG.OCTET_STRING, 'contextEngineID')
  const ctxName = expect(buf, ctxEngine.end, scoped.end, TAG.OCTET_STRING, 'contextName')
  const pdu = readElement(buf, ctxName.end, scoped.end)
  if (pdu.tag < 0xa0 || pdu.tag > 0xa8) malformed(`unknown PDU tag 0x${pdu.tag.toString(16)}`)
  const reqIdEl = expect(buf, pdu.start, pdu.end, TAG.INTEGER, 'request-id')
  const errStatus = expect(buf, reqIdEl.end, pdu.end, TAG.INTEGER, 'error-status')
  const errIndex = expect(buf, errStatus.end, pdu.end, TAG.INTEGER, 'error-index')
  const varbinds = expect(buf, errIndex.end, pdu.end, TAG.SEQUENCE, 'varbind list')
  const varbindOids: string[] = []
  for (let at = varbinds.start; at < varbinds.end; ) {
    const vb = expect(buf, at, varbinds.end, TAG.SEQUENCE, 'varbind')
    varbindOids.push(readOid(buf, expect(buf, vb.start, vb.end, TAG.OID, 'varbind name')))
    at = vb.end
    if (varbindOids.length > 64) malformed('more than 64 varbinds')
  }
  return {
    msgId,
    requestId: readInt(buf, reqIdEl, 'request-id'),
    pduType: pdu.tag,
    engineId: Buffer.from(buf.subarray(engineIdEl.start, engineIdEl.end)),
    engineBoots: readInt(buf, bootsEl, 'engineBoots'),
    engineTime: readInt(buf, timeEl, 'engineTime'),
    varbindOids,
  }
}

/** RFC 3411 SnmpEngineID: when the top bit is set, the first four bytes carry the IANA enterprise number. */
export function engineEnterprise(engineId: Buffer): number | null {
  if (engineId.length < 5 || !((engineId[0] as number) & 0x80)) return null
  return engineId.readUInt32BE(0) & 0x7fffffff
}

/** The strict readers above, for the v1/v2c community PDUs (community-pdu.ts). */
export {expect as expectTag, readInt as readInteger, readOid as readOidString}

/** BER encoding of a dotted OID (X.690 §8.19). */
export function berOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number)
  const bytes: number[] = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)]
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = []
    let v = arc
    do {
      chunk.unshift(v & 0x7f)
      v = Math.floor(v / 128)
    } while (v > 0)
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = (chunk[i] as number) | 0x80
    bytes.push(...chunk)
  }
  return tlv(TAG.OID, Buffer.from(bytes))
}
