import {describe, expect, it} from 'vitest'

import {analyzeBatch, defaultBatchChecks, identityDigest} from '../../src/identity/batch.js'
import {contentId} from '../../src/evidence/ids.js'
import type {Device, Observation} from '../../src/evidence/types.js'
import {deviceServiceId, identityEmission} from '../../src/identity/derive.js'
import type {IdentityDigest} from '../../src/identity/types.js'

const KEY_A = 'a'.repeat(64)
const KEY_B = 'b'.repeat(64)
const KEY_C = 'c'.repeat(64)

function digest(device: string, o: Partial<IdentityDigest> = {}): IdentityDigest {
  return {device, identityObservation: `obs-${device}`, tlsKeys: [], sshKeys: [], keyTypes: [], services: [], observed: {}, ...o}
}

describe('analyzeBatch', () => {
  it('finds a TLS key and an SSH host key shared by several devices and lists them', () => {
    const batch = analyzeBatch([
      digest('d4', {sshKeys: ['SHA256:shared'], tlsKeys: [KEY_C]}),
      digest('d1', {tlsKeys: [KEY_A]}),
      digest('d2', {tlsKeys: [KEY_A, KEY_B]}),
      digest('d3', {tlsKeys: [KEY_A], sshKeys: ['SHA256:shared', 'SHA256:own']}),
      digest('d5', {tlsKeys: [KEY_B]}),
    ])
    const tls = batch.findings.filter((f) => f.check === 'tls.cert.shared-device-key')
    expect(tls.map((f) => [f.outcome, f.devices])).toEqual([
      ['fail', ['d1', 'd2', 'd3']],
      ['fail', ['d2', 'd5']],
    ])
    expect(tls[0]!.message).toBe(`3 devices present the same TLS key (SPKI SHA-256 ${KEY_A}): d1, d2, d3.`)
    expect(tls[0]!.evidence).toEqual(['obs-d1', 'obs-d2', 'obs-d3'])
    expect(tls[0]).toMatchObject({severity: 'high', title: 'TLS key unique per device'})
    expect(tls[0]!.references).toContainEqual({framework: 'ETSI EN 303 645', id: '5.4-4'})
    const ssh = batch.findings.filter((f) => f.check === 'ssh.hostkey.shared')
    expect(ssh).toHaveLength(1)
    expect(ssh[0]).toMatchObject({outcome: 'fail', devices: ['d3', 'd4'], evidence: ['obs-d3', 'obs-d4']})
    expect(ssh[0]!.message).toContain('SHA256:shared')
  })

  it('passes when every device has its own keys, and is not applicable when no device shows a key', () => {
    const own = analyzeBatch([digest('a', {tlsKeys: [KEY_A], sshKeys: ['SHA256:1']}), digest('b', {tlsKeys: [KEY_B], sshKeys: ['SHA256:2']})])
    expect(own.findings.map((f) => [f.check, f.outcome])).toEqual([
      ['ssh.hostkey.shared', 'pass'],
      ['tls.cert.shared-device-key', 'pass'],
    ])
    const none = analyzeBatch([digest('a'), digest('b')])
    expect(none.findings.map((f) => f.outcome)).toEqual(['not_applicable', 'not_applicable'])
  })

  it('names at most 20 devices in a message but lists them all', () => {
    const many = Array.from({length: 30}, (_, i) => digest(`dev-${String(i).padStart(2, '0')}`, {tlsKeys: [KEY_A]}))
    const [f] = analyzeBatch(many).findings.filter((x) => x.check === 'tls.cert.shared-device-key')
    expect(f!.devices).toHaveLength(30)
    expect(f!.message).toMatch(/… and 10 more\.$/)
  })

  it('builds a per-model table: samples, and which samples differ in firmware, vendor, key types or services', () => {
    const gw = {vendor: 'Acme', model: 'GW-100'}
    const batch = analyzeBatch([
      digest('s1', {declared: gw, observed: {firmware: '1.0.4', vendor: 'Acme'}, keyTypes: ['tls:RSA-2048'], services: ['ssh', 'tls']}),
      digest('s2', {declared: {vendor: 'ACME', model: 'gw 100'}, observed: {firmware: '1.0.4', vendor: 'Acme'}, keyTypes: ['tls:RSA-2048'], services: ['ssh', 'tls']}),
      digest('s3', {declared: gw, observed: {firmware: '0.9.1', vendor: 'Acme'}, keyTypes: ['tls:RSA-1024'], services: ['ssh', 'telnet', 'tls']}),
      digest('s4', {declared: {model: 'Other'}, services: ['snmp']}),
      digest('s5'),
    ])
    expect(batch.models).toEqual([
      {model: 'Other', samples: 1, devices: ['s4'], differences: []},
      {
        vendor: 'Acme',
        model: 'GW-100',
        samples: 3,
        devices: ['s1', 's2', 's3'],
        differences: [
          {attribute: 'firmware', values: [{value: '1.0.4', devices: ['s1', 's2']}, {value: '0.9.1', devices: ['s3']}]},
          {attribute: 'keyTypes', values: [{value: 'tls:RSA-2048', devices: ['s1', 's2']}, {value: 'tls:RSA-1024', devices: ['s3']}]},
          {attribute: 'services', values: [{value: 'ssh, tls', devices: ['s1', 's2']}, {value: 'ssh, telnet, tls', devices: ['s3']}]},
        ],
      },
    ])
  })

  it('gives the same result whatever order the digests come in, from any iterable', () => {
    const ds = [digest('x', {tlsKeys: [KEY_A]}), digest('y', {tlsKeys: [KEY_A]}), digest('z', {sshKeys: ['SHA256:q']})]
    function* gen() {
      yield* [...ds].reverse()
    }
    expect(analyzeBatch(gen())).toEqual(analyzeBatch(ds))
  })

  it('turns a throwing batch check into an error finding, not a crash', () => {
    const [sel] = defaultBatchChecks()
    const broken = {...sel!, check: {...sel!.check, evaluate: () => { throw new Error('boom') }}}
    const {findings} = analyzeBatch([digest('a'), digest('b')], [broken])
    expect(findings).toMatchObject([{outcome: 'error', message: expect.stringContaining('boom')}])
  })
})

