import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {DeviceCheck} from '../../src/checks/types.js'
import {judgeDevice} from '../../src/engine/judge.js'
import {contentId} from '../../src/evidence/ids.js'
import type {DeclaredIdentity, Observation} from '../../src/evidence/types.js'
import {deviceServiceId, identityEmission} from '../../src/identity/derive.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const check = checkById('identity.declared-mismatch') as DeviceCheck
const NOW = new Date('2026-06-01T12:00:00Z')

function obs(service: string, probe: string, data: Record<string, unknown>, error?: Observation['error']): Observation {
  return {id: contentId('obs', {service, probe, data}), service, probe, collectedAt: NOW.toISOString(), data, artifacts: [], ...(error ? {error} : {})}
}

const SNMP = 'snmp://192.0.2.1:161'
const SSH = 'ssh://192.0.2.1:22'
const HTTP = 'http://192.0.2.1:80'

const openRouterSnmp = (sysDescr: string, sysObjectID = '1.3.6.1.4.1.99999.1.2400') =>
  obs(SNMP, 'snmp.system', {readable: true, sysDescr, sysObjectID, sysContact: 'Jane Doe <jane@example.net>', sysLocation: 'Flat 3, 1 High St', sysName: 'janes-router'})

function identityOf(observations: Observation[]): Observation {
  const e = identityEmission(observations, {declared: true})!
  return obs(deviceServiceId('d1'), e.probe, e.data)
}

function evaluate(declared: DeclaredIdentity | undefined, observations: Observation[]) {
  const identity = identityOf(observations)
  return check.evaluate({deviceId: 'd1', ...(declared ? {declared} : {}), observations: {[identity.probe]: identity}, thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: 'medium'})
}

