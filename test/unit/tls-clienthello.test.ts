import {describe, expect, it} from 'vitest'

import {buildClientHello, buildSslv2ClientHello, generateKeyShare, sniName} from '../../src/probes/tls/clienthello.js'

interface Parsed {
  recordType: number
  recordVersion: number
  hsType: number
  clientVersion: number
  random: Buffer
  sessionId: Buffer
  suites: number[]
  compression: number[]
  extensions: Map<number, Buffer>
  extOrder: number[]
  hsLength: number
}

function parse(rec: Buffer): Parsed {
  expect(rec.readUInt16BE(3)).toBe(rec.length - 5)
  const hs = rec.subarray(5)
  expect(hs.readUIntBE(1, 3)).toBe(hs.length - 4)
  const b = hs.subarray(4)
  let p = 0
  const clientVersion = b.readUInt16BE(0)
  const random = b.subarray(2, 34)
  p = 34
  const sessionId = b.subarray(p + 1, p + 1 + b[p])
  p += 1 + b[p]
  const n = b.readUInt16BE(p)
  const suites: number[] = []
  for (let i = 0; i < n; i += 2) suites.push(b.readUInt16BE(p + 2 + i))
  p += 2 + n
  const compression = [...b.subarray(p + 1, p + 1 + b[p])]
  p += 1 + b[p]
  const extensions = new Map<number, Buffer>()
  const extOrder: number[] = []
  if (p < b.length) {
    const end = p + 2 + b.readUInt16BE(p)
    expect(end).toBe(b.length)
    p += 2
    while (p < end) {
      const t = b.readUInt16BE(p)
      const l = b.readUInt16BE(p + 2)
      extensions.set(t, b.subarray(p + 4, p + 4 + l))
      extOrder.push(t)
      p += 4 + l
    }
    expect(p).toBe(end)
  }
  return {recordType: rec[0], recordVersion: rec.readUInt16BE(1), hsType: hs[0], clientVersion, random, sessionId, suites, compression, extensions, extOrder, hsLength: hs.length}
}

