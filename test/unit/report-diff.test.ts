/** `report diff` logic (src/evidence/diff): device and service pairing, finding changes, observation changes,
 *  the gate, the published schema, and the renderings' escaping. Reports are built by hand: no network. */
import {describe, expect, it} from 'vitest'

import {diffReports, type DiffInput} from '../../src/evidence/diff/index.js'
import {diffFindings} from '../../src/evidence/diff/findings.js'
import {matchDevices, matchServices} from '../../src/evidence/diff/match.js'
import {diffObservations} from '../../src/evidence/diff/observations.js'
import type {Device, Finding, Observation, Report, Service, Severity} from '../../src/evidence/types.js'
import type {IdentityRecord} from '../../src/identity/types.js'
import {schemaValidator} from '../../src/util/schema.js'
import {renderDiff} from '../../src/writers/diff/index.js'
import {expectValidReport} from '../helpers/report.js'

const svc = (protocol: Service['protocol'], port: number, host = '192.0.2.10'): Service => ({
  id: `${protocol}://${host}:${port}`,
  protocol,
  host,
  port,
  transport: protocol === 'snmp' ? 'udp' : 'tcp',
})

const finding = (check: string, service: string, outcome: Finding['outcome'], severity: Severity = 'high'): Finding => ({
  check,
  title: check,
  outcome,
  severity,
  service,
  message: `${check} ${outcome}`,
  evidence: [],
  references: [],
})

let n = 0
const obs = (service: string, probe: string, data: Record<string, unknown>, extra: Partial<Observation> = {}): Observation => ({
  id: `obs-${++n}`,
  service,
  probe,
  collectedAt: '2026-01-01T00:00:00.000Z',
  data,
  artifacts: [],
  ...extra,
})

function identity(deviceId: string, parts: {ssh?: Array<{service: string; banner?: string; keys: string[]}>; tls?: Array<{service: string; cert: string; spki: string}>}): Observation {
  const record: IdentityRecord = {
    tls: (parts.tls ?? []).map((t) => ({service: t.service, subject: 'CN=x', issuer: 'CN=x', serialNumber: '01', spkiSha256: t.spki, certSha256: t.cert, keyType: 'RSA', keyBits: 2048, selfSigned: true})),
    ssh: (parts.ssh ?? []).map((s) => ({service: s.service, banner: s.banner ?? 'SSH-2.0-x', software: 'x', comments: '', hostKeys: s.keys.map((k) => ({type: 'ssh-ed25519', fingerprint: k}))})),
    snmp: [],
    http: [],
    banners: [],
    products: [],
    cpe: [],
    observed: {vendors: [], models: [], firmware: [], versions: []},
    sources: [],
  }
  return obs(`device:${deviceId}`, 'device.identity', record as unknown as Record<string, unknown>)
}

function device(id: string, services: Service[], findings: Finding[] = [], observations: Observation[] = [], extra: Partial<Device> = {}): Device {
  return {id, name: id, services, observations, findings, verdict: findings.some((f) => f.outcome === 'fail') ? 'fail' : 'pass', ...extra}
}

