/**
 * The HTTP probe against hostile raw-TCP servers: every case ends with an observation error naming the
 * reason (or, for a bomb off the root path, a bounded exchange error while the crawl goes on), within a
 * generous bound of the timeout, with bounded body sizes — never a crash or a hang.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {scan} from '../../src/index.js'
import {MAX_DECODED_BYTES, MAX_KEPT_BYTES, MAX_WIRE_BYTES} from '../../src/probes/http/client.js'
import {P_HTTP_EXCHANGES, P_HTTP_SURFACE, type HttpExchangesData} from '../../src/probes/http/types.js'
import {runHttpProbe} from '../../src/probes/http/unit.js'
import type {ProbeContext} from '../../src/probes/types.js'
import {OFF_DEVICE_TARGET, startHttpHostile, type HttpHostileName, type RunningHttpHostile} from '../fixtures/http-hostile-servers.js'
import {makeProbeContext} from '../helpers/probe-context.js'
import {expectValidReport} from '../helpers/report.js'

const TIMEOUT_MS = 1000

function httpContext(port: number): ProbeContext {
  const base = makeProbeContext(port, {timeoutMs: TIMEOUT_MS})
  return {...base, service: {...base.service, id: `http://127.0.0.1:${port}`, protocol: 'http'}, connect: base.connect.bind(base)}
}

let server: RunningHttpHostile | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

async function probe(name: HttpHostileName) {
  server = await startHttpHostile(name)
  const started = Date.now()
  const emissions = await runHttpProbe(httpContext(server.port))
  const elapsed = Date.now() - started
  const exchanges = emissions.find((e) => e.probe === P_HTTP_EXCHANGES)!
  const surface = emissions.find((e) => e.probe === P_HTTP_SURFACE)!
  return {exchanges, surface, elapsed, data: exchanges.data as unknown as HttpExchangesData}
}

describe('HTTP probe against hostile servers', () => {
  it.each([
    ['endless', 'body-limit'],
    ['gzip-bomb', 'decompression-limit'],
    ['redirect-loop', 'redirect-loop'],
    ['slow-drip', 'timeout'],
    ['bad-chunking', 'bad-response'],
    ['garbage', 'bad-response'],
    ['silent', 'timeout'],
    ['header-flood', 'bad-response'],
  ] as const)('%s → observation error %s, bounded', async (name, code) => {
    const {exchanges, surface, elapsed, data} = await probe(name)
    expect(exchanges.error?.code).toBe(code)
    expect(exchanges.error?.message.length).toBeGreaterThan(10)
    expect(surface.error?.code).toBe(code)
    // Hang guard only (generous): the root request is bounded by the timeout, a chain by a few of them.
    expect(elapsed).toBeLessThan(8 * TIMEOUT_MS)
    for (const x of data.exchanges ?? []) expect(x.bodyLength).toBeLessThanOrEqual(MAX_WIRE_BYTES)
  })

  it('stops reading an endless body at the wire limit and keeps only the analysis window', async () => {
    const {data} = await probe('endless')
    const root = data.exchanges[0]!
    expect(root.bodyLength).toBe(MAX_WIRE_BYTES)
    expect(root.truncated).toBe(true)
    expect(root.excerpt?.length ?? 0).toBeLessThanOrEqual(200)
  })

  it('does not follow a redirect loop forever', async () => {
    const {data} = await probe('redirect-loop')
    expect(server!.requests.length).toBeLessThanOrEqual(4)
    expect(data.exchanges.map((x) => new URL(x.url).pathname)).toEqual(['/', '/a', '/b'])
  })

  it('a gzip bomb off the root path costs one bounded exchange; the crawl goes on', async () => {
    const {exchanges, surface, data} = await probe('bomb-on-path')
    expect(exchanges.error).toBeUndefined()
    expect(surface.error).toBeUndefined()
    const bomb = data.exchanges.find((x) => x.url.endsWith('/status.json'))!
    expect(bomb.error?.code).toBe('decompression-limit')
    expect(bomb.truncated).toBe(true)
    expect(bomb.bodyLength).toBeLessThan(MAX_WIRE_BYTES)
    expect(MAX_KEPT_BYTES).toBeLessThan(MAX_DECODED_BYTES)
    // Requests after the bomb were still made (the baseline path is the last one).
    expect(data.exchanges.at(-1)!.source).toBe('baseline')
  })
})

describe('through the engine: a hostile HTTP service gives error findings with the reason, never a crash', () => {
  it.each(['gzip-bomb', 'garbage', 'silent', 'redirect-loop'] as const)('%s', async (name) => {
    server = await startHttpHostile(name)
    const report = await scan({targets: [`http://127.0.0.1:${server.port}`], timeoutMs: TIMEOUT_MS})
    expectValidReport(report)
    const device = report.devices[0]!
    expect(device.verdict).toBe('incomplete')
    const http = device.findings.filter((f) => f.check.startsWith('http.') || f.check.startsWith('pii.http.'))
    expect(http.length).toBeGreaterThan(3)
    for (const f of http) expect(f.outcome, f.check).toBe('error')
    expect(http[0]!.message).toMatch(/decompression-limit|bad-response|timeout|redirect-loop/)
  })
})

describe('an HTTP service that redirects every path to another host (issue 11 item 7)', () => {
  it('records the off-device target and that nothing on the device was examined; nothing is requested there', async () => {
    const {surface, data} = await probe('off-device')
    expect(surface.error).toBeUndefined()
    expect(surface.data.offDeviceRedirect).toBe(OFF_DEVICE_TARGET)
    expect(surface.data.examinedResponses).toBe(0)
    expect(data.offOrigin).toContain(OFF_DEVICE_TARGET)
    for (const x of data.exchanges) expect(new URL(x.url).hostname).toBe('127.0.0.1')
  })

  it('through the engine: the admin-surface checks are inconclusive naming the target, never pass; the device is not pass', async () => {
    server = await startHttpHostile('off-device')
    const report = await scan({targets: [`http://127.0.0.1:${server.port}`], timeoutMs: TIMEOUT_MS})
    expectValidReport(report)
    const device = report.devices[0]!
    const byCheck = new Map(device.findings.map((f) => [f.check, f]))
    for (const id of ['pii.http.cleartext-credentials', 'pii.http.cleartext-personal-data', 'http.unauth.sensitive-endpoint', 'http.admin.no-https', 'http.cookie.httponly-missing', 'http.cookie.samesite-missing']) {
      const f = byCheck.get(id)!
      expect(f.outcome, id).toBe('inconclusive')
      expect(f.message, id).toContain(OFF_DEVICE_TARGET)
      // The redirect target is evidence: the finding points at the surface observation that records it.
      const evidence = device.observations.filter((o) => f.evidence.includes(o.id))
      expect(evidence.some((o) => o.data.offDeviceRedirect === OFF_DEVICE_TARGET), id).toBe(true)
    }
    expect(device.findings.filter((f) => f.outcome === 'pass').map((f) => f.check)).not.toContain('pii.http.cleartext-credentials')
    expect(device.verdict).not.toBe('pass')
    expect(report.summary.exitCode).not.toBe(0)
    // The coverage statement says the surface was not examined, and why.
    expect(device.coverage?.status).toBe('partial')
    expect(device.coverage!.partial.find((g) => g.check === 'pii.http.cleartext-credentials')?.reason).toContain(OFF_DEVICE_TARGET)
  })
})
