/**
 * MQTT against the lab: smart-plug (anonymous cleartext broker with retained personal data) and hardened-sensor
 * (MQTT over TLS with a password, nothing else open), each scanned as a bare host on its own loopback address —
 * the scan must find exactly the device's broker, identify it by protocol and run the MQTT (and TLS) checks.
 */
import {createServer, type Server, type Socket} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scan} from '../../src/engine/scan.js'
import type {Device, Finding} from '../../src/evidence/types.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import {runMqttSession} from '../../src/probes/mqtt/unit.js'
import {expectWithinBound} from '../helpers/bounds.js'
import {notWildcard} from '../helpers/loopback.js'
import {makeProbeContext} from '../helpers/probe-context.js'

const portOf = (uri: string) => Number(uri.slice(uri.lastIndexOf(':') + 1))
const hostOf = (uri: string) => uri.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '')
const finding = (d: Device, check: string): Finding | undefined => d.findings.find((f) => f.check === check)

describe('MQTT lab devices scanned as bare hosts', () => {
  let lab: RunningLab
  beforeAll(async () => {
    lab = await startLab({devices: ['smart-plug', 'hardened-sensor']})
  })
  afterAll(async () => {
    await lab?.stop()
  })

  async function bareScan(name: string, intrusive: boolean): Promise<{device: Device; uri: string}> {
    const uri = lab.devices.find((d) => d.name === name)!.targets[0]
    // No pause between login attempts: the cred module's 20 candidates on a password-protected broker stay quick.
    const report = await scan({targets: [hostOf(uri)], caCertificates: [lab.caPem], timeoutMs: 3000, intrusive, loginDelayMs: 0})
    const device = report.devices[0]
    // Every service the device runs, and nothing else but the machine's wildcard listeners.
    expect(device.services.map((s) => s.id)).toContain(uri)
    const open = (device.observations.find((o) => o.probe === 'net.ports')!.data.open as Array<{port: number}>).map((p) => p.port)
    expect(await notWildcard(open.filter((p) => p !== portOf(uri)), hostOf(uri))).toEqual([])
    return {device, uri}
  }

  it('smart-plug: anonymous cleartext broker found, identified and failed; with --intrusive its personal data is counted, never shown', async () => {
    const {device, uri} = await bareScan('smart-plug', true)
    expect(uri.startsWith('mqtt://')).toBe(true)
    const services = device.observations.find((o) => o.probe === 'net.services')!
    expect((services.data.services as Array<{port: number; protocol: string; method: string}>).find((s) => s.port === portOf(uri))).toMatchObject({protocol: 'mqtt', method: 'mqtt-connect'})
    expect(finding(device, 'mqtt.auth.anonymous')?.outcome).toBe('fail')
    expect(finding(device, 'mqtt.cleartext')?.outcome).toBe('fail')
    // Its CoAP endpoint (UDP 5683 on the device's own address) is discovered too and fails resource discovery.
    const coap = lab.devices.find((d) => d.name === 'smart-plug')!.targets.find((t) => t.startsWith('coap://'))!
    expect(device.services.map((s) => s.id)).toContain(coap)
    expect(device.findings.find((f) => f.check === 'coap.unauth.discovery' && f.service === coap)?.outcome).toBe('fail')
    const sub = finding(device, 'mqtt.subscription.exposed')!
    expect(sub).toMatchObject({outcome: 'fail', severity: 'critical'})
    const obs = device.observations.find((o) => o.probe === 'mqtt.subscription')!
    expect(obs.data).toMatchObject({connected: true, messages: 4, retained: 4, topics: 4, sysTopics: 1, brokerVersion: 'plugbroker 1.4.2'})
    // The broker's $SYS/broker/version (read by the intrusive subscription) is an identity field with its source.
    const identity = device.observations.find((o) => o.probe === 'device.identity')!.data as {servers?: Array<{source: string; text: string}>}
    expect(identity.servers).toContainEqual(expect.objectContaining({source: 'mqtt.broker-version', text: 'plugbroker 1.4.2'}))
    expect((obs.data.pii as Array<{type: string}>).map((p) => p.type)).toEqual(['email', 'person-name', 'phone'])
    const text = JSON.stringify(device)
    expect(text).not.toMatch(/jane|example\.net|7946|kitchen/i)
    expect(device.verdict).toBe('fail')
  }, 90_000)

  it('smart-plug without --intrusive: nothing subscribed, the subscription check listed not_tested', async () => {
    const {device} = await bareScan('smart-plug', false)
    expect(device.observations.some((o) => o.probe === 'mqtt.subscription')).toBe(false)
    expect(finding(device, 'mqtt.subscription.exposed')?.outcome).toBe('not_tested')
  }, 90_000)

  it('hardened-sensor: MQTT over TLS with a password passes the MQTT checks and gets the TLS checks', async () => {
    const {device, uri} = await bareScan('hardened-sensor', true)
    expect(uri.startsWith('mqtts://')).toBe(true)
    expect(device.services.find((s) => s.id === uri)?.protocol).toBe('mqtts')
    expect(finding(device, 'mqtt.auth.anonymous')?.outcome).toBe('pass')
    expect(finding(device, 'mqtt.cleartext')?.outcome).toBe('pass')
    expect(finding(device, 'mqtt.subscription.exposed')?.outcome).toBe('not_applicable')
    // Its random password is in no list: the default-credential test spends its budget and passes.
    expect(finding(device, 'cred.default.mqtt')?.outcome).toBe('pass')
    expect(finding(device, 'tls.protocol.legacy-enabled')?.outcome).toBe('pass')
    expect(finding(device, 'tls.cert.untrusted-chain')?.outcome).toBe('pass')
    expect(device.verdict).toBe('pass')
  }, 90_000)
})

describe('hostile MQTT peers', () => {
  let silent: Server
  const sockets = new Set<Socket>()
  beforeAll(async () => {
    silent = createServer((s) => {
      sockets.add(s)
      s.on('error', () => {})
    })
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  })
  afterAll(async () => {
    for (const s of sockets) s.destroy()
    await new Promise((r) => silent.close(r))
  })

  it('a port that accepts and never answers CONNECT is an error with a reason, within its bound', async () => {
    const port = (silent.address() as {port: number}).port
    const ctx = makeProbeContext(port, {timeoutMs: 500})
    Object.assign(ctx, {service: {...ctx.service, id: `mqtt://127.0.0.1:${port}`, protocol: 'mqtt'}})
    const started = performance.now()
    const e = await runMqttSession(ctx)
    expectWithinBound(performance.now() - started, 2 * 1000)
    expect(e.error?.code).toBe('no-connack')
    expect(e.error?.message).toMatch(/3\.1\.1|CONNACK/)
  })
})
