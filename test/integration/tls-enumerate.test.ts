import tls from 'node:tls'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {enumerateTls} from '../../src/probes/tls/enumerate.js'
import {tlsProbeUnit} from '../../src/probes/tls/unit.js'
import {startFakeTlsServer, type FakeTlsConfig, type FakeTlsServer} from '../fixtures/fake-tls-server.js'
import {makeProbeContext} from '../helpers/probe-context.js'
import {selfSignedRsa} from '../helpers/tls-cert.js'
import {expectWithinBound} from '../helpers/bounds.js'

const servers: Array<{close(): unknown}> = []
afterAll(async () => {
  for (const s of servers) await s.close()
})

async function fake(cfg: FakeTlsConfig): Promise<FakeTlsServer> {
  const s = await startFakeTlsServer(cfg)
  servers.push(s)
  return s
}

async function nodeServer(opts: tls.TlsOptions): Promise<number> {
  const {key, cert} = selfSignedRsa()
  const srv = tls.createServer({key, cert, ...opts})
  srv.on('tlsClientError', () => {})
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  servers.push({close: () => new Promise<void>((r) => srv.close(() => r()))})
  return (srv.address() as import('node:net').AddressInfo).port
}

const sorted = (a: string[] | undefined): string[] => [...(a ?? [])].sort()

