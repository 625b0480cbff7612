import type {AddressInfo} from 'node:net'
import {createServer} from 'node:tls'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scan, scanDevices} from '../../src/index.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import {deviceNamed, expectValidReport} from '../helpers/report.js'
import {selfSignedRsa} from '../helpers/tls-cert.js'

let lab: RunningLab

beforeAll(async () => {
  lab = await startLab()
})

afterAll(async () => {
  await lab.stop()
})

const specs = () => lab.devices.map((d) => ({name: d.name, targets: d.targets}))

describe('the engine as a library', () => {
  it('scan() returns the same report model the CLI writes', async () => {
    const gateway = lab.devices.find((d) => d.name === 'good-gateway')!
    const report = await scan({targets: gateway.targets, deviceName: 'gw', caCertificates: [lab.caPem]})
    expectValidReport(report)
    expect(report.devices[0]).toMatchObject({id: 'gw', verdict: 'pass'})
    expect(report.run.statistics?.connections).toBeGreaterThan(0)
  })

  it('is deterministic: two scans of the same devices give the same observations, data and findings; ids differ only where raw bytes do', async () => {
    const a = await scanDevices(specs(), {caCertificates: [lab.caPem]})
    const b = await scanDevices(specs(), {caCertificates: [lab.caPem]})
    expectValidReport(a)
    for (const name of ['good-gateway', 'legacy-camera']) {
      const da = deviceNamed(a, name)
      const db = deviceNamed(b, name)
      const where = (o: {service: string; probe: string}) => `${o.service} ${o.probe}`
      expect(db.observations.map(where)).toEqual(da.observations.map(where))
      // device.identity lists the ids it was derived from (data.sources): those follow the ids.
      const data = (d: typeof da) => d.observations.map((o) => (o.probe === 'device.identity' ? {...o.data, sources: undefined} : o.data))
      expect(data(db)).toEqual(data(da))
      // Ids bind the artifacts' bytes (docs/evidence.md): equal where raw bytes and data are, different where a
      // per-connection random (ServerHello random, KEXINIT cookie) changed them (or an id listed in data did).
      da.observations.forEach((o, i) => {
        const other = db.observations[i]!
        const same = JSON.stringify([o.artifacts, o.data]) === JSON.stringify([other.artifacts, other.data])
        expect(db.observations[i]!.id === o.id, where(o)).toBe(same)
      })
      // Findings are the same, their evidence naming the same (service, probe) observations.
      const evidenceOf = (d: typeof da) => d.findings.map((f) => ({...f, evidence: f.evidence.map((e) => where(d.observations.find((o) => o.id === e)!))}))
      expect(evidenceOf(db)).toEqual(evidenceOf(da))
    }
  })

  it('judges trust by the anchors given: without the lab CA the gateway chain is untrusted', async () => {
    const report = await scanDevices(specs().filter((s) => s.name === 'good-gateway'))
    const finding = report.devices[0].findings.find((f) => f.check === 'tls.cert.untrusted-chain')
    expect(finding).toMatchObject({outcome: 'fail'})
    expect(finding!.message).toMatch(/unknown issuer/)
  })

  it.each([1, 2])('never holds more than %i connection(s) open to one device', async (cap) => {
    const {key, cert} = selfSignedRsa()
    const server = createServer({key, cert, minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0'}, (s) => s.end())
    server.on('tlsClientError', () => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as AddressInfo).port
      const report = await scan({targets: [`tls://127.0.0.1:${port}`], maxConnectionsPerDevice: cap})
      expectValidReport(report)
      expect(report.run.statistics!.connections).toBeGreaterThan(10)
      // Counted where the cap is enforced: a slot is held from connect until the socket has closed. (A server
      // counting its own sockets sees one more for a moment: it learns of a close after the client does.)
      expect(report.run.statistics!.peakConnectionsPerDevice).toBe(cap)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
