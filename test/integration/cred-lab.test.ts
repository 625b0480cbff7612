/**
 * The credential checks against the login lab devices, through the library scan (intrusive, short login delay):
 * each check's outcome per device, negative control → inconclusive, lockout → inconclusive, the per-device
 * budget (attempts ≤ budget across services) and the delay between attempts.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import type {CredAttemptsData} from '../../src/probes/cred/types.js'
import {deviceNamed} from '../helpers/report.js'

const DEVICES = ['default-router', 'netgear-ap', 'open-door', 'strong-hub', 'locking-camera']
const DELAY_MS = 40

let lab: RunningLab
let report: Report

beforeAll(async () => {
  lab = await startLab({devices: DEVICES})
  report = await scanDevices(
    lab.devices.map((d) => ({name: d.name, targets: d.targets, declared: d.declared})),
    {intrusive: true, timeoutMs: 2000, loginDelayMs: DELAY_MS, caCertificates: [lab.caPem]},
  )
}, 120_000)

afterAll(async () => {
  await lab?.stop()
})

const device = (name: string): Device => deviceNamed(report, name)

function outcome(name: string, check: string, protocol: string): string | undefined {
  const d = device(name)
  return d.findings.find((f) => f.check === check && f.service.startsWith(`${protocol}://`))?.outcome
}

function attempts(name: string): CredAttemptsData[] {
  return device(name)
    .observations.filter((o) => o.probe === 'cred.attempts' && !o.error && (o.data as {mechanism?: string}).mechanism !== 'none')
    .map((o) => o.data as unknown as CredAttemptsData)
}

describe('credential checks on the login lab', () => {
  it('finds the default credentials of default-router on SSH and Telnet, a weak one on HTTP', () => {
    expect(outcome('default-router', 'cred.default.ssh', 'ssh')).toBe('fail')
    expect(outcome('default-router', 'cred.default.telnet', 'telnet')).toBe('fail')
    expect(outcome('default-router', 'cred.weak.dictionary', 'http')).toBe('fail')
    const ssh = attempts('default-router').find((a) => a.service.startsWith('ssh://'))!
    expect(ssh.stoppedBy).toBe('success')
    expect(ssh.negativeControl.result).toBe('rejected')
    expect(ssh.success?.username).toBe('root')
    expect(ssh.success?.credentialId).toMatch(/^dc-[0-9a-f]{10}$/)
  })

  it('finds the declared vendor default of netgear-ap through its HTML form login', () => {
    expect(outcome('netgear-ap', 'cred.default.http', 'http')).toBe('fail')
    const http = attempts('netgear-ap')[0]!
    expect(http.mechanism).toBe('http-form')
    expect(http.success?.list).toBe('vendor-defaults')
    expect(http.success?.username).toBe('Gearguy')
  })

  it('is inconclusive on a device that accepts anything (negative control)', () => {
    expect(outcome('open-door', 'cred.default.telnet', 'telnet')).toBe('inconclusive')
    expect(outcome('open-door', 'cred.default.http', 'http')).toBe('inconclusive')
    expect(outcome('open-door', 'cred.weak.dictionary', 'http')).toBe('inconclusive')
    // ...but a random login accepted at protocol level is a finding of its own (issue 11 item 5).
    expect(outcome('open-door', 'cred.auth.not-enforced', 'telnet')).toBe('fail')
    expect(outcome('open-door', 'cred.auth.not-enforced', 'http')).toBe('fail')
    expect(device('open-door').verdict).toBe('fail')
    for (const a of attempts('open-door')) {
      expect(a.stoppedBy).toBe('accepts-anything')
      expect(a.negativeControl.result).toBe('accepted')
      expect(a.attempts).toHaveLength(0)
    }
  })

  it('passes a device with strong credentials (SSH and HTTPS Digest), and the device itself passes', () => {
    expect(outcome('strong-hub', 'cred.default.ssh', 'ssh')).toBe('pass')
    expect(outcome('strong-hub', 'cred.auth.not-enforced', 'ssh')).toBe('pass')
    expect(outcome('strong-hub', 'cred.default.http', 'https')).toBe('pass')
    expect(outcome('strong-hub', 'cred.weak.dictionary', 'ssh')).toBe('pass')
    expect(outcome('strong-hub', 'cred.weak.dictionary', 'https')).toBe('pass')
    const http = attempts('strong-hub').find((a) => a.service.startsWith('https://'))!
    expect(http.mechanism).toBe('http-digest')
    expect(device('strong-hub').verdict).toBe('pass')
  })

  it('stops at a lockout and reports it inconclusive', () => {
    expect(outcome('locking-camera', 'cred.default.telnet', 'telnet')).toBe('inconclusive')
    expect(outcome('locking-camera', 'cred.default.ssh', 'ssh')).toBe('inconclusive')
    const signals = attempts('locking-camera').map((a) => [a.stoppedBy, a.throttling.lockoutSignal])
    expect(signals).toContainEqual(['lockout', 'message'])
    expect(signals).toContainEqual(['lockout', 'refused'])
  })

  it('honours the per-device budget across services and the delay between attempts', () => {
    for (const name of DEVICES) {
      const all = attempts(name)
      const total = all.reduce((n, a) => n + a.attempts.length, 0)
      expect(total).toBeLessThanOrEqual(20)
      for (const a of all) {
        const times = a.attempts.map((x) => Date.parse(x.at))
        for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(DELAY_MS - 5)
      }
    }
    const strong = attempts('strong-hub')
    expect(strong.reduce((n, a) => n + a.attempts.length, 0)).toBe(20)
    expect(strong.some((a) => a.stoppedBy === 'budget')).toBe(true)
  })
})
