/**
 * SNMPv1 / v2c messages of the community sweep (RFC 1157, RFC 3416), built and parsed here on a raw dgram socket
 * so every reply is matched by request-id, community and version (not by source address alone) and every odd
 * reply is classified. Message = SEQUENCE { version, community, PDU { request-id, error-status, error-index,
 * varbinds } }. The parser is ber.ts's: bounded, every length checked, ProbeError('malformed') on bad input.
 */
import {berInt, berOctets, berOid, berSeq, expectTag, readElement, readInteger, TAG, tlv} from './ber.js'
import {ProbeError} from '../types.js'
import type {SnmpCommunityVersion} from './types.js'

export const WIRE_VERSION: Record<SnmpCommunityVersion, number> = {v1: 0, v2c: 1}

/** RFC 3416 error-status names (v1 uses 0–5). */
export const ERROR_STATUS: readonly string[] = [
  'noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType', 'wrongLength',
  'wrongEncoding', 'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable', 'commitFailed',
  'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName',
]

export function errorStatusName(status: number): string {
  return ERROR_STATUS[status] ?? `errorStatus(${status})`
}

/** A GetRequest for `oid` with a NULL value. */
export function buildGetRequest(version: SnmpCommunityVersion, community: string, requestId: number, oid: string): Buffer {
  const varbind = berSeq(berOid(oid), tlv(TAG.NULL, Buffer.alloc(0)))
  const pdu = tlv(TAG.GET_REQUEST, Buffer.concat([berInt(requestId), berInt(0), berInt(0), berSeq(varbind)]))
  return berSeq(berInt(WIRE_VERSION[version]), berOctets(community), pdu)
}

export interface CommunityReply {
  version: number
  community: Buffer
  pduType: number
  requestId: number
  errorStatus: number
  errorIndex: number
}

/** Parses a v1/v2c reply far enough to match and classify it (varbind values are not needed by the sweep). */
export function parseCommunityReply(buf: Buffer): CommunityReply {
  const msg = expectTag(buf, 0, buf.length, TAG.SEQUENCE, 'message')
  if (msg.end !== buf.length) throw new ProbeError('malformed', `malformed SNMP message: ${buf.length - msg.end} trailing bytes`)
  const versionEl = expectTag(buf, msg.start, msg.end, TAG.INTEGER, 'version')
  const version = readInteger(buf, versionEl, 'version')
  if (version !== 0 && version !== 1) throw new ProbeError('malformed', `malformed SNMP message: version ${version} is not v1/v2c`)
  const communityEl = expectTag(buf, versionEl.end, msg.end, TAG.OCTET_STRING, 'community')
  const pdu = readElement(buf, communityEl.end, msg.end)
  if (pdu.tag < 0xa0 || pdu.tag > 0xa8) throw new ProbeError('malformed', `malformed SNMP message: unknown PDU tag 0x${pdu.tag.toString(16)}`)
  const reqIdEl = expectTag(buf, pdu.start, pdu.end, TAG.INTEGER, 'request-id')
  const statusEl = expectTag(buf, reqIdEl.end, pdu.end, TAG.INTEGER, 'error-status')
  const indexEl = expectTag(buf, statusEl.end, pdu.end, TAG.INTEGER, 'error-index')
  expectTag(buf, indexEl.end, pdu.end, TAG.SEQUENCE, 'varbind list')
  return {
    version,
    community: Buffer.from(buf.subarray(communityEl.start, communityEl.end)),
    pduType: pdu.tag,
    requestId: readInteger(buf, reqIdEl, 'request-id'),
    errorStatus: readInteger(buf, statusEl, 'error-status'),
    errorIndex: readInteger(buf, indexEl, 'error-index'),
  }
}
