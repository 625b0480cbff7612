/** Pure SNMP wire helpers: long BER lengths, canonical addresses, the SET error classes, the community PDUs. */
import {describe, expect, it} from 'vitest'

import {canonicalIp, sameIp} from '../../src/probes/snmp/address.js'
import {berInt, berOctets, berSeq, buildDiscoveryRequest, parseV3Message, readElement, tlv} from '../../src/probes/snmp/ber.js'
import {buildGetRequest, parseCommunityReply} from '../../src/probes/snmp/community-pdu.js'
import {classifySetError} from '../../src/probes/snmp/write-classes.js'
import {ProbeError} from '../../src/probes/types.js'

/** Re-encodes every constructed element with 0x84 lengths (4 length octets), the way some agents always do. */
function longForm(buf: Buffer): Buffer {
  const e = readElement(buf, 0, buf.length)
  const constructed = (e.tag & 0x20) !== 0
  let body = buf.subarray(e.start, e.end)
  if (constructed && e.tag !== 0x04) {
    const parts: Buffer[] = []
    for (let at = 0; at < body.length; ) {
      const c = readElement(body, at, body.length)
      parts.push(longForm(body.subarray(at, c.end)))
      at = c.end
    }
    body = Buffer.concat(parts)
  }
  const len = Buffer.alloc(5)
  len[0] = 0x84
  len.writeUInt32BE(body.length, 1)
  return Buffer.concat([Buffer.from([e.tag]), len, body])
}

function report(msgId: number): Buffer {
  const usm = berSeq(berOctets(Buffer.from('8000b98380aabb', 'hex')), berInt(3), berInt(1234), berOctets(''), berOctets(''), berOctets(''))
  const varbind = berSeq(Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x06, 0x03, 0x0f, 0x01, 0x01, 0x04, 0x00]), tlv(0x41, Buffer.from([7])))
  const pdu = tlv(0xa8, Buffer.concat([berInt(msgId), berInt(0), berInt(0), berSeq(varbind)]))
  return berSeq(berInt(3), berSeq(berInt(msgId), berInt(65507), berOctets(Buffer.from([0])), berInt(3)), berOctets(usm), berSeq(berOctets(''), berOctets(''), pdu))
}

describe('BER lengths', () => {
  it('accepts 4-octet long-form lengths in an SNMPv3 discovery report (issue 10 item 12)', () => {
    const r = parseV3Message(longForm(report(77)))
    expect(r).toMatchObject({msgId: 77, engineBoots: 3, engineTime: 1234})
  })
  it('still bounds them: more than 8 length octets, or a length past the datagram, is malformed', () => {
    const nine = Buffer.from([0x30, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0x05, 0x00])
    expect(() => readElement(nine, 0, nine.length)).toThrow(ProbeError)
    const huge = Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x05, 0x00])
    expect(() => readElement(huge, 0, huge.length)).toThrow(/claims/)
  })
  it('the discovery request still parses as v3 (sanity)', () => {
    expect(readElement(buildDiscoveryRequest(1, 1), 0, 200).tag).toBe(0x30)
  })
})

describe('community PDUs', () => {
  it('builds a GET that parses back with its version, community and request-id', () => {
    const get = buildGetRequest('v2c', 'public', 123456, '1.3.6.1.2.1.1.1.0')
    const r = parseCommunityReply(get)
    expect(r).toMatchObject({version: 1, requestId: 123456, pduType: 0xa0, errorStatus: 0})
    expect(r.community.toString()).toBe('public')
    expect(parseCommunityReply(longForm(get)).requestId).toBe(123456)
  })
})

describe('canonical addresses', () => {
  it('compares IP literals in canonical form', () => {
    expect(canonicalIp('0:0:0:0:0:0:0:1')).toBe('::1')
    expect(sameIp('::1', '0:0:0:0:0:0:0:1')).toBe(true)
    expect(sameIp('2001:DB8::0:1', '2001:db8::1')).toBe(true)
    expect(sameIp('::ffff:127.0.0.1', '127.0.0.1')).toBe(true)
    expect(sameIp('127.0.0.1', '127.0.0.2')).toBe(false)
    expect(sameIp('fe80::1%lo', 'fe80::1')).toBe(true)
  })
})

describe('SET error classes (issue 11 item 1)', () => {
  it('v2c: notWritable & co. are past access control, noAccess/authorizationError are not; v1 noSuchName/readOnly ambiguous', () => {
    for (const s of ['NotWritable', 'notWritable', 'WrongType', 'wrongValue', 'InconsistentValue', 'NoCreation']) expect(classifySetError('v2c', s)).toBe('past-access-control')
    for (const s of ['NoAccess', 'AuthorizationError']) expect(classifySetError('v2c', s)).toBe('denied')
    for (const s of ['GeneralError', 'timeout']) expect(classifySetError('v2c', s)).toBe('ambiguous')
    for (const s of ['NoSuchName', 'ReadOnly', 'GeneralError', 'timeout']) expect(classifySetError('v1', s)).toBe('ambiguous')
    expect(classifySetError('v1', 'BadValue')).toBe('past-access-control')
  })
})
