/**
 * UDP discovery and the UDP/UPnP checks against the lab: a bare-host scan of home-router (its own loopback
 * address) finds every service it runs — HTTP, SSDP, NTP, mDNS — and nothing else; the NTP and IGD checks fail
 * on it and pass on home-router-hardened; its UPnP description feeds device.identity (serial only as a digest).
 * Before this, a bare host was asked on UDP only for CoAP and SSDP, with no closed/open|filtered states, and NTP,
 * mDNS and SNMP were never discovered.
 */
import {createHash} from 'node:crypto'
import {createSocket, type Socket} from 'node:dgram'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {discoverServices} from '../../src/engine/discovery.js'
import {udpScan} from '../../src/engine/ports/udp-scan.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import {RateLimiter} from '../../src/engine/rate-limiter.js'
import {scanDevices} from '../../src/engine/scan.js'
import type {Device, Report} from '../../src/evidence/types.js'
import type {IdentityRecord} from '../../src/identity/types.js'
import {HOME_ROUTER_IDENTITY, HOME_ROUTER_MDNS_TYPES} from '../../src/lab/devices/home-router.js'
import {IP_CAMERA_RTSP_SERVER} from '../../src/lab/devices/ip-camera.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {NetServicesData} from '../../src/probes/identify/types.js'
import {freshLoopback, notWildcard} from '../helpers/loopback.js'
import {expectValidReport} from '../helpers/report.js'

const portOf = (uri: string) => Number(uri.slice(uri.lastIndexOf(':') + 1))
const hostOf = (uri: string) => new URL(uri).hostname
const finding = (d: Device, check: string) => d.findings.find((f) => f.check === check)
const observation = (d: Device, probe: string) => d.observations.find((o) => o.probe === probe)!
/** The registered UDP ports, plus the lab NTP's port when it could not bind 123 (not root). */
const udpPortsFor = (targets: string[]) => [...new Set([123, 161, 1900, 5353, 5683, ...targets.filter((t) => t.startsWith('ntp://')).map(portOf)])].join(',')

