import net from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'

import {ProbeError} from '../../src/probes/types.js'
import {readHandshake, readSslv2} from '../../src/probes/tls/records.js'
import {
  bitLength,
  HRR_RANDOM,
  parseAlert,
  parseCertificateMessage,
  parseServerHello,
  parseServerKeyExchange,
  parseSslv2ServerHello,
} from '../../src/probes/tls/serverhello.js'
import {expectWithinBound} from '../helpers/bounds.js'

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')

describe('ServerHello parser', () => {
  it('parses a TLS 1.2 ServerHello with extensions', () => {
    const body = hex(`
      0303 ${'11'.repeat(32)} 04 deadbeef c02f 00
      0013
        ff01 0001 00
        0017 0000
        0016 0000
        000b 0002 0100`)
    const sh = parseServerHello(body)
    expect(sh.version).toBe(0x0303)
    expect(sh.legacyVersion).toBe(0x0303)
    expect(sh.sessionId.toString('hex')).toBe('deadbeef')
    expect(sh.cipherSuite).toBe(0xc02f)
    expect(sh.compression).toBe(0)
    expect(sh.secureRenegotiation).toBe(true)
    expect(sh.extendedMasterSecret).toBe(true)
    expect(sh.encryptThenMac).toBe(true)
    expect(sh.helloRetryRequest).toBe(false)
    expect(sh.extensions.map((e) => e.type)).toEqual([0xff01, 0x17, 0x16, 0x0b])
  })

  it('parses an SSLv3 ServerHello without extensions', () => {
    const sh = parseServerHello(hex(`0300 ${'22'.repeat(32)} 00 0005 01`))
    expect(sh.version).toBe(0x0300)
    expect(sh.cipherSuite).toBe(5)
    expect(sh.compression).toBe(1)
    expect(sh.extensions).toEqual([])
    expect(sh.secureRenegotiation).toBe(false)
  })

  it('parses a TLS 1.3 ServerHello (supported_versions, key_share)', () => {
    const body = hex(`0303 ${'33'.repeat(32)} 00 1302 00 002e 002b 0002 0304 0033 0024 001d 0020 ${'44'.repeat(32)}`)
    const sh = parseServerHello(body)
    expect(sh.legacyVersion).toBe(0x0303)
    expect(sh.version).toBe(0x0304)
    expect(sh.keyShareGroup).toBe(29)
    expect(sh.helloRetryRequest).toBe(false)
  })

  it('detects a HelloRetryRequest by its random', () => {
    const body = Buffer.concat([hex('0303'), HRR_RANDOM, hex('00 1301 00 000c 002b 0002 0304 0033 0002 0017')])
    const sh = parseServerHello(body)
    expect(sh.helloRetryRequest).toBe(true)
    expect(sh.keyShareGroup).toBe(23)
    expect(sh.version).toBe(0x0304)
  })

  it('rejects truncated input with a ProbeError', () => {
    expect(() => parseServerHello(hex('0303 1111'))).toThrow(ProbeError)
  })
})

describe('Certificate, ServerKeyExchange, Alert parsers', () => {
  it('parses a certificate list', () => {
    const body = hex('00000c 000003 aabbcc 000003 ddeeff')
    const certs = parseCertificateMessage(body)
    expect(certs.map((c) => c.toString('hex'))).toEqual(['aabbcc', 'ddeeff'])
    expect(() => parseCertificateMessage(hex('000010 000003 aabbcc'))).toThrow(ProbeError)
  })

  it('parses a TLS 1.3 certificate list', () => {
    const body = hex('00 00000a 000003 aabbcc 0002 0000')
    // entry: len(3)=3 cert, extensions vec(2) containing 2 bytes? here 0002 then 0000
    expect(parseCertificateMessage(body, true).map((c) => c.toString('hex'))).toEqual(['aabbcc'])
  })

  it('measures the DHE prime', () => {
    const p = Buffer.alloc(128, 0xff)
    const body = Buffer.concat([hex('0080'), p, hex('0001 02 0002 1234 0401 0002 abcd')])
    const ske = parseServerKeyExchange(body, 'DHE')
    expect(ske).toMatchObject({kind: 'dhe', primeBits: 1024})
    expect(bitLength(hex('00 01 00'))).toBe(9)
    expect(bitLength(hex('0000'))).toBe(0)
  })

  it('reads the ECDHE named curve', () => {
    expect(parseServerKeyExchange(hex('03 0018 04 01020304'), 'ECDHE')).toEqual({kind: 'ecdhe', curveType: 3, namedGroup: 24})
    expect(parseServerKeyExchange(hex('01 0000'), 'ECDHE')).toEqual({kind: 'ecdhe', curveType: 1})
    expect(parseServerKeyExchange(hex('00'), 'RSA')).toEqual({kind: 'unknown'})
  })

  it('parses alerts', () => {
    expect(parseAlert(hex('0228'))).toEqual({level: 'fatal', levelCode: 2, description: 40, name: 'handshake_failure'})
    expect(parseAlert(hex('0146'))).toMatchObject({level: 'warning', name: 'protocol_version'})
    expect(parseAlert(hex('02fe')).name).toBe('alert_254')
  })

  it('parses an SSLv2 SERVER-HELLO', () => {
    // type 4, hit 0, cert type 1, version 0002, cert len 3, specs len 6, conn id len 16
    const body = hex(`04 00 01 0002 0003 0006 0010 aabbcc 010080 0700c0 ${'55'.repeat(16)}`)
    const sh = parseSslv2ServerHello(body)
    expect(sh).toMatchObject({sessionIdHit: false, certificateType: 1, version: 2})
    if ('error' in sh) throw new Error('unexpected')
    expect(sh.cipherKinds).toEqual([0x010080, 0x0700c0])
    expect(sh.certificate.toString('hex')).toBe('aabbcc')
    expect(sh.connectionId.length).toBe(16)
    expect(parseSslv2ServerHello(hex('00 0001'))).toEqual({error: 1})
  })
})

