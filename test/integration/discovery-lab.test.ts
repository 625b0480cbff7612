/**
 * Bare-host discovery against lab devices bound to a loopback address of their own: a full-range TCP connect scan
 * finds every port a device listens on, each open port is identified by protocol (not by number) and joins the
 * scan as if its URI had been given. Before this, a bare host tried 7 fixed ports and found none of the lab's
 * ephemeral ones (scan.reachability error).
 */

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {discoverServices} from '../../src/engine/discovery.js'
import {formatPortRanges, parsePortSpec} from '../../src/engine/ports/port-spec.js'
import {tcpScan} from '../../src/engine/ports/tcp-scan.js'
import {RateLimiter} from '../../src/engine/rate-limiter.js'
import {scan} from '../../src/engine/scan.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import type {Observation} from '../../src/evidence/types.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {NetServicesData} from '../../src/probes/identify/types.js'
import {filteredLoopbackPort, freshLoopback, notWildcard} from '../helpers/loopback.js'
import {exposureEmission} from '../../src/exposure/derive.js'
import type {ExposureData} from '../../src/exposure/types.js'

const ALL = parsePortSpec('1-65535')
const portOf = (uri: string) => Number(uri.slice(uri.lastIndexOf(':') + 1))

describe('bare-host discovery of lab devices', () => {
  let lab: RunningLab
  const host = freshLoopback()
  beforeAll(async () => {
    lab = await startLab({host, devices: ['good-gateway', 'old-nvr', 'webcam-http', 'secure-admin']})
  })
  afterAll(async () => {
    await lab?.stop()
  })

  it('finds every port the devices listen on, identifies each by protocol and joins it as its URI', async () => {
    const expected = new Map(lab.devices.flatMap((d) => d.targets).map((uri) => [portOf(uri), uri]))
    const found = await discoverServices(host, {ports: ALL, portSpec: '1-65535', portConcurrency: 64, timeoutMs: 3000, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date()})
    const ports = found.observations.find((o) => o.probe === 'net.ports')!
    const services = found.observations.find((o) => o.probe === 'net.services')!
    expect(ports.error).toBeUndefined()
    expect(ports.partial).toBeUndefined()
    const open = (ports.data.open as Array<{port: number}>).map((p) => p.port)
    for (const port of expected.keys()) expect(open).toContain(port)
    expect(await notWildcard(open.filter((p) => !expected.has(p)), host)).toEqual([])
    expect(ports.data.scanned).toBe(65535)
    expect((ports.data.closed as {count: number}).count).toBe(65535 - open.length)
    // Every lab service joined under the scheme the lab names it by (https for secure-admin's TLS port, http for
    // its redirecting port, tls for the gateway's bare TLS endpoint …).
    const joined = (services.data as unknown as NetServicesData).joined
    for (const [port, uri] of expected) expect(joined[String(port)], `port ${port}`).toBe(uri)
    const byPort = new Map((services.data as unknown as NetServicesData).services.map((s) => [s.port, s]))
    const ssh = [...expected].find(([, u]) => u.startsWith('ssh://'))![0]
    expect(byPort.get(ssh)).toMatchObject({protocol: 'ssh', method: 'greeting', banner: expect.stringMatching(/^SSH-2.0-/), bannerSha256: expect.stringMatching(/^[0-9a-f]{64}$/)})
    const https = [...expected].find(([, u]) => u.startsWith('https://'))![0]
    expect(byPort.get(https)).toMatchObject({protocol: 'https', method: 'tls-handshake', innerMethod: 'http-get'})
    const telnet = [...expected].find(([, u]) => u.startsWith('telnet://'))![0]
    expect(byPort.get(telnet)).toMatchObject({protocol: 'telnet', method: 'greeting'})
  }, 120_000)

  it('scan of the bare host runs the profile on what it found; --ports narrows the scan', async () => {
    const nvr = lab.devices.find((d) => d.name === 'old-nvr')!
    const telnet = nvr.targets.find((t) => t.startsWith('telnet://'))!
    const ftp = nvr.targets.find((t) => t.startsWith('ftp://'))!
    const report = await scan({targets: [host], tcpPorts: `${portOf(telnet)},${portOf(ftp)},1-3`, timeoutMs: 3000})
    const d = report.devices[0]
    expect(d.services.map((s) => s.id).sort()).toEqual([ftp, telnet].sort())
    expect(d.findings.find((f) => f.check === 'svc.telnet.exposed' && f.service === telnet)?.outcome).toBe('fail')
    expect(d.findings.find((f) => f.check === 'svc.ftp.anonymous' && f.service === ftp)?.outcome).toBe('fail')
    expect(d.findings.some((f) => f.check === 'scan.reachability')).toBe(false)
    const ports = d.observations.find((o: Observation) => o.probe === 'net.ports')!
    expect(ports.data).toMatchObject({requested: `${portOf(telnet)},${portOf(ftp)},1-3`, scanned: 5})
    // Identification shares the per-device handshake cap.
    expect(report.run.statistics!.peakConnectionsPerDevice).toBeLessThanOrEqual(2)
  }, 60_000)

  it('identifies at most maxIdentified open ports; the rest are listed as not identified (partial), still exposed', async () => {
    const ports = [...lab.devices.find((d) => d.name === 'old-nvr')!.targets, ...lab.devices.find((d) => d.name === 'webcam-http')!.targets].map(portOf).sort((a, b) => a - b)
    const found = await discoverServices(host, {ports, portSpec: ports.join(','), portConcurrency: 4, timeoutMs: 3000, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date(), maxIdentified: 1})
    const services = found.observations.find((o) => o.probe === 'net.services')!
    expect((services.data as unknown as NetServicesData).services.filter((s) => !s.transport)).toHaveLength(1)
    expect(services.partial).toMatchObject({code: 'too-many-open-ports', missing: [formatPortRanges(ports.slice(1)).text]})
    const exposure = exposureEmission(found.services, found.observations, undefined).data as unknown as ExposureData
    expect(exposure.exposed.filter((s) => s.protocol === 'unidentified').map((s) => s.port)).toEqual(ports.slice(1))
  }, 60_000)

  it('a bad --ports value is a configuration error before any network I/O', async () => {
    await expect(scan({targets: [host], tcpPorts: '80,http'})).rejects.toThrow(/--ports: 'http'/)
  })

  it('a bad profile tcpPorts fails a scan of service URIs too, though none expands it', async () => {
    const base = resolveProfile()
    const profile = {...base, id: 'bad-ports', thresholds: {...base.thresholds, tcpPorts: '22,0-10'}}
    const ssh = lab.devices.find((d) => d.name === 'good-gateway')!.targets.find((t) => t.startsWith('ssh://'))!
    await expect(scan({targets: [ssh], profile})).rejects.toThrow("profile bad-ports thresholds.tcpPorts: port 0 in '0-10' is outside 1–65535")
  })
})