describe('identity.declared-mismatch', () => {
  it('is a device-scope, non-intrusive check reading device.identity and citing X.1528', () => {
    expect(check).toMatchObject({scope: 'device', family: 'identity', intrusive: false, reads: ['device.identity'], protocols: []})
    expect(check.sources).toContain('snmp.system')
    expect(check.references.map((r) => `${r.framework} ${r.id}`)).toEqual(['ITU-T X.1528'])
  })

  it('passes when the device confirms what was declared (case and punctuation aside)', () => {
    const r = evaluate({vendor: 'openrouter', model: 'OR 2400', firmware: 'v3.1.7'}, [openRouterSnmp('OpenRouter OR-2400 firmware 3.1.7 (build 2019-04-02) Linux 2.6.36')])
    expect(r.outcome).toBe('pass')
    expect(r.message).toMatch(/vendor, model, firmware/)
  })

  it('fails when only the device certificate names an organisation, and it is not the declared vendor; passes when it is', () => {
    const cert = (subject: string) =>
      obs('tls://192.0.2.1:443', 'tls.certificates', {chain: [{subject, issuer: 'CN=Fleet CA', serialNumber: '01', spkiSha256: 'ab'.repeat(32), sha256: 'cd'.repeat(32), keyType: 'EC', keyBits: 256}]})
    const other = evaluate({vendor: 'Acme'}, [cert('OU=GX-Cam7,O=Globex\\, Inc.,CN=dev-02.fleet.lab')])
    expect(other.outcome).toBe('fail')
    expect(other.message).toContain('"Globex, Inc."')
    expect(evaluate({vendor: 'Globex'}, [cert('OU=GX-Cam7,O=Globex\\, Inc.,CN=dev-02.fleet.lab')]).outcome).toBe('pass')
    expect(evaluate({vendor: 'Acme'}, [cert('CN=dev-02.fleet.lab')]).outcome).toBe('inconclusive')
  })

  it('fails when the firmware the device reports is another one, naming both', () => {
    const r = evaluate({vendor: 'OpenRouter', model: 'OR-2400', firmware: '3.2.0'}, [openRouterSnmp('OpenRouter OR-2400 firmware 3.1.7 (build 2019-04-02)')])
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('"3.2.0"')
    expect(r.message).toContain('"3.1.7"')
    expect(r.message).toMatch(/Confirmed: vendor/)
  })

  it('fails when the device identifies as another vendor (sysDescr or IANA enterprise number)', () => {
    const cisco = openRouterSnmp('Cisco IOS Software, C2960 Software, Version 15.2(4)M7, RELEASE SOFTWARE', '1.3.6.1.4.1.9.1.1208')
    const r = evaluate({vendor: 'Juniper Networks', firmware: '15.2(4)M7'}, [cisco])
    expect(r.outcome).toBe('fail')
    expect(r.message).toMatch(/declared vendor "Juniper Networks" but the device identifies as "Cisco"/)
    expect(r.message).toMatch(/Confirmed: firmware/)
    expect(evaluate({vendor: 'Cisco Systems, Inc.', firmware: '15.2.4.M7'}, [cisco]).outcome).toBe('pass')
  })

  it('fails on a model the device reports differently', () => {
    const r = evaluate({vendor: 'MikroTik', model: 'hAP ac2'}, [openRouterSnmp('RouterOS CCR1009-7G-1C-1S+', '1.3.6.1.4.1.14988.1')])
    expect(r.outcome).toBe('fail')
    expect(r.message).toMatch(/declared model "hAP ac2" but the device reports "CCR1009-7G-1C-1S\+"/)
  })

  it('is inconclusive when nothing the device exposes identifies it', () => {
    const ssh = obs(SSH, 'ssh.kexinit', {banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2', software: 'OpenSSH_9.2p1', comments: 'Debian-2'})
    const r = evaluate({vendor: 'Acme', model: 'GW-100', firmware: '1.0.4'}, [ssh])
    expect(r.outcome).toBe('inconclusive')
    expect(r.message).toMatch(/versions seen: "9.2p1"/)
    expect(evaluate({vendor: 'Acme'}, []).outcome).toBe('inconclusive')
  })

  it('confirms from an HTTP probe observation (written in parallel) and copes with its absence or garbage', () => {
    const http = obs(HTTP, 'http.exchanges', {exchanges: [{url: 'http://192.0.2.1/', status: 200, headers: {server: 'lighttpd/1.4.59'}, title: 'Acme GW-100 — Firmware Version V1.0.4'}]})
    expect(evaluate({vendor: 'ACME', model: 'gw100', firmware: '1.0.4'}, [http]).outcome).toBe('pass')
    const garbage = obs(HTTP, 'http.exchanges', {exchanges: 'nope'})
    expect(evaluate({vendor: 'ACME'}, [garbage]).outcome).toBe('inconclusive')
    const listed = obs(HTTP, 'http.exchanges', {exchanges: [{url: 'http://192.0.2.1/', headers: {server: [7, 'Boa/0.94.14rc21']}}]})
    expect((identityOf([listed]).data as {cpe: string[]}).cpe).toEqual(['cpe:2.3:a:boa:boa:0.94.14rc21:*:*:*:*:*:*:*'])
    const weird = obs(HTTP, 'http.exchanges', {exchanges: [null, 7, {headers: 'x', title: 42}]})
    expect(evaluate({vendor: 'ACME'}, [weird]).outcome).toBe('inconclusive')
  })

  it('is not applicable when nothing (or only a serial) was declared', () => {
    const snmp = [openRouterSnmp('OpenRouter OR-2400 firmware 3.1.7')]
    expect(evaluate(undefined, snmp).outcome).toBe('not_applicable')
    expect(evaluate({serial: 'SN123'}, snmp).outcome).toBe('not_applicable')
    expect(evaluate({vendor: '  '}, snmp).outcome).toBe('not_applicable')
  })

  it('emits an identity error when every source failed, and none when nothing was tried nor declared', () => {
    const refused = obs(SSH, 'ssh.kexinit', {}, {code: 'refused', message: 'connection refused'})
    expect(identityEmission([refused])).toEqual({probe: 'device.identity', data: {}, error: {code: 'no-identity-source', message: 'no identity source could be read (refused: connection refused)'}})
    expect(identityEmission([])).toBeUndefined()
    expect(identityEmission([obs(SNMP, 'discovery.tcp-ports', {})])).toBeUndefined()
    expect(identityEmission([], {declared: true})?.data).toMatchObject({tls: [], cpe: [], sources: []})
  })

  it('never copies SNMP contact, location or name into the identity', () => {
    const identity = identityOf([openRouterSnmp('OpenRouter OR-2400 firmware 3.1.7')])
    const text = JSON.stringify(identity.data)
    for (const secret of ['Jane', 'jane@', 'High St', 'janes-router']) expect(text).not.toContain(secret)
  })

  it('is judged by the engine like a service check: missing identity → not_tested, failed → error', () => {
    const sel = {check, severity: 'medium' as const, references: [...check.references]}
    const device = {id: 'd1', serviceId: deviceServiceId('d1'), declared: {vendor: 'Acme'}}
    expect(judgeDevice(sel, device, [], DEFAULT_THRESHOLDS, NOW)).toMatchObject({outcome: 'not_tested', service: 'device:d1'})
    const failed = obs('device:d1', 'device.identity', {}, {code: 'internal', message: 'boom'})
    expect(judgeDevice(sel, device, [failed], DEFAULT_THRESHOLDS, NOW)).toMatchObject({outcome: 'error', evidence: [failed.id]})
    const identity = {...identityOf([openRouterSnmp('Acme thing')]), service: 'device:d1'}
    expect(judgeDevice(sel, device, [identity], DEFAULT_THRESHOLDS, NOW)).toMatchObject({outcome: 'pass', evidence: [identity.id], check: 'identity.declared-mismatch'})
  })
})
