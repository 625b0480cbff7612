import {describe, expect, it} from 'vitest'

import {check} from '../../checks/coap/unauth-discovery.js'
import type {CheckInput} from '../../src/checks/types.js'
import type {Service} from '../../src/evidence/types.js'
import {coapGet, linkFormatPaths, parseCoap} from '../../src/probes/coap/message.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

describe('CoAP messages', () => {
  it('encodes GET /.well-known/core as RFC 7252 bytes', () => {
    const m = coapGet(['.well-known', 'core'], 0x1234, Buffer.from([1, 2, 3, 4]))
    expect(m.toString('hex')).toBe('4401123401020304bb2e77656c6c2d6b6e6f776e04636f7265')
    const back = parseCoap(m)
    expect(back).toMatchObject({type: 'CON', code: '0.01', messageId: 0x1234})
    expect(back.options.map((o) => [o.number, o.value.toString()])).toEqual([[11, '.well-known'], [11, 'core']])
  })
  it('parses a piggybacked 2.05 with a link-format payload; rejects malformed datagrams', () => {
    const reply = Buffer.concat([Buffer.from([0x64, 0x45, 0x12, 0x34, 1, 2, 3, 4, 0xc1, 40, 0xff]), Buffer.from('</a>;rt="x",</b/c>;obs')])
    const m = parseCoap(reply)
    expect(m).toMatchObject({type: 'ACK', code: '2.05'})
    expect(linkFormatPaths(m.payload.toString())).toEqual(['/a', '/b/c'])
    expect(() => parseCoap(Buffer.from([0x80, 0, 0, 0]))).toThrow(/version/)
    expect(() => parseCoap(Buffer.from([0x4f, 0, 0, 0]))).toThrow(/token/)
    expect(() => parseCoap(Buffer.from([0x40, 0x45, 0, 0, 0xbc]))).toThrow(/past the datagram/)
    expect(() => parseCoap(Buffer.from([0x40, 0x45, 0, 0, 0xbf]))).toThrow(/reserved/)
  })
})

describe('coap.unauth.discovery', () => {
  const S: Service = {id: 'coap://192.0.2.60:5683', protocol: 'coap', host: '192.0.2.60', port: 5683, transport: 'udp'}
  const run = (data: object) => check.evaluate({service: S, observations: {'coap.discovery': {id: 'o', service: S.id, probe: 'coap.discovery', collectedAt: '', data: data as Record<string, unknown>, artifacts: []}}, thresholds: DEFAULT_THRESHOLDS, now: new Date(), severity: check.defaultSeverity} as CheckInput)
  it('fails on a listing, passes on a refusal, is inconclusive otherwise', () => {
    expect(run({code: '2.05', resources: ['/relay'], truncated: false})).toMatchObject({outcome: 'fail', message: expect.stringMatching(/\/relay/)})
    expect(run({code: '4.01', resources: [], truncated: false}).outcome).toBe('pass')
    expect(run({code: '4.04', resources: [], truncated: false}).outcome).toBe('inconclusive')
    expect(run({}).outcome).toBe('inconclusive')
  })
})
