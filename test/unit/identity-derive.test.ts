import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {deriveIdentity} from '../../src/identity/derive.js'
import {IDENTITY_SOURCES, type IdentityRecord} from '../../src/identity/types.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {OPEN_ROUTER_CONTACT} from '../../src/lab/devices/snmp-agent.js'
import {deviceNamed, expectValidReport} from '../helpers/report.js'

/** Identity derived from what the lab's devices really send (scanned in-process through scanDevices). */
describe('deriveIdentity on lab observations', () => {
  let lab: RunningLab
  let report: Report
  beforeAll(async () => {
    lab = await startLab()
    report = await scanDevices(
      lab.devices.map((d) => ({name: d.name, targets: d.targets})),
      {caCertificates: [lab.caPem], timeoutMs: 2000},
    )
  }, 60_000)
  afterAll(() => lab?.stop())

  const identityOf = (d: Device) => d.observations.find((o) => o.probe === 'device.identity')!
  const derived = (name: string): IdentityRecord => identityOf(deviceNamed(report, name)).data as unknown as IdentityRecord

  it('adds one schema-valid device.identity observation per device, equal to deriving it again from the service observations', () => {
    expectValidReport(report)
    for (const d of report.devices) {
      const ids = d.observations.filter((o) => o.probe === 'device.identity')
      // A device exposing no identity source (MQTT, RTSP, CoAP, SSDP only) and declaring nothing gets none.
      if (!d.observations.some((o) => (IDENTITY_SOURCES as readonly string[]).includes(o.probe))) {
        expect(ids, d.name).toHaveLength(0)
        continue
      }
      expect(ids).toHaveLength(1)
      expect(ids[0]!.service).toBe(`device:${d.id}`)
      const services = d.observations.filter((o) => o.probe !== 'device.identity')
      expect(deriveIdentity(services)).toEqual(ids[0]!.data)
      // Derived from observations of this device only, each one listed.
      const own = new Set(services.map((o) => o.id))
      for (const s of (ids[0]!.data as unknown as IdentityRecord).sources) expect(own.has(s)).toBe(true)
    }
  })

  it('good-gateway: TLS leaf subject/issuer/serial and SPKI SHA-256, SSH banner and both host keys', () => {
    const r = derived('good-gateway')
    const cert = deviceNamed(report, 'good-gateway').observations.find((o) => o.probe === 'tls.certificates')!
    const leaf = (cert.data as {chain: Array<{spkiSha256: string; serialNumber: string}>}).chain[0]!
    expect(r.tls).toHaveLength(1)
    expect(r.tls[0]).toMatchObject({subject: expect.stringContaining('CN=good-gateway.lab'), issuer: expect.stringContaining('sg17scan lab CA'), serialNumber: leaf.serialNumber, spkiSha256: leaf.spkiSha256, keyType: 'RSA', keyBits: 2048})
    expect(r.ssh).toHaveLength(1)
    expect(r.ssh[0]!.banner).toBe('SSH-2.0-GatewaySSH')
    expect(r.ssh[0]!.hostKeys.map((k) => k.type).sort()).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519'])
    for (const k of r.ssh[0]!.hostKeys) expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    expect(r.cpe).toEqual([])
  })

  it('legacy-camera: the Dropbear banner gives a CPE candidate and an application version', () => {
    const r = derived('legacy-camera')
    expect(r.cpe).toEqual(['cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2014.63:*:*:*:*:*:*:*'])
    expect(r.observed.versions).toEqual(['2014.63'])
    expect(r.observed.firmware).toEqual([])
    expect(r.tls[0]).toMatchObject({selfSigned: true, keyBits: 1024})
  })

  it('old-nvr: Telnet and FTP greetings give BusyBox and vsftpd CPE candidates', () => {
    const r = derived('old-nvr')
    expect(r.banners.map((b) => b.protocol).sort()).toEqual(['ftp', 'telnet'])
    expect(r.cpe).toEqual(['cpe:2.3:a:beasts:vsftpd:3.0.3:*:*:*:*:*:*:*', 'cpe:2.3:a:busybox:busybox:1.31.1:*:*:*:*:*:*:*'])
  })

  it('open-router: sysDescr, sysObjectID and the firmware it states, never sysContact/sysLocation/sysName', () => {
    const r = derived('open-router')
    expect(r.snmp).toHaveLength(1)
    expect(r.snmp[0]).toMatchObject({sysDescr: expect.stringContaining('OR-2400 firmware 3.1.7'), sysObjectID: '1.3.6.1.4.1.99999.1.2400', enterprise: 99999})
    expect(r.observed.firmware).toEqual(['3.1.7'])
    const text = JSON.stringify(r)
    for (const personal of ['Jane', 'jane.doe', '7946', 'Lab rack', 'or2400-lab', OPEN_ROUTER_CONTACT]) expect(text).not.toContain(personal)
  })

  it('secure-sensor: nothing readable, but the SNMPv3 engine id identifies the agent', () => {
    const r = derived('secure-sensor')
    expect(r.snmp).toEqual([{service: expect.stringMatching(/^snmp:\/\//), sysDescr: null, sysObjectID: null, engineId: '8000b98380aabbccddeeff0011', enterprise: expect.any(Number)}])
  })

  it('the identity check judges each lab device (nothing declared → not applicable)', () => {
    for (const d of report.devices.filter((x) => x.observations.some((o) => o.probe === 'device.identity'))) {
      const f = d.findings.find((x) => x.check === 'identity.declared-mismatch')
      expect(f).toMatchObject({outcome: 'not_applicable', service: `device:${d.id}`, evidence: [identityOf(d).id]})
    }
    // Several devices: the batch is analysed; the lab's devices each have their own keys.
    expect(report.batch?.findings.map((f) => [f.check, f.outcome])).toEqual([
      ['ssh.hostkey.shared', 'pass'],
      ['tls.cert.shared-device-key', 'pass'],
    ])
  })
})