describe('record reader', () => {
  const servers: net.Server[] = []
  afterEach(() => {
    for (const s of servers) s.close()
    servers.length = 0
  })

  async function serve(reply: (s: net.Socket) => void): Promise<net.Socket> {
    const srv = net.createServer((s) => {
      s.on('error', () => {})
      reply(s)
    })
    servers.push(srv)
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const sock = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1')
    sock.on('error', () => {})
    await new Promise((r) => sock.once('connect', r))
    return sock
  }

  it('reassembles handshake messages split across records and records split across writes', async () => {
    // ServerHello (type 2, 4-byte body) split over two records, then ServerHelloDone in a third.
    const rec1 = hex('16 0303 0005 02 000004 aa')
    const rec2 = hex('16 0303 0003 bbccdd')
    const rec3 = hex('16 0303 0004 0e 000000')
    const sock = await serve((s) => {
      const all = Buffer.concat([rec1, rec2, rec3])
      s.write(all.subarray(0, 3))
      setTimeout(() => s.write(all.subarray(3)), 20)
    })
    const res = await readHandshake(sock, {timeoutMs: 1000, done: (m) => m.some((x) => x.type === 14)})
    sock.destroy()
    expect(res.messages.map((m) => m.type)).toEqual([2, 14])
    expect(res.messages[0].body.toString('hex')).toBe('aabbccdd')
  })

  it('returns alerts', async () => {
    const sock = await serve((s) => s.end(hex('15 0301 0002 0246')))
    const res = await readHandshake(sock, {timeoutMs: 1000, done: () => true})
    sock.destroy()
    expect(res.alert?.description).toBe(70)
  })

  it('flags non-TLS bytes', async () => {
    const sock = await serve((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    const err = await readHandshake(sock, {timeoutMs: 1000, done: () => true}).catch((e) => e)
    sock.destroy()
    expect(err).toBeInstanceOf(ProbeError)
    expect(err.code).toBe('not-tls')
    expect(err.message).toMatch(/first bytes 0x48 0x54 0x54 0x50 0x2f are not a TLS record/)
  })

  it('times out on silence', async () => {
    const sock = await serve(() => {})
    const t = Date.now()
    const err = await readHandshake(sock, {timeoutMs: 150, done: () => true}).catch((e) => e)
    sock.destroy()
    expect(err.code).toBe('timeout')
    expect(err.message).toBe('no response within 150 ms')
    expectWithinBound(Date.now() - t, 1000)
  })

  it('reports a close without reply and a reset', async () => {
    let sock = await serve((s) => s.end())
    let err = await readHandshake(sock, {timeoutMs: 1000, done: () => true}).catch((e) => e)
    sock.destroy()
    expect(err.code).toBe('closed')
    sock = await serve((s) => setTimeout(() => s.resetAndDestroy(), 10))
    err = await readHandshake(sock, {timeoutMs: 1000, done: () => true}).catch((e) => e)
    sock.destroy()
    expect(err.code).toBe('reset')
  })

  it('enforces the byte cap', async () => {
    const sock = await serve((s) => {
      // A Certificate message announcing 1 MiB.
      s.write(hex('16 0303 0004 0b 100000'))
    })
    const err = await readHandshake(sock, {timeoutMs: 1000, maxBytes: 64 * 1024, done: () => false}).catch((e) => e)
    sock.destroy()
    expect(err.code).toBe('oversized')
    const sock2 = await serve((s) => {
      const rec = Buffer.concat([hex('16 0303 4000'), Buffer.alloc(0x4000)])
      for (let i = 0; i < 10; i++) s.write(rec)
    })
    const err2 = await readHandshake(sock2, {timeoutMs: 1000, maxBytes: 64 * 1024, done: () => false}).catch((e) => e)
    sock2.destroy()
    expect(err2.code).toBe('oversized')
  })

  it('reads SSLv2 replies and TLS alerts to SSLv2 hellos', async () => {
    let sock = await serve((s) => s.end(hex('8003 00 0001')))
    let r = await readSslv2(sock, {timeoutMs: 1000})
    sock.destroy()
    expect(r.sslv2?.body.toString('hex')).toBe('000001')
    sock = await serve((s) => s.end(hex('15 0301 0002 0246')))
    r = await readSslv2(sock, {timeoutMs: 1000})
    sock.destroy()
    expect(r.tls?.type).toBe(21)
  })
})
