import {describe, expect, it} from 'vitest'

import {
  allCipherSuites,
  allNamedGroups,
  cipherSuiteByCode,
  cipherSuiteByName,
  namedGroupByCode,
  namedGroupByName,
  parseCsv,
} from '../../src/probes/tls/registry.js'

describe('tls registry: cipher suites', () => {
  it('derives 3DES properties', () => {
    const s = cipherSuiteByName('TLS_RSA_WITH_3DES_EDE_CBC_SHA')!
    expect(s.code).toBe(0x000a)
    expect(s).toMatchObject({kex: 'RSA', auth: 'RSA', cipher: '3DES_EDE_CBC', cipherBits: 112, mode: 'CBC', mac: 'SHA'})
    expect(s.forwardSecrecy).toBe(false)
    expect(s.export).toBe(false)
    expect(s.openssl).toBe('DES-CBC3-SHA')
  })

  it('derives anonymous DH', () => {
    const s = cipherSuiteByName('TLS_DH_anon_WITH_AES_128_CBC_SHA')!
    expect(s.anonymous).toBe(true)
    expect(s.auth).toBe('anon')
    expect(s.cipherBits).toBe(128)
  })

  it('derives export RC4', () => {
    const s = cipherSuiteByName('TLS_RSA_EXPORT_WITH_RC4_40_MD5')!
    expect(s).toMatchObject({code: 3, export: true, cipherBits: 40, mode: 'stream', mac: 'MD5', kex: 'RSA'})
    expect(cipherSuiteByName('TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA')).toMatchObject({export: true, cipherBits: 40})
  })

  it('derives ECDHE-ECDSA ChaCha20 as AEAD with FS', () => {
    const s = cipherSuiteByName('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256')!
    expect(s).toMatchObject({code: 0xcca9, kex: 'ECDHE', auth: 'ECDSA', mode: 'AEAD', forwardSecrecy: true, cipherBits: 256})
    expect(s.tls13).toBe(false)
  })

  it('includes TLS 1.3 suites', () => {
    const s = cipherSuiteByCode(0x1301)!
    expect(s).toMatchObject({name: 'TLS_AES_128_GCM_SHA256', tls13: true, kex: 'TLS13', mode: 'AEAD', cipherBits: 128, forwardSecrecy: true})
    expect(cipherSuiteByCode(0x1303)?.name).toBe('TLS_CHACHA20_POLY1305_SHA256')
  })

  it('includes SSLv2 cipher kinds', () => {
    expect(cipherSuiteByCode(0x010080)).toMatchObject({name: 'SSL_CK_RC4_128_WITH_MD5', cipherBits: 128, mode: 'stream'})
    expect(cipherSuiteByCode(0x020080)).toMatchObject({export: true, cipherBits: 40})
    expect(cipherSuiteByCode(0x0700c0)).toMatchObject({cipher: '3DES_EDE_CBC', cipherBits: 112})
  })

  it('other derivations', () => {
    expect(cipherSuiteByName('TLS_RSA_WITH_NULL_SHA')).toMatchObject({cipherBits: 0, mode: 'none'})
    expect(cipherSuiteByName('TLS_RSA_WITH_DES_CBC_SHA')).toMatchObject({cipherBits: 56})
    expect(cipherSuiteByName('TLS_ECDH_anon_WITH_AES_128_CBC_SHA')).toMatchObject({anonymous: true})
    expect(cipherSuiteByName('TLS_RSA_WITH_AES_128_CCM_8')).toMatchObject({mode: 'AEAD', mac: 'SHA256'})
    expect(cipherSuiteByName('TLS_PSK_DHE_WITH_AES_128_CCM_8')).toMatchObject({kex: 'DHE_PSK', forwardSecrecy: true})
    expect(cipherSuiteByName('TLS_ECDHE_RSA_WITH_RC4_128_SHA')).toMatchObject({mode: 'stream', forwardSecrecy: true})
    expect(cipherSuiteByName('TLS_DH_RSA_WITH_AES_128_GCM_SHA256')).toMatchObject({kex: 'DH', forwardSecrecy: false})
  })

  it('looks up OpenSSL and SSL_ names case-insensitively', () => {
    expect(cipherSuiteByName('ECDHE-RSA-AES128-GCM-SHA256')?.code).toBe(0xc02f)
    expect(cipherSuiteByName('rc4-md5')?.code).toBe(0x0004)
    expect(cipherSuiteByName('SSL_RSA_WITH_RC4_128_MD5')?.code).toBe(0x0004)
    expect(cipherSuiteByName('NOPE')).toBeUndefined()
  })

  it('lists only assigned suites, no SCSV or ranges', () => {
    const all = allCipherSuites()
    const names = all.map((s) => s.name)
    expect(names).not.toContain('TLS_EMPTY_RENEGOTIATION_INFO_SCSV')
    expect(names).not.toContain('TLS_FALLBACK_SCSV')
    expect(names.some((n) => /Reserved|Unassigned/.test(n))).toBe(false)
    expect(all.length).toBeGreaterThan(340)
    expect(new Set(all.map((s) => s.code)).size).toBe(all.length)
  })
})

describe('tls registry: named groups', () => {
  it('has bits for classic groups', () => {
    expect(namedGroupByCode(23)).toMatchObject({name: 'secp256r1', bits: 256, kind: 'ec'})
    expect(namedGroupByName('x25519')).toMatchObject({code: 29, bits: 256})
    expect(namedGroupByName('ffdhe2048')).toMatchObject({code: 256, bits: 2048, kind: 'ff'})
    expect(namedGroupByName('sect163k1')?.bits).toBe(163)
    expect(namedGroupByName('prime256v1')?.code).toBe(23)
  })

  it('has the hybrid post-quantum groups', () => {
    expect(namedGroupByCode(0x11ec)).toMatchObject({name: 'X25519MLKEM768', postQuantum: true, kind: 'hybrid'})
    expect(namedGroupByCode(0x11eb)?.name).toBe('SecP256r1MLKEM768')
    expect(allNamedGroups().some((g) => /Reserved|Unassigned/.test(g.name))).toBe(false)
  })
})

describe('csv parser', () => {
  it('handles quotes, commas and embedded newlines', () => {
    expect(parseCsv('a,b\r\n"0x00,0x01","x\ny",z\r\n')).toEqual([
      ['a', 'b'],
      ['0x00,0x01', 'x\ny', 'z'],
    ])
  })
})
