import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Observation, Report} from '../../src/evidence/types.js'
import {scanDevices} from '../../src/index.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'

let lab: RunningLab
let report: Report

beforeAll(async () => {
  lab = await startLab()
  // A clock that moves 1 ms at every reading: each time a probe notes is distinct and ordered, without timing.
  let t = Date.now()
  const now = () => new Date(++t)
  const devices = lab.devices.filter((d) => d.targets.some((x) => x.startsWith('ssh://')) || d.targets.some((x) => /^(tls|https):/.test(x)))
  report = await scanDevices(devices.map((d) => ({name: d.name, targets: d.targets})), {caCertificates: [lab.caPem], now})
})
afterAll(async () => {
  await lab?.stop()
})

const byProbe = (probe: string): Observation[] => report.devices.flatMap((d) => d.observations).filter((o) => o.probe === probe && !o.error)

describe('per-observation time', () => {
  it('SSH host keys and auth methods are read after the KEXINIT, and say so', () => {
    const kexinits = byProbe('ssh.kexinit')
    expect(kexinits.length).toBeGreaterThan(0)
    for (const k of kexinits) {
      for (const probe of ['ssh.hostkeys', 'ssh.auth-methods']) {
        const later = byProbe(probe).find((o) => o.service === k.service)
        if (!later) continue
        expect(Date.parse(later.collectedAt), `${probe} on ${k.service}`).toBeGreaterThan(Date.parse(k.collectedAt))
      }
    }
    expect(byProbe('ssh.hostkeys').length).toBeGreaterThan(0)
  })

  it('TLS certificates carry their own time, after the enumeration they follow', () => {
    const protocols = byProbe('tls.protocols')
    expect(protocols.length).toBeGreaterThan(0)
    let compared = 0
    for (const p of protocols) {
      const certs = byProbe('tls.certificates').find((o) => o.service === p.service)
      if (!certs) continue
      expect(Date.parse(certs.collectedAt), p.service).toBeGreaterThan(Date.parse(p.collectedAt))
      compared++
    }
    expect(compared).toBeGreaterThan(0)
  })
})