describe('open, closed and filtered told apart', () => {
  let filtered: {port: number; close(): void} | undefined
  let listenPort = 0
  const host = freshLoopback()
  beforeAll(async () => {
    // A listener with a zero backlog that never accepts: once one connection waits in its queue, Linux drops
    // further SYNs — the behaviour of a filtering firewall, reproducible on loopback without root.
    filtered = await filteredLoopbackPort(host, 60)
    listenPort = filtered.port
  })
  afterAll(() => filtered?.close())

  for (const forceSocket of [false, true]) {
    it(`${forceSocket ? 'net.Socket' : 'libuv handle'}: refused is closed, a dropped SYN is filtered after a retry`, async () => {
      const closedPort = listenPort === 65535 ? 65534 : listenPort + 1
      const r = await tcpScan(host, 4, {ports: [closedPort, listenPort], concurrency: 4, maxTimeoutMs: 400, minTimeoutMs: 100, forceSocket})
      expect(r.closed).toEqual([closedPort])
      expect(r.filtered).toEqual([listenPort])
      expect(r.reasons).toEqual({'conn-refused': 1, 'no-response': 1})
      expect(r.timing.retried).toBe(1)
      expect(r.timing.attempts).toBe(3)
    })
  }

  it('stays within --rate: every connect attempt takes a token', async () => {
    const rate = new RateLimiter(1000)
    const r = await tcpScan(host, 4, {ports: parsePortSpec('1-200'), concurrency: 64, maxTimeoutMs: 400, rate})
    expect(rate.granted).toBe(r.timing.attempts)
    expect(rate.delayed).toBeGreaterThan(0)
  })

  it('a cancelled scan keeps what it saw and says which ports it did not scan', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const found = await discoverServices(host, {ports: ALL, portSpec: '1-65535', portConcurrency: 4, timeoutMs: 1000, semaphore: new Semaphore(2), stats: {connections: 0}, rate: new RateLimiter(2000), now: () => new Date(), signal: controller.signal})
    const ports = found.observations.find((o) => o.probe === 'net.ports')!
    expect(ports.partial?.code).toBe('budget')
    expect(ports.data.scanned).toBeGreaterThan(0)
    expect(ports.data.scanned).toBeLessThan(65535)
  })
})