describe('enumerate against the fake TLS server', () => {
  let der: Buffer
  beforeAll(() => {
    der = selfSignedRsa().der
  })

  it('detects SSLv2, SSLv3, RC4, 3DES, EXPORT and DHE prime size', async () => {
    const srv = await fake({
      versions: ['SSLv3', 'TLSv1.0'],
      suites: [0x0005, 0x000a, 0x0003, 0x0016, 0x0004],
      dhePrimeBits: 1024,
      certificate: der,
      sslv2Kinds: [0x010080, 0x0700c0, 0x020080],
      deflate: true,
      extendedMasterSecret: false,
    })
    const ctx = makeProbeContext(srv.port, {timeoutMs: 1000})
    const e = await enumerateTls(ctx)
    expect(e.error).toBeUndefined()
    expect(e.protocols).toEqual({SSLv2: true, SSLv3: true, 'TLSv1.0': true, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false})
    const legacy = [
      'TLS_RSA_WITH_RC4_128_SHA',
      'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
      'TLS_RSA_EXPORT_WITH_RC4_40_MD5',
      'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA',
      'TLS_RSA_WITH_RC4_128_MD5',
    ].sort()
    expect(sorted(e.cipherSuites.SSLv3)).toEqual(legacy)
    expect(sorted(e.cipherSuites['TLSv1.0'])).toEqual(legacy)
    expect(sorted(e.cipherSuites.SSLv2)).toEqual(
      ['SSL_CK_RC4_128_WITH_MD5', 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', 'SSL_CK_RC4_128_EXPORT40_WITH_MD5'].sort(),
    )
    expect(e.cipherSuites['TLSv1.2']).toBeUndefined()
    expect(e.preference['TLSv1.0']).toEqual({serverOrder: false})
    expect(e.keyExchange.dheBits).toBe(1024)
    expect(e.keyExchange.compression).toEqual(['DEFLATE'])
    expect(e.keyExchange.secureRenegotiation).toBe(true)
    expect(e.keyExchange.extendedMasterSecret).toBe(false)
    expect(e.keyExchange.encryptThenMac).toBe(false)
    expect(e.chains[0]?.protocol).toBe('TLSv1.0')
    expect(e.chains[0]?.der[0].equals(der)).toBe(true)
    expect(e.serverHellos.SSLv3?.[0]).toBe(22)
    // accepted 5 + 5 + SSLv2 1; TLS1.2/1.3/1.1 refused; SSLv3/TLS1.0 terminations; no ECDHE suites → no group loop
    expect(e.connections).toBeLessThanOrEqual(11 + 10)
    expect(srv.connections).toBe(e.connections)
  })

  it('derives the server preference order', async () => {
    const srv = await fake({
      versions: ['TLSv1.2'],
      suites: [0x009c, 0xc030, 0x002f, 0xc02f, 0x000a],
      serverOrder: true,
      ecdheGroups: [24, 23, 29],
      encryptThenMac: true,
      extendedMasterSecret: true,
    })
    const e = await enumerateTls(makeProbeContext(srv.port, {timeoutMs: 1000}))
    expect(e.cipherSuites['TLSv1.2']).toEqual([
      'TLS_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
    ])
    expect(e.preference['TLSv1.2']).toEqual({serverOrder: true})
    expect(sorted(e.keyExchange.groups)).toEqual(['secp256r1', 'secp384r1', 'x25519'])
    expect(e.keyExchange.extendedMasterSecret).toBe(true)
    expect(e.keyExchange.encryptThenMac).toBe(true)
    expect(e.keyExchange.dheBits).toBeNull()
    expect(e.chains).toEqual([])
  })

  it('client order with two suites needs the extra check', async () => {
    const srv = await fake({versions: ['TLSv1.2'], suites: [0x002f, 0x0035]})
    const e = await enumerateTls(makeProbeContext(srv.port, {timeoutMs: 1000}))
    expect(sorted(e.cipherSuites['TLSv1.2'])).toEqual(['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA'])
    expect(e.preference['TLSv1.2']).toEqual({serverOrder: false})
  })

  it('enumerates TLS 1.3 suites and groups through HelloRetryRequest', async () => {
    const srv = await fake({versions: ['TLSv1.3'], tls13Suites: [0x1302, 0x1301], tls13Groups: [24, 23]})
    const e = await enumerateTls(makeProbeContext(srv.port, {timeoutMs: 1000}))
    expect(e.protocols['TLSv1.3']).toBe(true)
    expect(e.protocols['TLSv1.2']).toBe(false)
    expect(e.cipherSuites['TLSv1.3']).toEqual(['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'])
    expect(e.preference['TLSv1.3']).toEqual({serverOrder: true})
    expect(e.keyExchange.groups).toEqual(['secp384r1', 'secp256r1'])
    expect(e.keyExchange.preferredGroup).toBe('secp384r1')
    expect(e.keyExchange.secureRenegotiation).toBeNull()
    expect(e.keyExchange.extendedMasterSecret).toBeNull()
    expect(e.serverHellos['TLSv1.3']).toBeDefined()
  })

  it('detects the hybrid post-quantum group X25519MLKEM768 through HelloRetryRequest', async () => {
    const srv = await fake({versions: ['TLSv1.3'], tls13Suites: [0x1301], tls13Groups: [0x11ec, 29]})
    const e = await enumerateTls(makeProbeContext(srv.port, {timeoutMs: 1000}))
    expect(e.keyExchange.groups).toContain('X25519MLKEM768')
    expect(e.keyExchange.groups).toContain('x25519')
  })

  it('falls back to chunks when the server limits the ClientHello size', async () => {
    const srv = await fake({versions: ['TLSv1.2'], suites: [0xc02f, 0x000a, 0xccaa], maxHelloBytes: 700, serverOrder: true})
    const e = await enumerateTls(makeProbeContext(srv.port, {timeoutMs: 1000}))
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.cipherSuites['TLSv1.2']).toEqual([
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
      'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    ])
    expect(e.preference['TLSv1.2']).toEqual({serverOrder: true})
  })

  it('treats resets on some versions as refusal', async () => {
    const srv = await fake({versions: ['TLSv1.2'], suites: [0x002f], refuse: 'reset'})
    const e = await enumerateTls(makeProbeContext(srv.port, {timeoutMs: 1000}))
    expect(e.error).toBeUndefined()
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.protocols['TLSv1.0']).toBe(false)
    expect(e.refusals['TLSv1.0']).toMatch(/reset/)
  })

  describe('misbehaving targets', () => {
    const cases: Array<[FakeTlsConfig['behaviour'], string]> = [
      ['silent', 'timeout'],
      ['garbage', 'not-tls'],
      ['reset', 'reset'],
      ['close', 'closed'],
      ['huge-certificate', 'oversized'],
    ]
    for (const [behaviour, code] of cases) {
      it(`${behaviour} → error ${code}`, async () => {
        const srv = await fake({versions: ['TLSv1.2'], suites: [0x002f], behaviour})
        const ctx = makeProbeContext(srv.port, {timeoutMs: 300})
        const t = Date.now()
        const e = await enumerateTls(ctx)
        expect(e.error?.code).toBe(code)
        expect(e.error?.message.length).toBeGreaterThan(5)
        expectWithinBound(Date.now() - t, 2 * 300 + 500)
        expect(Object.values(e.protocols).some(Boolean)).toBe(false)
        // Silence to a large hello is retried once with a small one (hello-size intolerance), then it is fatal.
        if (behaviour === 'silent') expect(ctx.connections).toBe(2)
        else if (behaviour === 'garbage' || behaviour === 'huge-certificate') expect(ctx.connections).toBe(1)
        else expect(ctx.connections).toBeLessThanOrEqual(6)
      })
    }

    it('connection refused → error, all five emissions', async () => {
      const srv = await fake({versions: ['TLSv1.2'], suites: [0x2f]})
      const port = srv.port
      await srv.close()
      const ctx = makeProbeContext(port, {timeoutMs: 300})
      const em = await tlsProbeUnit.run(ctx)
      expect(em.map((x) => x.probe)).toEqual([...tlsProbeUnit.emits])
      for (const x of em) {
        expect(x.error?.code).toBe('refused')
        expect(x.data).toEqual({})
      }
    })

    it('respects abort', async () => {
      const srv = await fake({versions: ['TLSv1.2'], suites: [0x2f], behaviour: 'silent'})
      const ac = new AbortController()
      const ctx = makeProbeContext(srv.port, {timeoutMs: 5000, signal: ac.signal})
      setTimeout(() => ac.abort(), 100)
      const t = Date.now()
      const e = await enumerateTls(ctx)
      expect(e.error?.code).toBe('aborted')
      expectWithinBound(Date.now() - t, 1000)
    })
  })
})

describe('enumerate against real Node TLS servers', () => {
  it('legacy server (TLS 1.0–1.3, ALL:eNULL:@SECLEVEL=0): exact suite sets', async () => {
    const port = await nodeServer({minVersion: 'TLSv1', ciphers: 'ALL:eNULL:@SECLEVEL=0'})
    const ctx = makeProbeContext(port, {timeoutMs: 2000})
    const t = Date.now()
    const e = await enumerateTls(ctx)
    const ms = Date.now() - t
    const accepted = Object.values(e.cipherSuites).reduce((a, l) => a + (l?.length ?? 0), 0)
    console.log(`legacy node server: ${accepted} suites, ${ctx.connections} connections, ${ms} ms`)
    expect(e.protocols).toEqual({SSLv2: false, SSLv3: false, 'TLSv1.0': true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true})
    const legacy = [
      'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_NULL_SHA',
      'TLS_RSA_WITH_AES_256_CBC_SHA',
      'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA',
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA',
      'TLS_RSA_WITH_NULL_MD5',
      'TLS_RSA_WITH_NULL_SHA',
      'TLS_ECDH_anon_WITH_AES_256_CBC_SHA',
      'TLS_ECDH_anon_WITH_AES_128_CBC_SHA',
      'TLS_ECDH_anon_WITH_NULL_SHA',
    ]
    expect(sorted(e.cipherSuites['TLSv1.0'])).toEqual(sorted(legacy))
    expect(sorted(e.cipherSuites['TLSv1.1'])).toEqual(sorted(legacy))
    expect(sorted(e.cipherSuites['TLSv1.2'])).toEqual(
      sorted([
        ...legacy,
        'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256',
        'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
        'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
        'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256',
        'TLS_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_RSA_WITH_ARIA_256_GCM_SHA384',
        'TLS_RSA_WITH_AES_256_CCM',
        'TLS_RSA_WITH_AES_256_CCM_8',
        'TLS_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_RSA_WITH_ARIA_128_GCM_SHA256',
        'TLS_RSA_WITH_AES_128_CCM',
        'TLS_RSA_WITH_AES_128_CCM_8',
        'TLS_RSA_WITH_AES_256_CBC_SHA256',
        'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256',
        'TLS_RSA_WITH_AES_128_CBC_SHA256',
        'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256',
        'TLS_RSA_WITH_NULL_SHA256',
      ]),
    )
    // Node servers honour their own cipher order by default (honorCipherOrder defaults to true).
    expect(e.cipherSuites['TLSv1.3']).toEqual(['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'])
    for (const p of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) expect(e.preference[p]).toEqual({serverOrder: true})
    expect(e.cipherSuites['TLSv1.2']?.[0]).toBe('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384')
    expect(sorted(e.keyExchange.groups)).toEqual(
      sorted(['x25519', 'secp256r1', 'x448', 'secp521r1', 'secp384r1', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192']),
    )
    expect(e.keyExchange.secureRenegotiation).toBe(true)
    expect(e.keyExchange.extendedMasterSecret).toBe(true)
    expect(e.keyExchange.encryptThenMac).toBe(true)
    expect(e.keyExchange.compression).toEqual([])
    expect(e.chains[0]?.protocol).toBe('TLSv1.2')
    expect(e.chains[0]?.der[0].equals(selfSignedRsa().der)).toBe(true)
    expect(ctx.connections).toBeLessThanOrEqual(accepted + 20)
    expectWithinBound(ms, 3000)
  })

  it('client-order server (honorCipherOrder false)', async () => {
    const port = await nodeServer({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA',
      honorCipherOrder: false,
    })
    const ctx = makeProbeContext(port)
    const e = await enumerateTls(ctx)
    expect(e.preference['TLSv1.2']).toEqual({serverOrder: false})
    // client order: reported in the scanner's own (strongest first) offer order
    expect(e.cipherSuites['TLSv1.2']).toEqual([
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_RSA_WITH_AES_256_CBC_SHA',
      'TLS_RSA_WITH_AES_128_CBC_SHA',
    ])
    // 4 accepted + 1 refusal + 1 order check + 5 refused protocols + 1 second SSLv3 chunk (SSLv3 hellos stay
    // under 256 bytes) + 6 for the ECDHE group loop (5 groups + refusal) + 1 group order check
    expect(ctx.connections).toBeLessThanOrEqual(19)
  })

  it('modern server with server order, DHE and chosen curves', async () => {
    const port = await nodeServer({
      dhparam: 'auto',
      ciphers: 'DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA',
      ecdhCurve: 'secp384r1:prime256v1',
      honorCipherOrder: true,
      maxVersion: 'TLSv1.2',
    })
    const ctx = makeProbeContext(port)
    const e = await enumerateTls(ctx)
    expect(e.protocols).toEqual({SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': false})
    expect(e.cipherSuites['TLSv1.2']).toEqual([
      'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_RSA_WITH_AES_128_CBC_SHA',
    ])
    expect(e.preference['TLSv1.2']).toEqual({serverOrder: true})
    expect(e.keyExchange.dheBits).toBe(2048)
    expect(e.keyExchange.groups).toEqual(['secp384r1', 'secp256r1'])
    expect(e.keyExchange.preferredGroup).toBe('secp384r1')
  })

  it('unit: certificates from the TLS 1.2 Certificate message', async () => {
    const port = await nodeServer({minVersion: 'TLSv1.2'})
    const ctx = makeProbeContext(port, {targetName: 'localhost'})
    const em = await tlsProbeUnit.run(ctx)
    const certs = em.find((x) => x.probe === 'tls.certificates')!
    expect(certs.error).toBeUndefined()
    const data = certs.data as {chain: Array<{subject: string}>; source: string}
    expect(data.source).toBe('TLSv1.2')
    expect(data.chain[0].subject).toContain('CN=localhost')
    const suites = em.find((x) => x.probe === 'tls.cipher-suites')!.data
    expect(Object.keys(suites)).toEqual(['TLSv1.2', 'TLSv1.3'])
    const art = em.find((x) => x.probe === 'tls.protocols')!.artifacts ?? []
    expect(art.filter((a) => a.kind === 'server-hello')).toHaveLength(2)
    expect(art.every((a) => a.encoding === 'hex' && /^[0-9a-f]+$/.test(a.content))).toBe(true)
  })

  it('TLS 1.3-only server: unit emits five observations', async () => {
    const port = await nodeServer({minVersion: 'TLSv1.3'})
    const ctx = makeProbeContext(port, {targetName: 'localhost'})
    const em = await tlsProbeUnit.run(ctx)
    expect(em.map((x) => x.probe)).toEqual([...tlsProbeUnit.emits])
    const byName = Object.fromEntries(em.map((x) => [x.probe, x]))
    expect(byName['tls.protocols'].data).toEqual({SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': true})
    expect(byName['tls.protocols'].artifacts?.some((a) => a.kind === 'server-hello')).toBe(true)
    expect(Object.keys(byName['tls.cipher-suites'].data)).toEqual(['TLSv1.3'])
    expect(byName['tls.key-exchange'].data).toMatchObject({secureRenegotiation: null, preferredGroup: 'x25519'})
  })
})
