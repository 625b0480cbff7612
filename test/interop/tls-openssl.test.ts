/**
 * Interop: sg17scan's cipher-suite enumeration against Debian's `openssl s_server` (OpenSSL 3.0), compared
 * per protocol with testssl.sh 3.0.8 (`-E --ssl-native`, see testssl.ts) on the very same server process.
 *
 * Assertion: for every protocol either tool reports, the two accepted-suite *sets* are equal (order is not
 * compared: testssl -E sorts by strength, sg17scan reports server preference order).
 *
 * Known limits of the reference, handled explicitly below:
 * - SSLv2/SSLv3: testssl in --ssl-native mode prints "Local problem: /usr/bin/openssl doesn't support
 *   s_client -ssl2/-ssl3" and tests neither. s_server (OpenSSL 3.0) cannot speak them either, so for these
 *   two we assert only that sg17scan found nothing, and the set comparison for them is vacuous on testssl's side.
 * - Suites OpenSSL 3.0 cannot negotiate at all (3DES, RC4, DES, EXPORT, SEED/IDEA without the legacy
 *   provider) cannot be served by s_server, so neither tool can see them here; the hand-written fake
 *   servers cover those elsewhere.
 */
import {afterAll, beforeAll, expect, it} from 'vitest'

import {scan} from '../../src/index.js'
import type {Report} from '../../src/evidence/types.js'
import type {TlsCipherSuitesData, TlsProtocol, TlsProtocolsData} from '../../src/probes/tls/types.js'
import {startOpensslServer, type OpensslConfig, type OpensslServer} from './openssl.js'
import {runTestssl, type TestsslRun} from './testssl.js'
import {interopSuite, TOOLS} from '../helpers/interop-tools.js'

function observationData(report: Report, probe: string): Record<string, unknown> {
  const observation = report.devices[0]?.observations.find((candidate) => candidate.probe === probe)
  if (observation === undefined) throw new Error(`no ${probe} observation in the report`)
  if (observation.error !== undefined) {
    throw new Error(`${probe} failed: ${observation.error.code}: ${observation.error.message}`)
  }
  return observation.data
}

function sorted(list: readonly string[] | undefined): string[] {
  return [...(list ?? [])].sort()
}

/** Expected shape of each config, independent of both tools: a sanity floor for the comparison. */
const EXPECTED: Record<OpensslConfig, {protocols: TlsProtocol[]; mustInclude: Partial<Record<TlsProtocol, string[]>>}> = {
  modern: {
    protocols: ['TLSv1.2', 'TLSv1.3'],
    mustInclude: {
      'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
      'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
    },
  },
  legacy: {
    protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    mustInclude: {
      'TLSv1.0': ['TLS_RSA_WITH_NULL_SHA', 'TLS_RSA_WITH_NULL_MD5', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
      'TLSv1.2': ['TLS_RSA_WITH_NULL_SHA256', 'TLS_DHE_RSA_WITH_AES_128_CCM_8', 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384'],
    },
  },
}

interopSuite('TLS cipher enumeration vs testssl.sh on openssl s_server', [TOOLS.openssl, TOOLS.testssl], () => {
  const servers = new Map<OpensslConfig, OpensslServer>()
  const reference = new Map<OpensslConfig, TestsslRun>()

  beforeAll(async () => {
    for (const config of ['modern', 'legacy'] as const) servers.set(config, await startOpensslServer(config))
    // testssl first and alone per server (s_server is single-threaded); both servers in parallel.
    await Promise.all(
      [...servers].map(async ([config, server]) => {
        const run = await runTestssl(server.host, server.port, {timeoutMs: 170_000})
        reference.set(config, run)
        console.log(
          `testssl ${config}: ${run.seconds.toFixed(1)} s, ` +
            Object.entries(run.suites).map(([protocol, suites]) => `${protocol}=${suites.length}`).join(' ') +
            `\n  ${server.commandLine}`,
        )
      }),
    )
  }, 180_000)

  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.stop()))
  })

  for (const config of ['modern', 'legacy'] as const) {
    it(`${config}: accepted suites per protocol equal testssl's`, async () => {
      const server = servers.get(config)
      const testssl = reference.get(config)
      if (server === undefined || testssl === undefined) throw new Error('fixture not started')

      const report = await scan({targets: [`tls://${server.host}:${server.port}`], timeoutMs: 5000})
      const ours = observationData(report, 'tls.cipher-suites') as TlsCipherSuitesData
      const protocols = observationData(report, 'tls.protocols') as TlsProtocolsData

      // The reference itself looks like the configured server.
      expect(Object.keys(testssl.suites).sort()).toEqual(EXPECTED[config].protocols)
      for (const [protocol, names] of Object.entries(EXPECTED[config].mustInclude)) {
        expect(testssl.suites[protocol as TlsProtocol]).toEqual(expect.arrayContaining(names))
      }

      // SSLv2/SSLv3: untested by testssl --ssl-native (documented above); sg17scan must find them refused.
      expect(testssl.untested).toEqual(['SSLv2', 'SSLv3'])
      expect(protocols.SSLv2).toBe(false)
      expect(protocols.SSLv3).toBe(false)

      const all = new Set<string>([...Object.keys(ours), ...Object.keys(testssl.suites)])
      for (const protocol of all) {
        expect({protocol, suites: sorted(ours[protocol as TlsProtocol])}).toEqual({
          protocol,
          suites: sorted(testssl.suites[protocol as TlsProtocol]),
        })
      }
      // tls.protocols agrees with the protocols that have suites.
      for (const protocol of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
        expect({protocol, accepted: protocols[protocol]}).toEqual({
          protocol,
          accepted: (testssl.suites[protocol]?.length ?? 0) > 0,
        })
      }
    }, 120_000)
  }
})
