import {describe, expect, it} from 'vitest'

import {check as insecureCheck} from '../../checks/svc/exposed-insecure-protocol.js'
import {check as undeclaredCheck} from '../../checks/svc/exposed-undeclared.js'
import type {DeviceCheck} from '../../src/checks/types.js'
import type {Observation, Service} from '../../src/evidence/types.js'
import {declares, exposureEmission} from '../../src/exposure/derive.js'
import type {ExposureData} from '../../src/exposure/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const H = '192.0.2.40'
const svc = (protocol: Service['protocol'], port: number): Service => ({id: `${protocol}://${H}:${port}`, protocol, host: H, port, transport: protocol === 'snmp' ? 'udp' : 'tcp'})
const obs = (service: string, probe: string, data: object, extra: Partial<Observation> = {}): Observation => ({id: `obs-${probe}-${service}`, service, probe, collectedAt: NOW.toISOString(), data: data as Record<string, unknown>, artifacts: [], ...extra})
const fullScan = obs(`host://${H}`, 'net.ports', {requested: '1-65535', open: []})
const identified = obs(`host://${H}`, 'net.services', {host: H, services: [{port: 554, protocol: 'rtsp', method: 'rtsp-options'}, {port: 9999, protocol: 'unknown', method: 'none'}], joined: {}})

function judge(check: DeviceCheck, data: ExposureData) {
  const o = obs('device:d', 'device.exposure', data)
  return check.evaluate({deviceId: 'd', observations: {'device.exposure': o}, thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity})
}

describe('device.exposure', () => {
  it('lists scanned services and unmodelled open ports, marking the cleartext ones', () => {
    const services = [svc('telnet', 23), svc('ftp', 21), svc('mqtts', 8883), svc('snmp', 161), svc('ssh', 22)]
    const observations = [
      fullScan,
      identified,
      obs(svc('ftp', 21).id, 'ftp.session', {authTls: false}),
      obs(svc('snmp', 161).id, 'snmp.communities', {accepted: [{version: 'v2c', id: 'x'}]}),
    ]
    const d = exposureEmission(services, observations, undefined).data as unknown as ExposureData
    expect(d.discovered).toBe(true)
    expect(d.declared).toBeNull()
    expect(d.exposed.map((s) => `${s.protocol}:${s.port}:${s.insecure ? 'x' : '-'}`)).toEqual(['ftp:21:x', 'ssh:22:-', 'telnet:23:x', 'rtsp:554:x', 'mqtts:8883:-', 'unknown:9999:-', 'snmp:161:x'])
    // FTP offering AUTH TLS is not flagged; SNMP without an accepted community is not either.
    const quieter = exposureEmission([svc('ftp', 21), svc('snmp', 161)], [obs(svc('ftp', 21).id, 'ftp.session', {authTls: true}), obs(svc('snmp', 161).id, 'snmp.communities', {accepted: []})], undefined).data as unknown as ExposureData
    expect(quieter.exposed.every((s) => !s.insecure)).toBe(true)
    expect(quieter.discovered).toBe(false)
  })

  it('nothing observed (every given service unreachable) is an error with the reasons, not an empty surface', () => {
    const e = exposureEmission([svc('tls', 443)], [obs(svc('tls', 443).id, 'tls.protocols', {}, {error: {code: 'refused', message: 'ECONNREFUSED'}})], undefined)
    expect(e.error?.code).toBe('unreachable')
    expect(e.error?.message).toMatch(/refused/)
  })

  it('a narrowed or partial port scan is not a complete discovery', () => {
    const narrowed = exposureEmission([], [obs(`host://${H}`, 'net.ports', {requested: '1-1024'})], []).data as unknown as ExposureData
    expect(narrowed.discovered).toBe(false)
    const partial = exposureEmission([], [obs(`host://${H}`, 'net.ports', {requested: '1-65535'}, {partial: {code: 'budget', message: 'cut'}})], []).data as unknown as ExposureData
    expect(partial.discovered).toBe(false)
  })

  it('declared entries: URIs, proto:port, tcp/PORT, bare protocol names', () => {
    const s = {protocol: 'mqtts', port: 8883, transport: 'tcp' as const}
    expect(declares('mqtts://10.0.0.1:8883', s)).toBe(true)
    expect(declares('tls://10.0.0.1:8883', s)).toBe(true)
    expect(declares('mqtts://10.0.0.1:1883', s)).toBe(false)
    expect(declares('mqtts:8883', s)).toBe(true)
    expect(declares('tcp/8883', s)).toBe(true)
    expect(declares('udp/8883', s)).toBe(false)
    expect(declares('mqtts', s)).toBe(true)
    expect(declares('mqtt', s)).toBe(false)
    expect(declares('snmp://h:161', {protocol: 'snmp', port: 161, transport: 'udp'})).toBe(true)
  })
})

describe('svc.exposed.undeclared / svc.exposed.insecure-protocol', () => {
  const base: ExposureData = {discovered: true, declared: null, exposed: [{id: 'ssh://h:22', protocol: 'ssh', port: 22, transport: 'tcp'}], notes: []}
  it('undeclared: fail on an extra service, pass only after discovery, informational without a declaration', () => {
    expect(judge(undeclaredCheck, {...base, declared: ['ssh:22']}).outcome).toBe('pass')
    const extra = judge(undeclaredCheck, {...base, declared: ['https:443'], exposed: [...base.exposed, {id: 'tcp://h:9999', protocol: 'unknown', port: 9999, transport: 'tcp'}]})
    expect(extra.outcome).toBe('fail')
    expect(extra.message).toMatch(/ssh tcp\/22, unknown tcp\/9999/)
    expect(judge(undeclaredCheck, {...base, declared: ['ssh:22'], discovered: false}).outcome).toBe('not_applicable')
    expect(judge(undeclaredCheck, base)).toMatchObject({outcome: 'not_applicable', message: expect.stringMatching(/Exposed: ssh tcp\/22/)})
  })
  it('insecure-protocol: fail on any cleartext protocol, pass only after discovery', () => {
    expect(judge(insecureCheck, base).outcome).toBe('pass')
    expect(judge(insecureCheck, {...base, discovered: false}).outcome).toBe('not_applicable')
    const bad = judge(insecureCheck, {...base, discovered: false, exposed: [{id: 'mqtt://h:1883', protocol: 'mqtt', port: 1883, transport: 'tcp', insecure: 'MQTT without TLS'}]})
    expect(bad.outcome).toBe('fail')
    expect(bad.message).toMatch(/MQTT without TLS/)
  })
})
