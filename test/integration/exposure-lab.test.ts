/**
 * The device-level attack-surface checks on lab devices scanned as bare hosts: svc.exposed.undeclared compares
 * what a full port discovery found with the declared services; svc.exposed.insecure-protocol lists the cleartext
 * protocols of the whole device. (Before them, nothing compared exposure with a declaration.)
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {Device, Finding} from '../../src/evidence/types.js'
import type {ExposureData} from '../../src/exposure/types.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import {freshLoopback, notWildcard} from '../helpers/loopback.js'

const finding = (d: Device, check: string): Finding => d.findings.find((f) => f.check === check)!
const exposure = (d: Device) => d.observations.find((o) => o.probe === 'device.exposure')!.data as unknown as ExposureData

describe('svc.exposed.* on lab devices', () => {
  let nvr: RunningLab
  let sensors: RunningLab
  const nvrHost = freshLoopback()
  beforeAll(async () => {
    nvr = await startLab({host: nvrHost, devices: ['old-nvr']})
    sensors = await startLab({devices: ['hardened-sensor']})
  })
  afterAll(async () => {
    await nvr?.stop()
    await sensors?.stop()
  })

  it('old-nvr: FTP exposed but only Telnet declared fails undeclared; Telnet and FTP fail insecure-protocol', async () => {
    const telnet = nvr.devices[0].targets.find((t) => t.startsWith('telnet://'))!
    const report = await scanDevices([{targets: [nvrHost], declaredServices: [telnet]}], {timeoutMs: 3000})
    const d = report.devices[0]
    const undeclared = finding(d, 'svc.exposed.undeclared')
    expect(undeclared.outcome).toBe('fail')
    expect(undeclared.message).toMatch(/ftp tcp\/\d+/)
    expect(undeclared.message).not.toMatch(/telnet tcp/)
    const insecure = finding(d, 'svc.exposed.insecure-protocol')
    expect(insecure.outcome).toBe('fail')
    expect(insecure.message).toMatch(/Telnet/)
    expect(insecure.message).toMatch(/FTP without AUTH TLS/)
    expect(exposure(d).discovered).toBe(true)
  }, 60_000)

  it('hardened-sensor: only the declared MQTT-over-TLS port is exposed: both pass', async () => {
    const uri = sensors.devices[0].targets[0]
    const host = uri.replace(/^mqtts:\/\//, '').replace(/:\d+$/, '')
    const report = await scanDevices([{targets: [host], declaredServices: [uri]}], {timeoutMs: 3000, caCertificates: [sensors.caPem]})
    const d = report.devices[0]
    const e = exposure(d)
    // Besides the broker only the machine's wildcard listeners may show up; this test needs none to be present.
    const others = e.exposed.filter((s) => s.id !== uri).map((s) => s.port)
    expect(await notWildcard(others, host)).toEqual([])
    if (others.length === 0) {
      expect(finding(d, 'svc.exposed.undeclared').outcome).toBe('pass')
    } else {
      expect(finding(d, 'svc.exposed.undeclared').outcome).toBe('fail')
    }
    expect(finding(d, 'svc.exposed.insecure-protocol').outcome).toBe('pass')
  }, 60_000)

  it('without a declaration the exposed services are listed for information; given URIs only are not a device-level view', async () => {
    const telnet = nvr.devices[0].targets.find((t) => t.startsWith('telnet://'))!
    const ftp = nvr.devices[0].targets.find((t) => t.startsWith('ftp://'))!
    const report = await scanDevices([{targets: [telnet]}, {targets: [ftp], declaredServices: [ftp]}], {timeoutMs: 3000})
    const [a, b] = report.devices
    expect(finding(a, 'svc.exposed.undeclared')).toMatchObject({outcome: 'not_applicable', message: expect.stringMatching(/No declared service list.*telnet tcp\//)})
    expect(finding(a, 'svc.exposed.insecure-protocol').outcome).toBe('fail')
    expect(finding(b, 'svc.exposed.undeclared').outcome).toBe('not_applicable')
    expect(exposure(b).discovered).toBe(false)
  }, 60_000)
})
