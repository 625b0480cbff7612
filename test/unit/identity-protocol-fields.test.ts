/** device.identity from the SSDP description and the SSDP/RTSP/MQTT server strings (pure derivation), and the
 *  planning rule that keeps the intrusive MQTT subscription out of identity's sources. */
import {createHash} from 'node:crypto'

import {describe, expect, it} from 'vitest'

import {planService} from '../../src/engine/plan.js'
import type {Observation} from '../../src/evidence/types.js'
import {deriveIdentity, identityEmission} from '../../src/identity/derive.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import {check} from '../../checks/identity/declared-mismatch.js'
import {makeService} from '../../src/engine/targets.js'

const obs = (service: string, probe: string, data: Record<string, unknown>, error?: Observation['error']): Observation =>
  ({id: `${service}|${probe}`, service, probe, collectedAt: '2026-01-01T00:00:00Z', data, artifacts: [], ...(error ? {error} : {})}) as Observation

const SSDP = 'ssdp://192.0.2.5:1900'
const RTSP = 'rtsp://192.0.2.5:554'
const MQTT = 'mqtt://192.0.2.5:1883'
const SERIAL_SHA = createHash('sha256').update('SN-42').digest('hex')
const observations = [
  obs(SSDP, 'ssdp.discovery', {replies: 2, amplification: 4, types: [], server: 'Linux UPnP/1.0 Acme-Hub/3.2.1', description: {location: 'http://192.0.2.5/d.xml', status: 200, manufacturer: 'Acme', modelName: 'Hub X', modelNumber: 'X1', serialNumber: '***42', serialSha256: SERIAL_SHA, firmware: '3.2.1', services: []}}),
  obs(RTSP, 'rtsp.session', {tls: false, methods: [], describes: [], server: 'AcmeStream/1.0'}),
  obs(MQTT, 'mqtt.session', {tls: false, attempts: [], serverProperties: {serverReference: 'broker2.example.net'}}),
  obs(MQTT, 'mqtt.subscription', {connected: true, brokerVersion: 'mosquitto version 2.0.11'}),
]

describe('identity from SSDP, RTSP and MQTT', () => {
  it('takes the description fields (serial as its digest only) and each server string with its source', () => {
    const r = deriveIdentity(observations)
    expect(r.upnp).toEqual([{service: SSDP, manufacturer: 'Acme', modelName: 'Hub X', modelNumber: 'X1', firmware: '3.2.1', serialSha256: SERIAL_SHA}])
    expect(r.servers).toEqual([
      {service: MQTT, source: 'mqtt.server-reference', text: 'broker2.example.net'},
      {service: MQTT, source: 'mqtt.broker-version', text: 'mosquitto version 2.0.11'},
      {service: RTSP, source: 'rtsp.server', text: 'AcmeStream/1.0'},
      {service: SSDP, source: 'ssdp.server', text: 'Linux UPnP/1.0 Acme-Hub/3.2.1'},
    ])
    expect(r.observed).toMatchObject({vendors: ['Acme'], models: ['Hub X'], firmware: expect.arrayContaining(['3.2.1'])})
    expect(JSON.stringify(r)).not.toContain('***42')
  })

  it('ignores a description that was not fetched (status ≠ 200) and a hostile oversized field', () => {
    const r = deriveIdentity([obs(SSDP, 'ssdp.discovery', {replies: 1, amplification: 1, types: [], server: 'x'.repeat(5000), description: {location: '', status: 404, manufacturer: 'Nope', services: []}})])
    expect(r.upnp).toEqual([])
    expect(r.servers?.[0].text).toHaveLength(512)
  })

  it('identity.declared-mismatch confirms or contradicts a declaration from the UPnP description alone', () => {
    const emission = identityEmission(observations)!
    const identity = obs('device:d', 'device.identity', emission.data)
    const judge = (declared: Record<string, string>) => check.evaluate({device: {id: 'd', serviceId: 'device:d'}, declared, observations: {'device.identity': identity}, thresholds: {} as never, now: new Date(), severity: 'medium'} as never)
    expect(judge({vendor: 'Acme', model: 'Hub X', firmware: '3.2.1'}).outcome).toBe('pass')
    const wrong = judge({vendor: 'Acme', firmware: '4.0.0'})
    expect(wrong.outcome).toBe('fail')
    expect(wrong.message).toContain('declared firmware "4.0.0" but the device reports firmware "3.2.1"')
  })

  it('identity never makes the intrusive MQTT subscription run: without --intrusive only the session unit is planned', () => {
    const profile = resolveProfile('itu-t-x1352-baseline')
    const ids = (intrusive: boolean) => planService(makeService('mqtt', '192.0.2.5', 1883), profile, intrusive).units.map((u) => u.id).sort()
    expect(ids(false)).not.toContain('mqtt.subscription')
    expect(ids(true)).toContain('mqtt.subscription')
  })
})