describe('bare-host UDP discovery of lab devices', () => {
  let lab: RunningLab
  let router: Device
  let hardened: Device
  let camera: Device
  let report: Report
  beforeAll(async () => {
    lab = await startLab({devices: ['home-router', 'home-router-hardened', 'ip-camera']})
    const [r, h, c] = ['home-router', 'home-router-hardened', 'ip-camera'].map((n) => lab.devices.find((d) => d.name === n)!)
    // The router is scanned over every TCP port; the others over their own TCP ports only (time).
    report = await scanDevices([{name: 'router', targets: [hostOf(r.targets[0])], declared: r.declared}], {timeoutMs: 2000, udpPorts: udpPortsFor(r.targets)})
    router = report.devices[0]
    const tcp = h.targets.filter((t) => t.startsWith('http://')).map(portOf).join(',')
    const hardenedReport = await scanDevices([{name: 'hardened', targets: [hostOf(h.targets[0])], declared: {...h.declared, firmware: '9.9.9'}}], {timeoutMs: 2000, udpPorts: udpPortsFor(h.targets), tcpPorts: tcp})
    hardened = hardenedReport.devices[0]
    const camReport = await scanDevices([{name: 'camera', targets: [hostOf(c.targets[0])]}], {timeoutMs: 2000, tcpPorts: c.targets.filter((t) => !t.startsWith('ssdp://')).map(portOf).join(',')})
    camera = camReport.devices[0]
    expectValidReport(camReport)
  }, 120_000)
  afterAll(() => lab?.stop())

  it('finds every UDP service of home-router with its protocol, and tells closed from open|filtered', async () => {
    expectValidReport(report)
    const r = lab.devices.find((d) => d.name === 'home-router')!
    const ntp = portOf(r.targets.find((t) => t.startsWith('ntp://'))!)
    const udp = observation(router, 'net.ports').data.udp as {open: Array<{port: number; protocol: string}>; closed: {ranges: string}; openFiltered: {ranges: string}}
    expect(udp.open.map((p) => [p.port, p.protocol]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([[ntp, 'ntp'], [1900, 'ssdp'], [5353, 'mdns']].sort((a, b) => Number(a[0]) - Number(b[0])))
    // Nothing bound on 161 and 5683 of the router's address: ICMP port unreachable, hence closed.
    expect(udp.closed.ranges.split(',')).toEqual(expect.arrayContaining(['161', '5683']))
    expect(udp.openFiltered.ranges).toBe('')
    const services = observation(router, 'net.services').data as unknown as NetServicesData
    const mdns = services.services.find((s) => s.port === 5353)!
    expect(mdns).toMatchObject({transport: 'udp', protocol: 'mdns', method: 'mdns-query'})
    for (const t of HOME_ROUTER_MDNS_TYPES) expect(mdns.banner).toContain(t)
    // Every service the lab device runs (its targets) joined the scan, and nothing else but the machine's
    // wildcard listeners.
    expect(router.services.map((s) => s.id).filter((id) => r.targets.includes(id)).sort()).toEqual([...r.targets].sort())
    const extra = router.services.filter((s) => !r.targets.includes(s.id))
    expect(extra.every((s) => s.transport === 'tcp')).toBe(true)
    expect(await notWildcard(extra.map((s) => s.port), new URL(r.targets[0]!).hostname)).toEqual([])
    expect(observation(router, 'net.services').artifacts.map((a) => a.kind)).toEqual(expect.arrayContaining([`udp-reply-${ntp}`, 'udp-reply-1900', 'udp-reply-5353']))
  })

  it('ntp.mode6.exposed and upnp.igd.control-exposed fail on home-router and pass on the hardened variant', () => {
    const ntp = finding(router, 'ntp.mode6.exposed')!
    expect(ntp.outcome).toBe('fail')
    expect(ntp.message).toMatch(/READVAR answered with \d+ bytes in 1 datagram\(s\) for a 12-byte request/)
    expect(ntp.message).toContain('processor="mips"')
    const ntpObs = observation(router, 'ntp.control')
    expect(ntpObs.artifacts.map((a) => a.kind)).toEqual(expect.arrayContaining(['ntp-readvar-request', 'ntp-readvar-response-0', 'ntp-readstat-response-0']))
    expect(ntpObs.artifacts.find((a) => a.kind === 'ntp-readvar-request')!.content).toMatch(/^1602/)
    expect(finding(router, 'upnp.igd.control-exposed')).toMatchObject({outcome: 'fail', severity: 'high'})
    expect(finding(router, 'upnp.ssdp.exposed')?.outcome).toBe('fail')
    expect(finding(hardened, 'ntp.mode6.exposed')?.outcome).toBe('pass')
    const igd = finding(hardened, 'upnp.igd.control-exposed')!
    expect(igd.outcome).toBe('pass')
    expect(igd.message).toContain('UPnP error 606 Action not authorized')
  })

  it('UPnP description and server strings go into device.identity with their sources; the serial only as a digest', () => {
    const id = observation(router, 'device.identity').data as unknown as IdentityRecord
    const ssdp = `ssdp://${hostOf(router.services[0].id.replace(/^\w+:/, 'x:'))}:1900`
    expect(id.upnp).toEqual([
      {service: ssdp, deviceType: 'urn:schemas-upnp-org:device:InternetGatewayDevice:1', manufacturer: HOME_ROUTER_IDENTITY.manufacturer, modelName: HOME_ROUTER_IDENTITY.modelName, modelNumber: HOME_ROUTER_IDENTITY.modelNumber, firmware: HOME_ROUTER_IDENTITY.firmware, serialSha256: createHash('sha256').update(HOME_ROUTER_IDENTITY.serialNumber).digest('hex')},
    ])
    expect(id.servers).toContainEqual({service: ssdp, source: 'ssdp.server', text: `Linux/4.14 UPnP/1.0 ${HOME_ROUTER_IDENTITY.modelName}/${HOME_ROUTER_IDENTITY.firmware}`})
    expect(id.observed.vendors).toContain(HOME_ROUTER_IDENTITY.manufacturer)
    expect(id.observed.models).toContain(HOME_ROUTER_IDENTITY.modelName)
    expect(id.observed.firmware).toContain(HOME_ROUTER_IDENTITY.firmware)
    // The declared vendor, model and firmware are confirmed by the description; a wrong firmware is contradicted.
    expect(finding(router, 'identity.declared-mismatch')).toMatchObject({outcome: 'pass'})
    const hardenedCheck = finding(hardened, 'identity.declared-mismatch')!
    expect(hardenedCheck.outcome).toBe('fail')
    expect(hardenedCheck.message).toContain(`declared firmware "9.9.9" but the device reports firmware "${HOME_ROUTER_IDENTITY.firmware}"`)
    // The serial number never appears in clear anywhere in the report.
    expect(JSON.stringify(report)).not.toContain(HOME_ROUTER_IDENTITY.serialNumber)
  })

  it('the camera: SSDP on UDP found, nothing else on UDP; its RTSP Server header is in device.identity', () => {
    const udp = observation(camera, 'net.ports').data.udp as {open: Array<{port: number; protocol: string}>}
    expect(udp.open.map((p) => [p.port, p.protocol])).toEqual([[1900, 'ssdp']])
    const id = observation(camera, 'device.identity').data as unknown as IdentityRecord
    expect(id.servers?.map((s) => [s.source, s.text])).toEqual(expect.arrayContaining([['rtsp.server', IP_CAMERA_RTSP_SERVER]]))
    expect(id.upnp?.[0]).toMatchObject({manufacturer: 'Globex', modelName: 'GX-Cam7', firmware: '7.0.3'})
  })
})

describe('SNMP agents found by UDP discovery', () => {
  let lab: RunningLab
  beforeAll(async () => {
    lab = await startLab({devices: ['open-router', 'secure-sensor']})
  })
  afterAll(() => lab?.stop())

  it('a v2c agent (GET sysDescr with public) and a v3-only agent (engine discovery report) on ports given by --udp-ports join as snmp://', async () => {
    const [open, v3] = ['open-router', 'secure-sensor'].map((n) => lab.devices.find((d) => d.name === n)!.targets[0])
    const udpPorts = [portOf(open), portOf(v3)].sort((a, b) => a - b)
    const found = await discoverServices('127.0.0.1', {ports: [1], portSpec: '1', udpPorts, udpPortSpec: udpPorts.join(','), portConcurrency: 4, timeoutMs: 2000, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date()})
    expect(found.services.map((s) => s.id).sort()).toEqual([open, v3].sort())
    const services = found.observations.find((o) => o.probe === 'net.services')!.data as unknown as NetServicesData
    expect(services.services.find((s) => s.port === portOf(open))).toMatchObject({transport: 'udp', protocol: 'snmp', method: 'snmp-get', banner: 'SNMPv2c response'})
    expect(services.services.find((s) => s.port === portOf(v3))).toMatchObject({transport: 'udp', protocol: 'snmp', method: 'snmp-get', banner: 'SNMPv3 report'})
  })
})

describe('UDP port states', () => {
  const host = freshLoopback()
  let silent: Socket
  let silentPort = 0
  beforeAll(async () => {
    // Bound but never answering: what a filtering firewall or a service ignoring the request looks like.
    silent = createSocket('udp4')
    await new Promise<void>((resolve) => silent.bind({address: host, port: 0}, resolve))
    silentPort = silent.address().port
  })
  afterAll(() => silent?.close())

  it('a silent port is open|filtered after 3 transmissions of every protocol request, a refusing one closed; every datagram takes a --rate token', async () => {
    const closedPort = silentPort === 65535 ? 65534 : silentPort + 1
    const rate = new RateLimiter(1000)
    const r = await udpScan(host, 4, {ports: [closedPort, silentPort], concurrency: 2, waitMs: 400, rate})
    expect(r.results.map((x) => [x.port, x.state, x.reason])).toEqual([
      [closedPort, 'closed', 'port-unreach'],
      [silentPort, 'open|filtered', 'no-response'],
    ].sort((a, b) => Number(a[0]) - Number(b[0])))
    // Neither port is registered: each gets all five requests (SNMP sends two datagrams), three times when silent.
    expect(r.datagrams).toBeGreaterThanOrEqual(3 * 6)
    // A token taken just before the port was decided closed is not sent: at most one per port in flight.
    expect(rate.granted).toBeGreaterThanOrEqual(r.datagrams)
    expect(rate.granted).toBeLessThanOrEqual(r.datagrams + 2)
  })

  it('a hostile UDP peer (large garbage to every datagram, control fragments that never end) is bounded: open/unknown, NTP partial', async () => {
    const hostile = createSocket('udp4')
    hostile.on('message', (msg, peer) => {
      if ((msg[0] & 0x07) === 6 && msg.length === 12) {
        // Mode-6 "response" fragments, M bit always set, offsets running on: never complete.
        for (let i = 0; i < 100; i++) {
          const b = Buffer.alloc(12 + 400)
          b[0] = 0x16
          b[1] = 0x80 | 0x20 | (msg[1] & 0x1f)
          msg.copy(b, 2, 2, 4)
          b.writeUInt16BE(i * 400, 8)
          b.writeUInt16BE(400, 10)
          hostile.send(b, peer.port, peer.address)
        }
        return
      }
      hostile.send(Buffer.alloc(60_000, 0x41), peer.port, peer.address)
    })
    await new Promise<void>((resolve) => hostile.bind({address: host, port: 0}, resolve))
    const port = hostile.address().port
    try {
      const r = await udpScan(host, 4, {ports: [port], concurrency: 1, waitMs: 400})
      expect(r.results[0]).toMatchObject({port, state: 'open', protocol: 'unknown', method: 'udp-reply'})
      expect(r.results[0].replyHex!.length).toBeLessThanOrEqual(1024)
      const {runNtpControl} = await import('../../src/probes/ntp/unit.js')
      const e = await runNtpControl({service: {id: `ntp://${host}:${port}`, protocol: 'ntp', host, port, transport: 'udp'}, timeoutMs: 500, signal: new AbortController().signal})
      expect(e.partial).toMatchObject({code: 'incomplete', missing: ['readstat', 'readvar']})
      const d = e.data as {readvar: {datagrams: number; complete: boolean; answered: boolean}}
      expect(d.readvar).toMatchObject({answered: true, complete: false})
      expect(d.readvar.datagrams).toBeLessThanOrEqual(64)
      expect((e.artifacts ?? []).length).toBeLessThanOrEqual(2 * (1 + 16))
    } finally {
      hostile.close()
    }
  })

  it('a bad --udp-ports value is a configuration error before any network I/O', async () => {
    const {scan} = await import('../../src/engine/scan.js')
    await expect(scan({targets: [host], udpPorts: '123,ntp'})).rejects.toThrow(/--udp-ports: 'ntp'/)
  })

  it('a cancelled UDP scan says which ports it did not probe', async () => {
    const controller = new AbortController()
    controller.abort()
    const r = await udpScan(host, 4, {ports: [silentPort], concurrency: 1, waitMs: 400, signal: controller.signal})
    expect(r.notScanned).toEqual([silentPort])
  })
})