describe('identityDigest', () => {
  const svc = 'tls://192.0.2.9:443'
  const leaf = {subject: 'CN=x', issuer: 'CN=x', serialNumber: '01', spkiSha256: KEY_A, sha256: KEY_B, keyType: 'RSA', keyBits: 2048, selfSigned: true}
  const observations: Observation[] = [
    {id: 'obs-tls', service: svc, probe: 'tls.certificates', collectedAt: '2026-01-01T00:00:00.000Z', data: {chain: [leaf]}, artifacts: []},
    {
      id: 'obs-ssh',
      service: 'ssh://192.0.2.9:22',
      probe: 'ssh.hostkeys',
      collectedAt: '2026-01-01T00:00:00.000Z',
      data: {keys: [{algorithm: 'rsa-sha2-512', type: 'ssh-rsa', bits: 3072, fingerprint: 'SHA256:k1'}, {algorithm: 'ssh-rsa', type: 'ssh-rsa', bits: 3072, fingerprint: 'SHA256:k1'}, {algorithm: 'ssh-dss', error: 'not supported'}]},
      artifacts: [],
    },
  ]
  const device = (withIdentity: boolean): Device => {
    const obs = [...observations]
    if (withIdentity) {
      const e = identityEmission(observations)!
      obs.push({id: contentId('obs', {service: deviceServiceId('d'), probe: e.probe, data: e.data}), service: deviceServiceId('d'), probe: e.probe, collectedAt: '2026-01-01T00:00:00.000Z', data: e.data, artifacts: []})
    }
    return {
      id: 'd',
      declared: {model: 'M1'},
      services: [
        {id: svc, protocol: 'tls', host: '192.0.2.9', port: 443, transport: 'tcp'},
        {id: 'ssh://192.0.2.9:22', protocol: 'ssh', host: '192.0.2.9', port: 22, transport: 'tcp'},
      ],
      observations: obs,
      findings: [],
      verdict: 'pass',
    }
  }

  it('keeps keys, key types, services and the identity observation id; small', () => {
    const d = identityDigest(device(true))
    expect(d).toMatchObject({device: 'd', declared: {model: 'M1'}, tlsKeys: [KEY_A], sshKeys: ['SHA256:k1'], keyTypes: ['ssh:ssh-rsa-3072', 'tls:RSA-2048'], services: ['ssh', 'tls']})
    expect(d.identityObservation).toMatch(/^obs-[0-9a-f]{16}$/)
    expect(JSON.stringify(d).length).toBeLessThan(400)
  })

  it('derives the identity on the spot for a device scanned without one (evidence then empty)', () => {
    const d = identityDigest(device(false))
    expect(d.tlsKeys).toEqual([KEY_A])
    expect(d.identityObservation).toBeUndefined()
  })
})
