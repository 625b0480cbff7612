/**
 * RTSP against the lab's ip-camera scanned as a bare host on its own loopback address: the port is identified
 * as RTSP by its OPTIONS reply, joins the scan, and the RTSP checks fail on the camera's open sub-stream and its
 * Basic challenge. A peer that never answers DESCRIBE keeps what OPTIONS showed (partial, never a pass).
 */
import {createHash} from 'node:crypto'
import {createServer, type Server, type Socket} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scan} from '../../src/engine/scan.js'
import type {Device} from '../../src/evidence/types.js'
import {IP_CAMERA_IDENTITY, IP_CAMERA_RTSP_SERVER} from '../../src/lab/devices/ip-camera.js'
import {maskSerial} from '../../src/probes/ssdp/parse.js'
import type {SsdpDiscoveryData} from '../../src/probes/ssdp/types.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {RtspSessionData} from '../../src/probes/rtsp/types.js'
import {runRtspSession} from '../../src/probes/rtsp/unit.js'
import {expectWithinBound} from '../helpers/bounds.js'
import {notWildcard} from '../helpers/loopback.js'
import {makeProbeContext} from '../helpers/probe-context.js'

describe('ip-camera (RTSP) scanned as a bare host', () => {
  let lab: RunningLab
  beforeAll(async () => {
    lab = await startLab({devices: ['ip-camera']})
  })
  afterAll(async () => {
    await lab?.stop()
  })

  it('identifies RTSP, runs the RTSP checks and lists it as a cleartext protocol', async () => {
    const uri = lab.devices[0].targets[0]
    const host = uri.replace(/^rtsp:\/\//, '').replace(/:\d+$/, '')
    const report = await scan({targets: [host], timeoutMs: 3000})
    const d: Device = report.devices[0]
    expect(d.services.map((s) => s.id)).toContain(uri)
    expect(await notWildcard(d.services.filter((s) => !lab.devices[0].targets.includes(s.id)).map((s) => s.port), host)).toEqual([])
    const f = (id: string) => d.findings.find((x) => x.check === id && (x.service === uri || x.service.startsWith('device:')))!
    expect(f('rtsp.auth.none').outcome).toBe('fail')
    expect(f('rtsp.auth.none').message).toMatch(/\/live\.sdp/)
    expect(f('rtsp.cleartext-basic').outcome).toBe('fail')
    expect(f('svc.exposed.insecure-protocol').message).toMatch(/RTSP without TLS/)
    const o = d.observations.find((x) => x.probe === 'rtsp.session')!.data as unknown as RtspSessionData
    expect(o.server).toBe(IP_CAMERA_RTSP_SERVER)
    expect(o.methods).toEqual(['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'TEARDOWN'])
    // SSDP on UDP 1900 of the camera's own address is discovered too; its description names the camera.
    const ssdp = lab.devices[0].targets.find((t) => t.startsWith('ssdp://'))!
    const http = lab.devices[0].targets.find((t) => t.startsWith('http://'))!
    expect(d.services.map((s) => s.id)).toEqual(expect.arrayContaining([ssdp, http]))
    const upnp = d.findings.find((x) => x.check === 'upnp.ssdp.exposed' && x.service === ssdp)!
    expect(upnp.outcome).toBe('fail')
    expect(upnp.message).toMatch(/manufacturer, modelName, serialNumber, firmware/)
    const s = d.observations.find((x) => x.probe === 'ssdp.discovery')!.data as unknown as SsdpDiscoveryData
    // The serial number only masked, with its digest.
    expect(s.description).toMatchObject({...IP_CAMERA_IDENTITY, serialNumber: maskSerial(IP_CAMERA_IDENTITY.serialNumber), serialSha256: createHash('sha256').update(IP_CAMERA_IDENTITY.serialNumber).digest('hex'), status: 200, location: `${http}/description.xml`})
    expect(s.amplification).toBeGreaterThan(1)
  }, 60_000)
})

describe('hostile RTSP peer', () => {
  let server: Server
  const sockets = new Set<Socket>()
  beforeAll(async () => {
    // Answers OPTIONS, then never answers DESCRIBE.
    server = createServer((s) => {
      sockets.add(s)
      s.on('error', () => {})
      s.once('data', () => s.write('RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n'))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  })
  afterAll(async () => {
    for (const s of sockets) s.destroy()
    await new Promise((r) => server.close(r))
  })

  it('keeps the methods, marks the DESCRIBE results missing (partial), within its bound', async () => {
    const port = (server.address() as {port: number}).port
    const ctx = makeProbeContext(port, {timeoutMs: 400})
    Object.assign(ctx, {service: {...ctx.service, id: `rtsp://127.0.0.1:${port}`, protocol: 'rtsp'}})
    const started = performance.now()
    const e = await runRtspSession(ctx)
    expectWithinBound(performance.now() - started, 1000)
    expect(e.error).toBeUndefined()
    expect((e.data as unknown as RtspSessionData).methods).toEqual(['OPTIONS', 'DESCRIBE'])
    expect(e.partial?.code).toBe('timeout')
    expect(e.partial?.missing?.[0]).toBe('DESCRIBE /')
  })
})
