/**
 * The TLS quirky-device zoo: each quirk of real embedded stacks (src/lab/quirk-proxy.ts in front of a real
 * node:tls server, or of the fake server for what OpenSSL cannot serve) against the probe. Each case failed on
 * the probe before the robustness work (issue 10, items 1–7).
 */
import type {AddressInfo} from 'node:net'
import tls from 'node:tls'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ZOO_LEGACY_TLS, startQuirkyTls} from '../../src/lab/devices/tls-zoo.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {startQuirkProxy, type TlsQuirks} from '../../src/lab/quirk-proxy.js'
import {enumerateTls, type TlsEnumeration} from '../../src/probes/tls/enumerate.js'
import {emissionsFromEnumeration, tlsProbeUnit} from '../../src/probes/tls/unit.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {scan} from '../../src/index.js'
import {startFakeTlsServer, type FakeTlsConfig} from '../fixtures/fake-tls-server.js'
import {expectWithinBound} from '../helpers/bounds.js'
import {makeProbeContext} from '../helpers/probe-context.js'
import {selfSignedRsa} from '../helpers/tls-cert.js'
import {suitesForProtocol} from '../../src/probes/tls/enumerate.js'

const closers: Array<() => Promise<unknown>> = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

function portOf(target: string): number {
  return Number(target.split(':').pop())
}

async function plainServer(options: tls.TlsOptions): Promise<number> {
  const {key, cert} = selfSignedRsa()
  const server = tls.createServer({key, cert, ...options})
  server.on('tlsClientError', () => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => new Promise<void>((r) => server.close(() => r())))
  return (server.address() as AddressInfo).port
}

async function quirkyNode(options: tls.TlsOptions, quirks: TlsQuirks): Promise<number> {
  const {key, cert} = selfSignedRsa()
  const device = await startQuirkyTls('127.0.0.1', 0, {key, cert, ...options}, quirks)
  closers.push(() => device.stop())
  return portOf(device.targets[0]!)
}

async function quirkyFake(cfg: FakeTlsConfig, quirks: TlsQuirks): Promise<number> {
  const fake = await startFakeTlsServer(cfg)
  closers.push(() => fake.close())
  const proxy = await startQuirkProxy({host: '127.0.0.1', port: 0, upstream: {host: '127.0.0.1', port: fake.port}, quirks})
  closers.push(() => proxy.close())
  return proxy.port
}

const sorted = (a: readonly string[] | undefined): string[] => [...(a ?? [])].sort()
const byProbe = (em: ProbeEmission[], probe: string): ProbeEmission => em.find((e) => e.probe === probe)!

function suiteSets(e: TlsEnumeration): Record<string, string[]> {
  return Object.fromEntries(Object.entries(e.cipherSuites).map(([p, l]) => [p, sorted(l)]))
}

