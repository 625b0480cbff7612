/** NTP packets (mode 3/4, mode 6 control) and ntp.mode6.exposed, on hand-built and lab-built datagrams. */
import {describe, expect, it} from 'vitest'

import {check} from '../../checks/ntp/mode6-exposed.js'
import type {Observation} from '../../src/evidence/types.js'
import {clientRequest, controlRequest, OP_READSTAT, OP_READVAR, parseAssociations, parseControl, parseServerReply, parseVariables, reassemble} from '../../src/probes/ntp/packet.js'
import type {NtpControlData, NtpControlQuery} from '../../src/probes/ntp/types.js'
import {CLASSIC_NTPD_VARIABLES, controlReplies} from '../../src/lab/ntp-responder.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

describe('NTP packets', () => {
  it('builds a mode-3 v4 request carrying the transmit timestamp and reads a mode-4 reply', () => {
    const t = Buffer.from('0102030405060708', 'hex')
    const req = clientRequest(t)
    expect(req).toHaveLength(48)
    expect(req[0]).toBe(0x23)
    const reply = Buffer.alloc(48)
    reply[0] = 0x24
    reply[1] = 1
    Buffer.from('GPS\0').copy(reply, 12)
    t.copy(reply, 24)
    expect(parseServerReply(reply)).toEqual({version: 4, mode: 4, stratum: 1, refid: 'GPS', origin: t.toString('hex')})
    expect(parseServerReply(req)).toBeUndefined() // a request is not a reply
    expect(parseServerReply(reply.subarray(0, 47))).toBeUndefined()
  })

  it('builds READSTAT/READVAR as ntpq does (version 2, mode 6, 12 bytes)', () => {
    expect(controlRequest(OP_READVAR, 0x1234).toString('hex')).toBe('160212340000000000000000')
    expect(controlRequest(OP_READSTAT, 1)[1]).toBe(1)
  })

  it('reassembles a fragmented READVAR response in offset order and reads its variables', () => {
    const req = controlRequest(OP_READVAR, 77)
    // The classic variables plus a long one: three datagrams at ntpd's 468 data octets each.
    const data = Buffer.from([...CLASSIC_NTPD_VARIABLES, ['filler', `"${'x'.repeat(600)}"`]].map(([k, v]) => `${k}=${v}`).join(',\r\n'), 'latin1')
    const replies = controlReplies(req, data)
    expect(replies).toHaveLength(3)
    const frags = replies.map((r) => parseControl(r)!)
    expect(frags.every((f) => f.response && f.sequence === 77 && f.opcode === OP_READVAR)).toBe(true)
    expect(frags.slice(0, -1).every((f) => f.more)).toBe(true)
    const r = reassemble([...frags].reverse())
    expect(r.complete).toBe(true)
    expect(r.data.equals(data)).toBe(true)
    const vars = parseVariables(r.data.toString('latin1'))
    expect(vars.version).toBe('ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)')
    expect(vars.processor).toBe('mips')
    expect(vars.system).toBe('Linux/4.14.180')
    expect(vars.stratum).toBe('2')
    // A missing middle fragment: incomplete, only the contiguous start kept.
    const gap = reassemble([frags[0], ...frags.slice(2)])
    expect(gap.complete).toBe(false)
    expect(gap.data.length).toBe(frags[0].data.length)
  })

  it('reads quoted values with commas, bare flags and hostile input without throwing', () => {
    expect(parseVariables('version="a, b", flag, x=1')).toEqual({version: 'a, b', flag: '', x: '1'})
    expect(parseVariables('"unterminated')).toEqual({'"unterminated': ''})
    expect(Object.keys(parseVariables(Array.from({length: 500}, (_, i) => `v${i}=1`).join(',')))).toHaveLength(128)
  })

  it('rejects a control message whose count overruns the datagram; reads READSTAT association pairs', () => {
    const b = controlReplies(controlRequest(OP_READSTAT, 5), Buffer.from('a3910000a3920000', 'hex'))[0]
    expect(parseAssociations(parseControl(b)!.data)).toEqual([{id: 0xa391, status: 0}, {id: 0xa392, status: 0}])
    const bad = Buffer.from(b)
    bad.writeUInt16BE(4000, 10)
    expect(parseControl(bad)).toBeUndefined()
    expect(parseControl(clientRequest())).toBeUndefined() // mode 3
  })
})

const q = (o: Partial<NtpControlQuery>): NtpControlQuery => ({answered: false, requestBytes: 12, responseBytes: 0, datagrams: 0, amplification: 0, complete: false, sent: 3, ...o})
const run = (data: NtpControlData) => {
  const observation = {id: 'o', service: 'ntp://192.0.2.1:123', probe: 'ntp.control', collectedAt: '', data, artifacts: []} as unknown as Observation
  return check.evaluate({service: {id: 'ntp://192.0.2.1:123', protocol: 'ntp', host: '192.0.2.1', port: 123, transport: 'udp'}, observations: {'ntp.control': observation}, thresholds: DEFAULT_THRESHOLDS, now: new Date(), severity: 'medium'} as never)
}

describe('ntp.mode6.exposed', () => {
  it('fails when READVAR is answered, naming amplification and disclosed variables', () => {
    const r = run({client: {answered: true, version: 4, stratum: 2}, readstat: q({answered: true, responseBytes: 28, datagrams: 1, amplification: 2.3, complete: true}), readvar: q({answered: true, responseBytes: 520, datagrams: 2, amplification: 43.3, complete: true, names: ['processor', 'system', 'version'], variables: {version: 'ntpd 4.2.8p15', processor: 'mips', system: 'Linux/4.14'}}), amplification: 43.3})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('READVAR answered with 520 bytes in 2 datagram(s) for a 12-byte request (43.3×)')
    expect(r.message).toContain('version="ntpd 4.2.8p15", processor="mips", system="Linux/4.14"')
  })

  it('passes when time requests are answered but no control query after every transmission', () => {
    expect(run({client: {answered: true, version: 4, stratum: 2}, readstat: q({}), readvar: q({}), amplification: 0}).outcome).toBe('pass')
    // Refused with the error bit: a pass too.
    expect(run({client: {answered: false}, readstat: q({answered: true, errorBit: true}), readvar: q({answered: true, errorBit: true}), amplification: 0}).outcome).toBe('pass')
  })

  it('is inconclusive when a query was cut short or nothing answered at all', () => {
    expect(run({client: {answered: true, version: 4, stratum: 2}, readstat: q({sent: 3}), readvar: q({sent: 1}), amplification: 0}).outcome).toBe('inconclusive')
    expect(run({client: {answered: false}, readstat: q({}), readvar: q({}), amplification: 0}).outcome).toBe('inconclusive')
  })
})
