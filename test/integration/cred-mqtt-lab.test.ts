/**
 * MQTT default credentials in the credential module, through the library scan (intrusive, no login delay):
 * smart-plug-fw2 refuses anonymous clients but takes a factory login from the default lists (fails
 * cred.default.mqtt), hardened-sensor (MQTT over TLS) has a random password (passes once the budget is spent),
 * smart-plug lets anyone in (no password to guess: not applicable, mqtt.auth.anonymous is that finding).
 */
import {createServer} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {credentialDataset} from '../../src/probes/cred/dataset.js'
import {mqttLoginMethod} from '../../src/probes/cred/mqtt-login.js'
import type {CredAttemptsData} from '../../src/probes/cred/types.js'
import {expectWithinBound} from '../helpers/bounds.js'
import {makeProbeContext} from '../helpers/probe-context.js'
import {deviceNamed} from '../helpers/report.js'

let lab: RunningLab
let report: Report

beforeAll(async () => {
  lab = await startLab({devices: ['smart-plug', 'hardened-sensor', 'smart-plug-fw2']})
  report = await scanDevices(
    lab.devices.map((d) => ({name: d.name, targets: d.targets.filter((t) => t.startsWith('mqtt')), declared: d.declared})),
    {intrusive: true, timeoutMs: 3000, loginDelayMs: 0, caCertificates: [lab.caPem]},
  )
}, 120_000)

afterAll(async () => {
  await lab?.stop()
})

const device = (name: string): Device => deviceNamed(report, name)

const outcome = (name: string, check: string) => device(name).findings.find((f) => f.check === check)
const attempts = (name: string) => device(name).observations.find((o) => o.probe === 'cred.attempts')?.data as unknown as CredAttemptsData

describe('MQTT default credentials (cred module)', () => {
  it('finds the factory login of smart-plug-fw2 after the broker refused the anonymous CONNECT and the negative control', () => {
    expect(outcome('smart-plug-fw2', 'mqtt.auth.anonymous')?.outcome).toBe('pass')
    expect(outcome('smart-plug-fw2', 'cred.default.mqtt')?.outcome).toBe('fail')
    expect(outcome('smart-plug-fw2', 'cred.default.mqtt')?.severity).toBe('critical')
    expect(outcome('smart-plug-fw2', 'cred.weak.dictionary')?.outcome).toBe('fail')
    expect(outcome('smart-plug-fw2', 'cred.auth.not-enforced')?.outcome).toBe('pass')
    const a = attempts('smart-plug-fw2')
    expect(a.mechanism).toBe('mqtt-connect-3.1.1')
    expect(a.negativeControl.result).toBe('rejected')
    expect(a.stoppedBy).toBe('success')
    expect(a.success?.username).toBe('admin')
    const row = credentialDataset().rows.get(a.success!.credentialId)!
    expect([row.username, row.password]).toEqual(['admin', 'admin'])
    expect(a.success?.lists).toContain('ssh-better')
    // Every attempt is recorded by credential id, never by password.
    for (const x of a.attempts) expect(Object.keys(x).sort()).toEqual(['at', 'credentialId', 'result', 'service'].concat(x.reason ? ['reason'] : []).sort())
  })

  it('passes hardened-sensor (MQTT over TLS, random password) once the budget is spent, and skips the anonymous smart-plug', () => {
    expect(outcome('hardened-sensor', 'cred.default.mqtt')?.outcome).toBe('pass')
    const a = attempts('hardened-sensor')
    expect(a.stoppedBy).toBe('budget')
    expect(a.attempts).toHaveLength(20)
    expect(a.attempts.every((x) => x.result === 'rejected')).toBe(true)
    expect(outcome('smart-plug', 'cred.default.mqtt')?.outcome).toBe('not_applicable')
    expect(outcome('smart-plug', 'cred.default.mqtt')?.message).toMatch(/accepts a CONNECT without credentials/)
  })

  it('maps cred.default.mqtt to the factory-default password requirements of the profiles', async () => {
    const {readFileSync} = await import('node:fs')
    for (const [file, requirement] of [['etsi-en-303-645', '5.1-1'], ['en-18031-1', 'AUM-5-1'], ['uk-psti', 'Schedule 1 (1)']]) {
      const text = readFileSync(`profiles/${file}.yaml`, 'utf8')
      const block = text.slice(text.indexOf(`- id: "${requirement}"`))
      expect(block.slice(0, block.indexOf('\n  - id:', 5)), `${file} ${requirement}`).toMatch(/cred\.default\.mqtt/)
    }
  })
})

describe('MQTT login on a port that never answers CONNECT like a broker', () => {
  it('is an error naming both versions (the cred checks turn it inconclusive), within its bound', async () => {
    // Accepts, reads, and closes without a CONNACK: no version refuses for want of credentials.
    const server = createServer((s) => s.once('data', () => s.destroy()))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const port = (server.address() as {port: number}).port
      const ctx = makeProbeContext(port, {timeoutMs: 500})
      Object.assign(ctx, {service: {...ctx.service, id: `mqtt://127.0.0.1:${port}`, protocol: 'mqtt'}})
      const started = performance.now()
      await expect(mqttLoginMethod(ctx)).rejects.toThrow(/MQTT 3\.1\.1: error.*MQTT 5\.0: error/)
      expectWithinBound(performance.now() - started, 4 * 1000)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
