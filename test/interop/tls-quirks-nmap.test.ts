/**
 * Interop: the TLS quirky-device zoo in front of a real daemon. Debian's `openssl s_server` (legacy config:
 * TLS 1.0–1.2, ALL:eNULL:!aNULL:@SECLEVEL=0 — nmap 7.93 does not enumerate anonymous suites) sits behind the quirk proxy (src/lab/quirk-proxy.ts); nmap 7.93
 * `ssl-enum-ciphers` and sg17scan scan the same quirky target.
 *
 * What is asserted, per quirk:
 *  - hello-size intolerant (silent on 256–511-byte hellos, reset above 64 suites): nmap copes (it offers
 *    ≤ 64 suites per hello) and must still see exactly the plain server; sg17scan must report the same protocols
 *    and suites as nmap on the quirky target. (sslscan does not cope: it reports TLS 1.0–1.2 disabled; logged.)
 *  - flaky (second TLS 1.0 hello reset, connections refused for 300 ms after the 12th) and warning-alert-first:
 *    nmap loses everything here (logged), so the reference is nmap on the plain server; sg17scan on the quirky
 *    target must equal it, with every TLS observation complete.
 *  - dripping server (one byte per 200 ms): sg17scan must end within its bound with an error or incomplete
 *    observations, and no TLS check may pass.
 * Each tool gets its own proxy (fresh quirk state) in front of the same s_server process.
 * A missing nmap, sslscan or openssl fails the suite with what to install (test/helpers/interop-tools.ts).
 */
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {afterAll, beforeAll, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {scan} from '../../src/index.js'
import {startQuirkProxy, type QuirkProxy, type TlsQuirks} from '../../src/lab/quirk-proxy.js'
import type {TlsCipherSuitesData, TlsProtocolsData} from '../../src/probes/tls/types.js'
import {expectWithinBound} from '../helpers/bounds.js'
import {interopSuite, toolPath, TOOLS} from '../helpers/interop-tools.js'
import {startOpensslServer, type OpensslServer} from './openssl.js'

const execFileAsync = promisify(execFile)
const NMAP = toolPath(TOOLS.nmap)
const SSLSCAN = toolPath(TOOLS.sslscan)

type Suites = Record<string, string[]>

/** Accepted suites per protocol from `nmap --script ssl-enum-ciphers` output. */
export function parseNmapSslEnum(stdout: string): Suites {
  const out: Suites = {}
  let protocol: string | undefined
  for (const line of stdout.split('\n')) {
    const p = /^\|\s{3}((?:SSL|TLS)v[0-9.]+):\s*$/.exec(line)
    if (p) {
      protocol = p[1]!
      continue
    }
    const s = /^\|\s{7}((?:TLS|SSL)_[A-Z0-9_]+)\b/.exec(line)
    if (s && protocol) (out[protocol] ??= []).push(s[1]!)
  }
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort()
  return out
}

async function nmap(port: number): Promise<Suites> {
  const {stdout} = await execFileAsync(NMAP, ['-Pn', '-n', '--script', 'ssl-enum-ciphers', '-p', String(port), '127.0.0.1'], {timeout: 120_000})
  return parseNmapSslEnum(stdout)
}

async function sslscanProtocols(port: number): Promise<string> {
  const {stdout} = await execFileAsync(SSLSCAN, ['--no-colour', `127.0.0.1:${port}`], {timeout: 120_000, env: {...process.env, OPENSSL_CONF: '/dev/null'}})
  return stdout
    .split('\n')
    .filter((l) => /^(SSLv[23]|TLSv1\.[0-3])\s+(enabled|disabled)/.test(l))
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .join(', ')
}

function observation(report: Report, probe: string) {
  const o = report.devices[0]?.observations.find((c) => c.probe === probe)
  if (!o) throw new Error(`no ${probe} observation`)
  return o
}

function ourSuites(report: Report): Suites {
  const data = observation(report, 'tls.cipher-suites').data as TlsCipherSuitesData
  return Object.fromEntries(Object.entries(data).filter(([, l]) => (l?.length ?? 0) > 0).map(([p, l]) => [p, [...(l ?? [])].sort()]))
}

function accepted(report: Report): string[] {
  const data = observation(report, 'tls.protocols').data as TlsProtocolsData
  return Object.entries(data).filter(([, v]) => v).map(([p]) => p).sort()
}

interopSuite('TLS quirks vs nmap ssl-enum-ciphers on openssl s_server behind the quirk proxy', [TOOLS.openssl, TOOLS.nmap, TOOLS.sslscan], () => {
  let server: OpensslServer
  let plain: Suites
  const proxies: QuirkProxy[] = []
  const quirky = async (quirks: TlsQuirks): Promise<number> => {
    const p = await startQuirkProxy({host: '127.0.0.1', port: 0, upstream: {host: server.host, port: server.port}, quirks})
    proxies.push(p)
    return p.port
  }

  beforeAll(async () => {
    server = await startOpensslServer('legacy', {cipher: 'ALL:eNULL:!aNULL:@SECLEVEL=0'})
    plain = await nmap(server.port)
    console.log(`nmap on the plain s_server: ${Object.entries(plain).map(([p, l]) => `${p}=${l.length}`).join(' ')}`)
  }, 180_000)

  afterAll(async () => {
    for (const p of proxies) await p.close()
    await server?.stop()
  })

  it('reference sanity: nmap sees TLS 1.0–1.2 with many suites on the plain server', () => {
    expect(Object.keys(plain).sort()).toEqual(['TLSv1.0', 'TLSv1.1', 'TLSv1.2'])
    // More TLS 1.2 suites than one ≤ 64-suite hello holds: the >64-suite reset matters.
    expect(plain['TLSv1.2']!.length).toBeGreaterThan(40)
  })

  it('hello-size intolerant: sg17scan reports what nmap reports on the same quirky target', async () => {
    const quirks: TlsQuirks = {silentHelloWindow: true, maxSuites: 64}
    const theirs = await nmap(await quirky(quirks))
    expect(theirs).toEqual(plain)
    console.log(`sslscan on the hello-size intolerant target: ${await sslscanProtocols(await quirky(quirks))}`)
    const report = await scan({targets: [`tls://127.0.0.1:${await quirky(quirks)}`], timeoutMs: 3000})
    expect(accepted(report)).toEqual(Object.keys(theirs).sort())
    expect(ourSuites(report)).toEqual(theirs)
    for (const probe of ['tls.protocols', 'tls.cipher-suites']) {
      expect(observation(report, probe).partial).toBeUndefined()
    }
    expect(observation(report, 'tls.handshake-behaviour').data).toMatchObject({chosenShape: 'chunks-64'})
  }, 180_000)

  for (const [name, quirks] of [
    ['flaky (reset + refused connects)', {resetNthHello: {version: 0x0301, nth: 2}, refuseConnects: {afterConnections: 12, forMs: 300}}],
    ['warning alert before ServerHello', {warningAlert: 112}],
  ] as Array<[string, TlsQuirks]>) {
    it(`${name}: sg17scan equals nmap's view of the plain server, every observation complete`, async () => {
      const theirs = await nmap(await quirky(quirks))
      console.log(`nmap on the ${name} target: ${JSON.stringify(Object.fromEntries(Object.entries(theirs).map(([p, l]) => [p, l.length])))}`)
      const report = await scan({targets: [`tls://127.0.0.1:${await quirky(quirks)}`], timeoutMs: 3000})
      expect(accepted(report)).toEqual(Object.keys(plain).sort())
      expect(ourSuites(report)).toEqual(plain)
      for (const o of report.devices[0]!.observations.filter((c) => c.probe.startsWith('tls.'))) {
        expect({probe: o.probe, error: o.error, partial: o.partial}).toEqual({probe: o.probe, error: undefined, partial: undefined})
      }
    }, 180_000)
  }

  it('dripping server: bounded, and no TLS check passes on what it could not see', async () => {
    const port = await quirky({dripMs: 200})
    const t = Date.now()
    const report = await scan({targets: [`tls://127.0.0.1:${port}`], timeoutMs: 800})
    expectWithinBound(Date.now() - t, 4 * 2 * 800)
    const tlsObs = report.devices[0]!.observations.filter((o) => o.probe.startsWith('tls.') && o.probe !== 'tls.handshake-behaviour')
    expect(tlsObs.every((o) => o.error !== undefined || o.partial !== undefined)).toBe(true)
    const passes = report.devices[0]!.findings.filter((f) => f.check.startsWith('tls.') && f.outcome === 'pass')
    expect(passes.map((f) => f.check)).toEqual([])
  }, 60_000)
})

/** Suites per protocol in nmap's listed order, and its "cipher preference" line per protocol. */
function parseNmapOrdered(stdout: string): Record<string, {suites: string[]; preference?: string}> {
  const out: Record<string, {suites: string[]; preference?: string}> = {}
  let protocol: string | undefined
  for (const line of stdout.split('\n')) {
    const p = /^\|\s{3}((?:SSL|TLS)v[0-9.]+):\s*$/.exec(line)
    if (p) protocol = p[1]!
    const s = /^\|\s{7}((?:TLS|SSL)_[A-Z0-9_]+)\b/.exec(line)
    if (s && protocol) (out[protocol] ??= {suites: []}).suites.push(s[1]!)
    const pref = /^\|\s+cipher preference: (\w+)/.exec(line)
    if (pref && protocol) (out[protocol] ??= {suites: []}).preference = pref[1]
  }
  return out
}

interopSuite('server cipher order with three suites vs nmap and sslscan (issue 10 item 6)', [TOOLS.openssl, TOOLS.nmap, TOOLS.sslscan], () => {
  let server: OpensslServer
  beforeAll(async () => {
    // modern: -serverpref, TLS 1.2 suites ECDHE+AESGCM:ECDHE+CHACHA20 → server order AES256-GCM, AES128-GCM,
    // CHACHA20, whose second choice is the last of sg17scan's offer order (the case once read as client order).
    server = await startOpensslServer('modern')
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('TLS 1.2 order and "server preference" equal nmap and sslscan', async () => {
    const {stdout} = await execFileAsync(NMAP, ['-Pn', '-n', '--script', 'ssl-enum-ciphers', '-p', String(server.port), '127.0.0.1'], {timeout: 120_000})
    const theirs = parseNmapOrdered(stdout)['TLSv1.2']!
    expect(theirs.preference).toBe('server')
    const sslscan = await execFileAsync(SSLSCAN, ['--no-colour', '--no-cipher-details', `127.0.0.1:${server.port}`], {timeout: 120_000, env: {...process.env, OPENSSL_CONF: '/dev/null'}})
    const sslscanOrder = sslscan.stdout.split('\n').filter((l) => /^(Preferred|Accepted)\s+TLSv1\.2/.test(l)).map((l) => l.split(/\s+/)[4])
    const report = await scan({targets: [`tls://127.0.0.1:${server.port}`], timeoutMs: 3000})
    const ours = (observation(report, 'tls.cipher-suites').data as TlsCipherSuitesData)['TLSv1.2']!
    expect(ours).toEqual(theirs.suites)
    expect(observation(report, 'tls.cipher-preference').data).toMatchObject({'TLSv1.2': {serverOrder: true}})
    // sslscan prints OpenSSL names: the first (Preferred) one is the server's top choice.
    expect(sslscanOrder.length).toBe(ours.length)
    expect(sslscanOrder[0]).toBe('ECDHE-RSA-AES256-GCM-SHA384')
    expect(ours[0]).toBe('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384')
  }, 180_000)
})