function report(devices: Device[], runId = 'run'): Report {
  const outcomes = {pass: 0, fail: 0, error: 0, not_tested: 0, not_applicable: 0, inconclusive: 0}
  for (const d of devices) for (const f of d.findings) outcomes[f.outcome]++
  return {
    schemaVersion: '1.0.0',
    tool: {name: 'sg17scan', version: '0.1.0'},
    run: {id: runId, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', commandLine: 'sg17scan scan', profile: {id: 'p', version: '1', sha256: 'a'.repeat(64)}},
    devices,
    summary: {
      devices: devices.length,
      verdicts: {pass: devices.filter((d) => d.verdict === 'pass').length, fail: devices.filter((d) => d.verdict === 'fail').length, incomplete: 0},
      outcomes,
      failedBySeverity: {critical: 0, high: 0, medium: 0, low: 0, info: 0},
      failOn: 'medium',
      exitCode: 0,
    },
  }
}

const input = (r: Report, source: string): DiffInput => ({report: r, source, kind: 'report'})

describe('device pairing', () => {
  const ssh = svc('ssh', 22)
  it('pairs by id first, then by an identity value unique on both sides', () => {
    const a = [device('cam', [ssh]), device('old-name', [ssh], [], [identity('old-name', {ssh: [{service: ssh.id, keys: ['SHA256:key1']}]})])]
    const b = [device('new-name', [ssh], [], [identity('new-name', {ssh: [{service: ssh.id, keys: ['SHA256:key1']}]})]), device('cam', [ssh])]
    const pairs = matchDevices(a, b)
    expect(pairs.map((p) => [p.a?.id, p.b?.id, p.matchedBy])).toEqual([
      ['old-name', 'new-name', 'ssh-host-key'],
      ['cam', 'cam', 'id'],
    ])
    expect(pairs[0]!.matchedOn).toBe('SHA256:key1')
  })

  it('a key shared by two devices (clones) pairs nothing: they stay added / removed', () => {
    const shared = (id: string) => device(id, [ssh], [], [identity(id, {ssh: [{service: ssh.id, keys: ['SHA256:clone']}]})])
    const pairs = matchDevices([shared('a1'), shared('a2')], [shared('b1')])
    expect(pairs.map((p) => [p.a?.id, p.b?.id])).toEqual([
      [undefined, 'b1'],
      ['a1', undefined],
      ['a2', undefined],
    ])
  })

  it('a declared serial wins over keys (the most specific identity first)', () => {
    const withKey = (id: string, key: string, serial: string) =>
      device(id, [ssh], [], [identity(id, {ssh: [{service: ssh.id, keys: [key]}]})], {declared: {serial}})
    // x1/y1 share a key but not a serial; the serial says x1 is y2.
    const pairs = matchDevices([withKey('x1', 'SHA256:k', 'S-1')], [withKey('y1', 'SHA256:k', 'S-9'), withKey('y2', 'SHA256:other', 'S-1')])
    expect(pairs.find((p) => p.a?.id === 'x1')).toMatchObject({b: {id: 'y2'}, matchedBy: 'serial'})
  })
})

describe('service pairing', () => {
  it('pairs by id, then protocol+port (new address), then the only one of a protocol (new port)', () => {
    const a = device('d', [svc('tls', 443), svc('ssh', 22), svc('telnet', 23)])
    const b = device('d', [svc('tls', 443, '192.0.2.99'), svc('ssh', 2222), svc('ftp', 21)])
    const s = matchServices(a, b)
    expect(s.pairs.map((p) => [p.a.id, p.b.id])).toEqual([
      ['tls://192.0.2.10:443', 'tls://192.0.2.99:443'],
      ['ssh://192.0.2.10:22', 'ssh://192.0.2.10:2222'],
    ])
    expect(s.onlyA.map((x) => x.id)).toEqual(['telnet://192.0.2.10:23'])
    expect(s.onlyB.map((x) => x.id)).toEqual(['ftp://192.0.2.10:21'])
  })

  it('two services of one protocol on new ports are not guessed', () => {
    const s = matchServices(device('d', [svc('tls', 443), svc('tls', 8443)]), device('d', [svc('tls', 4433), svc('tls', 9443)]))
    expect(s.pairs).toEqual([])
    expect(s.onlyA).toHaveLength(2)
    expect(s.onlyB).toHaveLength(2)
  })
})

describe('finding changes', () => {
  const tls = svc('tls', 443)
  const telnet = svc('telnet', 23)
  const run = (fa: Finding[], fb: Finding[], failOn: Severity = 'medium', bServices = [tls]) => {
    const a = device('d', [tls, telnet], fa)
    const b = device('d', bServices, fb)
    return diffFindings(a, b, matchServices(a, b).bToA, failOn)
  }

  it('new, fixed, outcome and severity, with the gate only for a new failure at or above failOn', () => {
    const changes = run(
      [finding('t.new', tls.id, 'pass'), finding('t.fixed', tls.id, 'fail'), finding('t.unsure', tls.id, 'fail'), finding('t.worse', tls.id, 'fail', 'low'), finding('t.same', tls.id, 'fail')],
      [finding('t.new', tls.id, 'fail'), finding('t.fixed', tls.id, 'pass'), finding('t.unsure', tls.id, 'inconclusive'), finding('t.worse', tls.id, 'fail', 'critical'), finding('t.same', tls.id, 'fail')],
    )
    expect(changes.map((c) => [c.check, c.change, c.gate])).toEqual([
      ['t.new', 'new', true],
      ['t.fixed', 'fixed', false],
      // fail → inconclusive: we could not tell, which is not a fix.
      ['t.unsure', 'outcome', false],
      // a low failure (below the gate) that is now critical is a new failure at or above failOn.
      ['t.worse', 'severity', true],
    ])
  })

  it('a failure below --fail-on is listed as new but does not trip the gate', () => {
    expect(run([], [finding('t.low', tls.id, 'fail', 'low')], 'high')).toMatchObject([{change: 'new', gate: false}])
  })

  it('a failure whose service vanished is fixed; one B no longer judges on a service it still has is not', () => {
    const changes = run([finding('svc.telnet.exposed', telnet.id, 'fail'), finding('t.dropped', tls.id, 'fail')], [])
    expect(changes.map((c) => [c.check, c.change])).toEqual([
      ['svc.telnet.exposed', 'fixed'],
      ['t.dropped', 'outcome'],
    ])
  })

  it('a device only B has: each failure is new; a device only A has: nothing is claimed fixed', () => {
    const b = device('new', [tls], [finding('t.x', tls.id, 'fail', 'critical'), finding('t.y', tls.id, 'pass')])
    expect(diffFindings(undefined, b, new Map(), 'medium')).toMatchObject([{check: 't.x', change: 'new', gate: true}])
    const d = diffReports(input(report([device('gone', [tls], [finding('t.x', tls.id, 'fail')])]), 'a'), input(report([b]), 'b'), 'medium')
    expect(d.devices.map((x) => [x.status, x.findings.length])).toEqual([
      ['added', 1],
      ['removed', 0],
    ])
    expect(d.summary).toMatchObject({regressions: 1, exitCode: 1, devices: {matched: 0, added: 1, removed: 1}})
  })
})

describe('observation changes', () => {
  const tls = svc('tls', 443)
  const ssh = svc('ssh', 22)
  const pair = (oa: Observation[], ob: Observation[], sa = [tls, ssh], sb = [tls, ssh]) => {
    const a = device('d', sa, [], oa)
    const b = device('d', sb, [], ob)
    return diffObservations(a, b, matchServices(a, b))
  }

  it('protocols, suites, SSH algorithms, certificate and banner changes; services appeared and vanished', () => {
    const changes = pair(
      [
        obs(tls.id, 'tls.protocols', {'TLSv1.0': true, 'TLSv1.2': true, 'TLSv1.3': false}),
        obs(tls.id, 'tls.cipher-suites', {'TLSv1.2': ['TLS_RSA_WITH_NULL_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']}),
        obs(ssh.id, 'ssh.kexinit', {kex: ['curve25519-sha256'], hostKey: ['ssh-ed25519'], ciphers: ['aes128-ctr'], macs: ['hmac-sha2-256'], compression: ['none']}),
        identity('d', {tls: [{service: tls.id, cert: 'c1', spki: 'k1'}], ssh: [{service: ssh.id, banner: 'SSH-2.0-dropbear_2014.63', keys: ['SHA256:a']}]}),
      ],
      [
        obs(tls.id, 'tls.protocols', {'TLSv1.0': false, 'TLSv1.2': true, 'TLSv1.3': true}),
        obs(tls.id, 'tls.cipher-suites', {'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'], 'TLSv1.3': ['TLS_AES_128_GCM_SHA256']}),
        obs(ssh.id, 'ssh.kexinit', {kex: ['curve25519-sha256', 'diffie-hellman-group1-sha1'], hostKey: ['ssh-ed25519'], ciphers: ['aes128-ctr'], macs: ['hmac-sha2-256'], compression: ['none']}),
        identity('d', {tls: [{service: tls.id, cert: 'c2', spki: 'k1'}], ssh: [{service: ssh.id, banner: 'SSH-2.0-dropbear_2019.78', keys: ['SHA256:a']}]}),
      ],
      [tls, ssh, svc('telnet', 23)],
      [tls, ssh, svc('ftp', 21)],
    )
    expect(changes).toEqual([
      {kind: 'service-appeared', service: 'ftp://192.0.2.10:21'},
      {kind: 'service-vanished', service: 'telnet://192.0.2.10:23'},
      {kind: 'tls-protocols', service: tls.id, added: ['TLSv1.3'], removed: ['TLSv1.0']},
      {kind: 'tls-cipher-suites', service: tls.id, added: ['TLS_AES_128_GCM_SHA256'], removed: ['TLS_RSA_WITH_NULL_SHA']},
      {kind: 'certificate', service: tls.id, before: 'c1', after: 'c2'},
      {kind: 'ssh-algorithms', service: ssh.id, added: ['kex diffie-hellman-group1-sha1']},
      {kind: 'banner', service: ssh.id, before: 'SSH-2.0-dropbear_2014.63', after: 'SSH-2.0-dropbear_2019.78'},
    ])
  })

  it('SNMP communities accepted, by dataset id (never the string)', () => {
    const snmp = svc('snmp', 161)
    const accepted = (...ids: string[]) => obs(snmp.id, 'snmp.communities', {accepted: ids.map((credentialId) => ({credentialId, version: 'v2c', access: 'read'}))})
    expect(pair([accepted('snmp-common-1')], [accepted('snmp-common-1', 'snmp-common-2')], [snmp], [snmp])).toEqual([
      {kind: 'snmp-communities', service: snmp.id, added: ['v2c snmp-common-2 read']},
    ])
  })

  it('what a probe could not see is never "removed": partial B only adds, an errored side compares nothing', () => {
    const a = [obs(tls.id, 'tls.protocols', {'TLSv1.0': true, 'TLSv1.2': true})]
    const partial = [obs(tls.id, 'tls.protocols', {'TLSv1.2': true, 'TLSv1.3': true}, {partial: {code: 'budget', message: 'ran out'}})]
    expect(pair(a, partial)).toEqual([{kind: 'tls-protocols', service: tls.id, added: ['TLSv1.3']}])
    const errored = [obs(tls.id, 'tls.protocols', {}, {error: {code: 'timeout', message: 'no answer'}})]
    expect(pair(a, errored)).toEqual([])
  })
})