describe('ClientHello builder', () => {
  it('builds a TLS 1.2 hello with the expected fields', () => {
    const random = Buffer.alloc(32, 0xab)
    const rec = buildClientHello({version: 'TLSv1.2', cipherSuites: [0xc02f, 0x002f], targetName: 'gw.example', random, compression: [1, 0]})
    const h = parse(rec)
    expect(h.recordType).toBe(22)
    expect(h.recordVersion).toBe(0x0301)
    expect(h.hsType).toBe(1)
    expect(h.clientVersion).toBe(0x0303)
    expect(h.random.equals(random)).toBe(true)
    expect(h.sessionId.length).toBe(0)
    expect(h.suites).toEqual([0xc02f, 0x002f])
    expect(h.compression).toEqual([1, 0])
    // SNI: list length, type 0, name length, name
    const sni = h.extensions.get(0)!
    expect(sni.readUInt16BE(0)).toBe(sni.length - 2)
    expect(sni[2]).toBe(0)
    expect(sni.subarray(5).toString()).toBe('gw.example')
    expect(h.extensions.get(0xff01)).toEqual(Buffer.from([0]))
    expect(h.extensions.get(23)?.length).toBe(0)
    expect(h.extensions.get(22)?.length).toBe(0)
    expect(h.extensions.get(35)?.length).toBe(0)
    expect(h.extensions.get(11)).toEqual(Buffer.from([3, 0, 1, 2]))
    const groups = h.extensions.get(10)!
    expect(groups.readUInt16BE(0)).toBe(groups.length - 2)
    expect(groups.readUInt16BE(2)).toBe(29)
    const sig = h.extensions.get(13)!
    const sigs: number[] = []
    for (let i = 2; i < sig.length; i += 2) sigs.push(sig.readUInt16BE(i))
    expect(sigs).toContain(0x0201) // rsa_pkcs1_sha1
    expect(sigs).toContain(0x0101) // md5/rsa
    expect(sigs).toContain(0x0804)
    expect(h.extensions.has(43)).toBe(false)
  })

  it('omits SNI for IP literals', () => {
    for (const ip of ['127.0.0.1', '::1', '[::1]']) {
      expect(parse(buildClientHello({version: 'TLSv1.2', cipherSuites: [0x2f], targetName: ip})).extensions.has(0)).toBe(false)
    }
    expect(sniName('Host.Example.')).toBe('host.example')
  })

  it('pads hellos of 256-511 bytes to 512', () => {
    const suites = Array.from({length: 100}, (_, i) => 0xc000 + i)
    const rec = buildClientHello({version: 'TLSv1.2', cipherSuites: suites, targetName: 'a.example'})
    const h = parse(rec)
    expect(h.extensions.has(21)).toBe(true)
    expect(h.hsLength).toBe(512)
    const unpadded = buildClientHello({version: 'TLSv1.2', cipherSuites: suites, targetName: 'a.example', padding: false})
    const u = parse(unpadded)
    expect(u.hsLength).toBeGreaterThan(255)
    expect(u.hsLength).toBeLessThan(512)
    // small and large hellos are not padded
    expect(parse(buildClientHello({version: 'TLSv1.2', cipherSuites: [0x2f], groups: [], signatureAlgorithms: [0x0401]})).extensions.has(21)).toBe(false)
    const big = Array.from({length: 300}, (_, i) => i + 1)
    expect(parse(buildClientHello({version: 'TLSv1.2', cipherSuites: big})).extensions.has(21)).toBe(false)
  })

  it('builds an SSLv3 hello without extensions but with the renegotiation SCSV', () => {
    const h = parse(buildClientHello({version: 'SSLv3', cipherSuites: [0x0005, 0x000a], targetName: 'x.example'}))
    expect(h.recordVersion).toBe(0x0300)
    expect(h.clientVersion).toBe(0x0300)
    expect(h.suites).toEqual([0x0005, 0x000a, 0x00ff])
    expect(h.extensions.size).toBe(0)
  })

  it('builds a TLS 1.3 hello with supported_versions, an X25519 key share and psk modes', () => {
    const h = parse(buildClientHello({version: 'TLSv1.3', cipherSuites: [0x1301, 0x1302], targetName: 'x.example'}))
    expect(h.clientVersion).toBe(0x0303)
    expect(h.sessionId.length).toBe(32)
    expect(h.extensions.get(43)).toEqual(Buffer.from([2, 3, 4]))
    expect(h.extensions.get(45)).toEqual(Buffer.from([1, 1]))
    const ks = h.extensions.get(51)!
    expect(ks.readUInt16BE(0)).toBe(ks.length - 2)
    expect(ks.readUInt16BE(2)).toBe(29)
    expect(ks.readUInt16BE(4)).toBe(32)
    expect(ks.length).toBe(2 + 4 + 32)
    expect(h.extensions.has(0xff01)).toBe(false)
    expect(h.extensions.has(11)).toBe(false)
  })

  it('sends an empty key_share vector when asked (group selection via HelloRetryRequest)', () => {
    const h = parse(buildClientHello({version: 'TLSv1.3', cipherSuites: [0x1301], keyShareGroups: [], groups: [23, 24]}))
    expect(h.extensions.get(51)).toEqual(Buffer.from([0, 0]))
    expect(h.extensions.get(10)).toEqual(Buffer.from([0, 4, 0, 23, 0, 24]))
  })

  it('generates real key shares', () => {
    expect(generateKeyShare(29)?.publicKey.length).toBe(32)
    expect(generateKeyShare(30)?.publicKey.length).toBe(56)
    const p256 = generateKeyShare(23)!.publicKey
    expect(p256.length).toBe(65)
    expect(p256[0]).toBe(4)
    expect(generateKeyShare(256)).toBeUndefined()
  })

  it('builds an SSLv2 CLIENT-HELLO', () => {
    const challenge = Buffer.alloc(16, 7)
    const rec = buildSslv2ClientHello([0x010080, 0x0700c0], challenge)
    expect(rec[0] & 0x80).toBe(0x80)
    expect(((rec[0] & 0x7f) << 8) | rec[1]).toBe(rec.length - 2)
    expect(rec[2]).toBe(1)
    expect(rec.readUInt16BE(3)).toBe(0x0002)
    expect(rec.readUInt16BE(5)).toBe(6)
    expect(rec.readUInt16BE(7)).toBe(0)
    expect(rec.readUInt16BE(9)).toBe(16)
    expect(rec.subarray(11, 17).toString('hex')).toBe('0100800700c0')
    expect(rec.subarray(17).equals(challenge)).toBe(true)
  })
})