describe('item 1: ClientHello size intolerance (fallback ladder)', () => {
  let reference: TlsEnumeration
  beforeAll(async () => {
    reference = await enumerateTls(makeProbeContext(await plainServer(ZOO_LEGACY_TLS), {timeoutMs: 1000}))
  })

  it('silent on 256–511-byte hellos, reset above 64 suites: every protocol and suite found, the ladder recorded', async () => {
    const port = await quirkyNode(ZOO_LEGACY_TLS, {silentHelloWindow: true, maxSuites: 64})
    const ctx = makeProbeContext(port, {timeoutMs: 1000})
    const e = await enumerateTls(ctx)
    expect(e.error).toBeUndefined()
    expect(e.protocols).toEqual(reference.protocols)
    expect(suiteSets(e)).toEqual(suiteSets(reference))
    expect(e.gaps).toEqual([])
    expect(e.shapes.tried.map((t) => [t.shape, t.result])).toEqual([
      ['full', 'reset'],
      ['chunks-64', 'answered'],
    ])
    expect(e.shapes.chosen).toBe('chunks-64')
    const behaviour = byProbe(await emissionsFromEnumeration(ctx, e), 'tls.handshake-behaviour')
    expect(behaviour.data).toMatchObject({chosenShape: 'chunks-64', helloShapes: [{shape: 'full', result: 'reset'}, {shape: 'chunks-64'}]})
  })

  it('a device that resets every hello of 256 bytes or more is scanned with small (< 256-byte) hellos', async () => {
    const port = await quirkyNode({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2'}, {maxHelloBytes: 255})
    const direct = await enumerateTls(makeProbeContext(await plainServer({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2'}), {timeoutMs: 1000}))
    const e = await enumerateTls(makeProbeContext(port, {timeoutMs: 800}))
    expect(e.error).toBeUndefined()
    expect(e.shapes.tried.map((t) => [t.shape, t.result])).toEqual([['full', 'reset'], ['chunks-64', 'reset'], ['small', 'answered']])
    expect(e.shapes.chosen).toBe('small')
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(sorted(e.cipherSuites['TLSv1.2'])).toEqual(sorted(direct.cipherSuites['TLSv1.2']))
  })

  it('silence on the first (large) hello is not fatal: the small shape gets the answers', async () => {
    const port = await quirkyNode({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2'}, {maxHelloBytes: 255, oversizeHello: 'silent'})
    const e = await enumerateTls(makeProbeContext(port, {timeoutMs: 500}))
    expect(e.error).toBeUndefined()
    expect(e.shapes.tried.map((t) => [t.shape, t.result])).toEqual([['full', 'silent'], ['small', 'answered']])
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.cipherSuites['TLSv1.2']?.length).toBeGreaterThan(5)
  })

  it('SSLv3 hellos stay under 256 bytes: a window-silent SSLv3 server is not reported as refusing SSLv3', async () => {
    const der = selfSignedRsa().der
    const port = await quirkyFake({versions: ['SSLv3', 'TLSv1.0'], suites: [0x000a, 0x002f, 0x0035], certificate: der}, {silentHelloWindow: true})
    const e = await enumerateTls(makeProbeContext(port, {timeoutMs: 800}))
    expect(e.protocols.SSLv3).toBe(true)
    expect(sorted(e.cipherSuites.SSLv3)).toEqual(sorted(['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA']))
  })

  it('a device silent to every small hello: SSLv3 is undetermined (partial), never "refused"', async () => {
    const port = await quirkyFake({versions: ['TLSv1.2'], suites: [0x002f, 0xc02f]}, {silentSmallHellos: true})
    const ctx = makeProbeContext(port, {timeoutMs: 500})
    const e = await enumerateTls(ctx)
    expect(e.error).toBeUndefined()
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.protocols.SSLv3).toBe(false)
    expect(e.gaps).toEqual(expect.arrayContaining([expect.objectContaining({observation: 'tls.protocols', part: 'SSLv3', code: 'timeout'})]))
    const protocols = byProbe(await emissionsFromEnumeration(ctx, e), 'tls.protocols')
    expect(protocols.partial?.missing).toContain('SSLv3')
  })
})

describe('item 2: transient failures', () => {
  it('one reset inside the TLS 1.0 removal loop loses no suite', async () => {
    const reference = await enumerateTls(makeProbeContext(await plainServer(ZOO_LEGACY_TLS), {timeoutMs: 1000}))
    const port = await quirkyNode(ZOO_LEGACY_TLS, {resetNthHello: {version: 0x0301, nth: 2}})
    const e = await enumerateTls(makeProbeContext(port, {timeoutMs: 1000}))
    expect(sorted(e.cipherSuites['TLSv1.0'])).toEqual(sorted(reference.cipherSuites['TLSv1.0']))
    expect(e.cipherSuites['TLSv1.0']?.length).toBeGreaterThan(3)
    expect(e.retries).toBeGreaterThan(0)
    expect(e.gaps).toEqual([])
  })

  it('connections refused for 300 ms mid-scan: nothing is wiped, the scan completes', async () => {
    const reference = await enumerateTls(makeProbeContext(await plainServer(ZOO_LEGACY_TLS), {timeoutMs: 1000}))
    const port = await quirkyNode(ZOO_LEGACY_TLS, {refuseConnects: {afterConnections: 12, forMs: 300}})
    const ctx = makeProbeContext(port, {timeoutMs: 1000})
    const em = await tlsProbeUnit.run(ctx)
    for (const o of em) expect({probe: o.probe, error: o.error}).toEqual({probe: o.probe, error: undefined})
    expect(byProbe(em, 'tls.protocols').data).toEqual(reference.protocols)
    expect(Object.fromEntries(Object.entries(byProbe(em, 'tls.cipher-suites').data).map(([p, l]) => [p, sorted(l as string[])]))).toEqual(
      suiteSets(reference),
    )
    expect((byProbe(em, 'tls.certificates').data as {chain: unknown[]}).chain.length).toBe(1)
  })

  it('a device that stops accepting connections for good: what was seen stays, the rest is partial', async () => {
    const port = await quirkyNode(ZOO_LEGACY_TLS, {refuseConnects: {afterConnections: 8, forMs: 60_000}})
    const ctx = makeProbeContext(port, {timeoutMs: 500})
    const e = await enumerateTls(ctx)
    expect(e.error).toBeUndefined()
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.chains.length).toBe(1)
    expect(e.gaps.length).toBeGreaterThan(0)
    expect(e.gaps.every((g) => g.code === 'refused')).toBe(true)
    const em = await emissionsFromEnumeration(ctx, e)
    expect(byProbe(em, 'tls.protocols').error).toBeUndefined()
    expect(byProbe(em, 'tls.protocols').partial?.code).toBe('refused')
    expect(byProbe(em, 'tls.certificates').error).toBeUndefined()
  })
})

describe('item 3: warning alert before ServerHello', () => {
  it('unrecognized_name (warning) is not a refusal', async () => {
    const lab = await startLab({devices: ['zoo-warning-alert']})
    closers.push(() => lab.stop())
    const e = await enumerateTls(makeProbeContext(portOf(lab.devices[0]!.targets[0]!), {timeoutMs: 1000}))
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.cipherSuites['TLSv1.2']?.length).toBeGreaterThan(5)
    expect(e.warnings).toEqual(['unrecognized_name'])
  })
})

describe('item 4: budgets follow the work', () => {
  it('700 ms handshakes at --timeout 1000: every TLS observation complete through the engine', async () => {
    const port = await quirkyNode({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3'}, {replyDelayMs: 700})
    const report = await scan({targets: [`tls://127.0.0.1:${port}`], timeoutMs: 1000})
    const obs = report.devices[0]!.observations.filter((o) => o.probe.startsWith('tls.'))
    expect(obs.length).toBe(tlsProbeUnit.emits.length)
    for (const o of obs) expect({probe: o.probe, error: o.error, partial: o.partial}).toEqual({probe: o.probe, error: undefined, partial: undefined})
    expect(obs.find((o) => o.probe === 'tls.protocols')!.data).toMatchObject({'TLSv1.2': true, 'TLSv1.3': true})
  }, 90_000)

  it('a budget hit keeps what was found and marks the rest partial', async () => {
    const port = await quirkyNode(ZOO_LEGACY_TLS, {replyDelayMs: 150})
    const ctx = makeProbeContext(port, {timeoutMs: 1000})
    const e = await enumerateTls(ctx, {deadline: Date.now() + 1200})
    expect(e.error).toBeUndefined()
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.gaps.length).toBeGreaterThan(0)
    expect(e.gaps.every((g) => g.code === 'budget')).toBe(true)
    const em = await emissionsFromEnumeration(ctx, e)
    expect(byProbe(em, 'tls.protocols').error).toBeUndefined()
    expect(em.some((o) => o.partial?.code === 'budget')).toBe(true)
  })

  it('a server dripping its reply one byte per 200 ms ends within one timeout per connection', async () => {
    const port = await quirkyNode({minVersion: 'TLSv1.2'}, {dripMs: 200})
    const ctx = makeProbeContext(port, {timeoutMs: 500})
    const t = Date.now()
    const e = await enumerateTls(ctx)
    expectWithinBound(Date.now() - t, ctx.connections * 500 + 500)
    expect(ctx.connections).toBeLessThanOrEqual(3)
    expect(e.error?.code).toBe('timeout')
  })
})

describe('item 5: TLS 1.3-only device with CCM suites', () => {
  it('the certificate is fetched (the fallback is told the suites found)', async () => {
    const lab = await startLab({devices: ['zoo-tls13-ccm']})
    closers.push(() => lab.stop())
    const em = await tlsProbeUnit.run(makeProbeContext(portOf(lab.devices[0]!.targets[0]!), {timeoutMs: 1000}))
    expect(byProbe(em, 'tls.cipher-suites').data).toEqual({'TLSv1.3': ['TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']})
    const certs = byProbe(em, 'tls.certificates')
    expect(certs.error).toBeUndefined()
    expect(certs.data).toMatchObject({source: 'TLSv1.3'})
  })
})

describe('item 6: cipher order, group order, anomalies', () => {
  it('three suites under server preference, second choice = our last: read as server order', async () => {
    const offer = suitesForProtocol('TLSv1.2').filter((c) => [0xc02f, 0xc030, 0xcca8].includes(c))
    const serverPref = [offer[0]!, offer[2]!, offer[1]!]
    const fake = await startFakeTlsServer({versions: ['TLSv1.2'], suites: serverPref, serverOrder: true, ecdheGroups: [23]})
    closers.push(() => fake.close())
    const e = await enumerateTls(makeProbeContext(fake.port, {timeoutMs: 1000}))
    expect(e.preference['TLSv1.2']).toEqual({serverOrder: true})
    expect(e.cipherSuites['TLSv1.2']).toEqual(serverPref.map((c) => ({0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'})[c]))
  })

  it('the same three suites under client preference stay client order', async () => {
    const fake = await startFakeTlsServer({versions: ['TLSv1.2'], suites: [0xc02f, 0xc030, 0xcca8], ecdheGroups: [23]})
    closers.push(() => fake.close())
    const e = await enumerateTls(makeProbeContext(fake.port, {timeoutMs: 1000}))
    expect(e.preference['TLSv1.2']).toEqual({serverOrder: false})
  })

  it('TLS 1.2 preferred group: null when the server follows the client, its own choice otherwise', async () => {
    const client = await enumerateTls(makeProbeContext(await plainServer({maxVersion: 'TLSv1.2', ecdhCurve: 'P-384:P-256', honorCipherOrder: false}), {timeoutMs: 1000}))
    expect(sorted(client.keyExchange.groups)).toEqual(['secp256r1', 'secp384r1'])
    expect(client.keyExchange.preferredGroup).toBeNull()
    const server = await enumerateTls(makeProbeContext(await plainServer({maxVersion: 'TLSv1.2', ecdhCurve: 'P-384:P-256', honorCipherOrder: true}), {timeoutMs: 1000}))
    expect(server.keyExchange.preferredGroup).toBe('secp384r1')
  })

  it('a server picking a suite that was not offered: protocol anomaly, not "version unsupported"', async () => {
    const fake = await startFakeTlsServer({versions: ['TLSv1.2'], suites: [0x002f], answerSuite: 0x1301})
    closers.push(() => fake.close())
    const ctx = makeProbeContext(fake.port, {timeoutMs: 1000})
    const e = await enumerateTls(ctx)
    expect(e.protocols['TLSv1.2']).toBe(true)
    expect(e.anomalies.join(' ')).toMatch(/TLSv1\.2: .*TLS_AES_128_GCM_SHA256.*not offered/)
    const em = await emissionsFromEnumeration(ctx, e)
    expect(byProbe(em, 'tls.cipher-suites').partial?.code).toBe('anomaly')
    expect((byProbe(em, 'tls.handshake-behaviour').data as {anomalies: string[]}).anomalies.length).toBeGreaterThan(0)
  })
})

describe('item 7: every served certificate chain', () => {
  let lab: RunningLab
  beforeAll(async () => {
    lab = await startLab({devices: ['zoo-dual-cert']})
    closers.push(() => lab.stop())
  })

  it('RSA and ECDSA chains are both fetched and judged: the SHA-1 ECDSA chain fails weak-signature', async () => {
    const report = await scan({targets: lab.devices[0]!.targets, timeoutMs: 2000, caCertificates: [lab.caPem]})
    const certs = report.devices[0]!.observations.find((o) => o.probe === 'tls.certificates')!
    const chains = (certs.data as {chains: Array<{keyType: string; chain: Array<{signatureAlgorithm: string}>}>}).chains
    expect(chains.map((c) => [c.keyType, c.chain[0]!.signatureAlgorithm]).sort()).toEqual([
      ['EC', 'sha1WithRSAEncryption'],
      ['RSA', 'sha256WithRSAEncryption'],
    ])
    const finding = report.devices[0]!.findings.find((f) => f.check === 'tls.cert.weak-signature')!
    expect(finding.outcome).toBe('fail')
    expect(finding.message).toMatch(/EC chain: .*sha1WithRSAEncryption/)
    expect(report.devices[0]!.findings.find((f) => f.check === 'tls.cert.untrusted-chain')!.outcome).toBe('pass')
  })
})