describe('the diff document', () => {
  const tls = svc('tls', 443)
  const hostile = '<script>alert(1)</script> | `x` **y**'
  const a = report([device('cam', [tls], [finding('t.a', tls.id, 'fail')])], 'run-a')
  const b = report([device('cam', [tls], [{...finding('t.b', tls.id, 'fail', 'critical'), message: hostile}, finding('t.a', tls.id, 'pass')])], 'run-b')
  const diff = diffReports(input(a, 'a.json'), input(b, 'b.json'), 'high')

  it('the fixtures are valid reports', () => {
    expectValidReport(a)
    expectValidReport(b)
  })

  it('matches schemas/report-diff.schema.json (which is itself a valid 2020-12 schema)', () => {
    const validate = schemaValidator('report-diff', {checkSchema: true})
    expect(validate(JSON.parse(renderDiff(diff, 'json'))), JSON.stringify(validate.errors)).toBe(true)
    expect(diff.summary).toEqual({
      devices: {matched: 1, added: 0, removed: 0},
      findings: {new: 1, fixed: 1, outcome: 0, severity: 0},
      observationChanges: 0,
      regressions: 1,
      failOn: 'high',
      exitCode: 1,
    })
  })

  it('the gate follows --fail-on: a new critical failure trips --fail-on critical; a new info failure does not trip --fail-on low', () => {
    expect(diffReports(input(a, 'a'), input(b, 'b'), 'critical').summary.exitCode).toBe(1)
    const bInfo = report([device('cam', [tls], [finding('t.b', tls.id, 'fail', 'info'), finding('t.a', tls.id, 'pass')])])
    expect(diffReports(input(a, 'a'), input(bInfo, 'b'), 'low').summary.exitCode).toBe(0)
  })

  it('renders the same changes in every format, report text escaped', () => {
    const md = renderDiff(diff, 'md')
    expect(md).toContain('\\| \\`x\\` \\*\\*y\\*\\*')
    expect(md).not.toContain('<script>')
    const html = renderDiff(diff, 'html')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('<script>')
    const text = renderDiff(diff, 'console')
    for (const out of [md, html, text]) {
      expect(out).toContain('t.b')
      expect(out).toContain('NEW')
      expect(out).toContain('FIXED')
      expect(out).toContain('REGRESSION: 1 new failure at or above high')
    }
  })
})
