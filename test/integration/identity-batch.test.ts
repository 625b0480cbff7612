import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer} from 'node:tls'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import {summarize} from '../../src/engine/verdict.js'
import {mergeReports} from '../../src/evidence/merge.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {issueLeaf, labCa} from '../../src/lab/ca.js'
import {openRouter} from '../../src/lab/devices/snmp-agent.js'
import type {StartedDevice} from '../../src/lab/devices/types.js'
import {listenTracked} from '../../src/lab/server.js'
import {type LabSshConfig, startLabSsh} from '../../src/lab/ssh-service.js'
import {renderSummary} from '../../src/writers/console.js'
import {csvWriter} from '../../src/writers/csv.js'
import {htmlWriter} from '../../src/writers/html.js'
import {junitWriter} from '../../src/writers/junit.js'
import {mdWriter} from '../../src/writers/md.js'
import {sarifWriter} from '../../src/writers/sarif.js'
import {runCli} from '../helpers/cli.js'
import {parseCsv} from '../helpers/mini-csv.js'
import {deviceNamed, expectValidReport} from '../helpers/report.js'

const HOST = '127.0.0.1'

/** A TLS endpoint whose key comes from the lab key cache under `keyPurpose`: same purpose, same key. */
async function tlsDevice(keyPurpose: string, commonName: string): Promise<StartedDevice> {
  const leaf = issueLeaf({purpose: keyPurpose, commonName, keyBits: 2048, days: 90})
  const server = createServer({key: leaf.keyPem, cert: leaf.certPem, minVersion: 'TLSv1.2'})
  server.on('tlsClientError', () => {})
  server.on('secureConnection', (socket) => {
    socket.on('error', () => {})
    socket.once('data', () => socket.end())
  })
  return listenTracked(server, HOST, 0, 'tls')
}

/** OpenSSH-like SSH service; host keys come from the lab key cache under `keyPurpose`. */
const OPENSSH: LabSshConfig = {
  ident: 'OpenSSH_9.2p1 Debian-2',
  hostKeys: [{type: 'ed25519'}],
  algorithms: {
    kex: ['curve25519-sha256'],
    cipher: ['aes128-gcm@openssh.com'],
    hmac: ['hmac-sha2-256-etm@openssh.com'],
    serverHostKey: ['ssh-ed25519'],
  },
  authMethods: ['publickey'],
}

describe('batch of 4 devices: shared keys and declared identities', () => {
  const started: StartedDevice[] = []
  let report: Report
  let specs: Parameters<typeof scanDevices>[0]
  let dir: string
  const options = () => ({caCertificates: [labCa().certPem], timeoutMs: 2000})

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sg17-ident-'))
    const start = async (p: Promise<StartedDevice>) => {
      const s = await p
      started.push(s)
      return s.targets
    }
    const tlsA = await start(tlsDevice('batch-shared-tls', 'acme-gw-100-a.lab'))
    const tlsB = await start(tlsDevice('batch-shared-tls', 'acme-gw-100-b.lab'))
    const sshOwn = await start(startLabSsh('batch-own-ssh', OPENSSH, HOST, 0))
    const sshShared1 = await start(startLabSsh('batch-shared-ssh', OPENSSH, HOST, 0))
    const sshShared2 = await start(startLabSsh('batch-shared-ssh', OPENSSH, HOST, 0))
    const snmp = await start(openRouter.start({host: HOST, port: 0}))
    specs = [
      {name: 'cam-1', targets: [...tlsA, ...sshOwn], declared: {vendor: 'Acme', model: 'GW-100', firmware: '1.0.4'}},
      {name: 'cam-2', targets: tlsB, declared: {vendor: 'ACME', model: 'gw 100'}},
      {name: 'rtr-1', targets: [...sshShared1, ...snmp], declared: {vendor: 'OpenRouter', model: 'OR-2400', firmware: '3.2.0'}},
      {name: 'rtr-2', targets: sshShared2, declared: {vendor: 'OpenRouter', model: 'OR-2400', firmware: '3.1.7'}},
    ]
    report = await scanDevices(specs, options())
  }, 90_000)

  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()))
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  const identityId = (d: Device) => d.observations.find((o) => o.probe === 'device.identity')!.id

  it('is schema-valid and judges each declared identity', () => {
    expectValidReport(report)
    const outcome = (name: string) => deviceNamed(report, name).findings.find((f) => f.check === 'identity.declared-mismatch')!
    expect(outcome('cam-1')).toMatchObject({outcome: 'pass', service: 'device:cam-1'})
    expect(outcome('cam-2').outcome).toBe('pass')
    const rtr1 = outcome('rtr-1')
    expect(rtr1.outcome).toBe('fail')
    expect(rtr1.message).toMatch(/declared firmware "3\.2\.0" but the device reports firmware "3\.1\.7"/)
    expect(rtr1.evidence).toEqual([identityId(deviceNamed(report, 'rtr-1'))])
    expect(outcome('rtr-2').outcome).toBe('inconclusive')
    // The OpenSSH banner is recognised on the SSH-only device.
    const rtr2 = deviceNamed(report, 'rtr-2').observations.find((o) => o.probe === 'device.identity')!
    expect(rtr2.data.cpe).toEqual(['cpe:2.3:a:openbsd:openssh:9.2p1:*:*:*:*:*:*:*'])
  })

  it('finds the TLS key shared by cam-1/cam-2 and the SSH host key shared by rtr-1/rtr-2, listing the devices', () => {
    const findings = report.batch!.findings
    const tls = findings.filter((f) => f.check === 'tls.cert.shared-device-key')
    expect(tls).toHaveLength(1)
    expect(tls[0]).toMatchObject({outcome: 'fail', severity: 'high', devices: ['cam-1', 'cam-2']})
    expect(tls[0]!.message).toMatch(/^2 devices present the same TLS key \(SPKI SHA-256 [0-9a-f]{64}\): cam-1, cam-2\.$/)
    expect(tls[0]!.evidence).toEqual(['cam-1', 'cam-2'].map((n) => identityId(deviceNamed(report, n))))
    const ssh = findings.filter((f) => f.check === 'ssh.hostkey.shared')
    expect(ssh).toHaveLength(1)
    expect(ssh[0]).toMatchObject({outcome: 'fail', devices: ['rtr-1', 'rtr-2']})
    expect(ssh[0]!.message).toMatch(/SHA256:[A-Za-z0-9+/]{43}\): rtr-1, rtr-2\.$/)
    // cam-1's own SSH key is not reported.
    expect(ssh[0]!.devices).not.toContain('cam-1')
  })

  it('fails the run (exit 1) on the shared keys', () => {
    expect(report.summary.exitCode).toBe(1)
  })

  it('tabulates samples per declared model and which ones differ', () => {
    const models = report.batch!.models
    expect(models.map((m) => [m.vendor, m.model, m.samples, m.devices])).toEqual([
      ['Acme', 'GW-100', 2, ['cam-1', 'cam-2']],
      ['OpenRouter', 'OR-2400', 2, ['rtr-1', 'rtr-2']],
    ])
    const gw = models[0]!
    expect(gw.differences.find((d) => d.attribute === 'services')?.values).toEqual([
      {value: 'ssh, tls', devices: ['cam-1']},
      {value: 'tls', devices: ['cam-2']},
    ])
    const or = models[1]!
    expect(or.differences.find((d) => d.attribute === 'firmware')?.values.map((v) => v.value).sort()).toEqual(['(not observed)', '3.1.7'])
  })

  it('shows the batch in the console summary, Markdown and HTML', () => {
    expect(renderSummary(report)).toMatch(/Batch[\s\S]*FAIL\s+high\s+tls\.cert\.shared-device-key 2 devices present the same TLS key/)
    expect(mdWriter.write(report)).toMatch(/## Batch[\s\S]*\| fail \| high \| ssh\.hostkey\.shared \| 2 \|/)
    const html = htmlWriter.write(report)
    expect(html).toContain('<section id="batch">')
    expect(html).toContain('cam-1, cam-2.')
  })

  it('puts the batch findings in the CSV, JUnit and SARIF outputs too', () => {
    const csv = parseCsv(csvWriter.write(report))
    expect(csv.find((r) => r[3] === 'tls.cert.shared-device-key')?.slice(0, 7)).toEqual([
      'cam-1 cam-2', '', 'batch', 'tls.cert.shared-device-key', 'TLS key unique per device', 'fail', 'high',
    ])
    expect(junitWriter.write(report)).toMatch(/<testsuite name="batch"[^>]*failures="2"[\s\S]*<testcase classname="batch\.cam-1\+cam-2" name="tls\.cert\.shared-device-key">\s*<failure/)
    const sarif = JSON.parse(sarifWriter.write(report)) as {runs: Array<{results: Array<{ruleId: string; level: string; locations: Array<{physicalLocation: {artifactLocation: {uri: string}}}>}>}>}
    const shared = sarif.runs[0]!.results.find((r) => r.ruleId === 'ssh.hostkey.shared')!
    expect(shared.level).toBe('error')
    expect(shared.locations.map((l) => l.physicalLocation.artifactLocation.uri)).toEqual(['devices/rtr-1', 'devices/rtr-2'])
  })

  it('report merge of two single-device reports sharing a key yields the batch finding', async () => {
    const one = await scanDevices([specs[0]!], options())
    const two = await scanDevices([specs[1]!], options())
    expect(one.batch).toBeUndefined()
    const {report: merged} = mergeReports([{name: 'one', report: one}, {name: 'two', report: two}])
    expectValidReport(merged)
    const tls = merged!.batch!.findings.filter((f) => f.check === 'tls.cert.shared-device-key')
    expect(tls).toMatchObject([{outcome: 'fail', devices: ['cam-1', 'cam-2']}])
    // A key shared across the batch fails the run (exit 1) whatever the single devices' verdicts.
    expect(merged!.summary.exitCode).toBe(1)
    expect(merged!.summary.verdicts).toEqual(summarize(merged!.devices, merged!.summary.failOn).verdicts)
    // The same through the CLI (built dist/).
    writeFileSync(join(dir, 'one.json'), JSON.stringify(one))
    writeFileSync(join(dir, 'two.json'), JSON.stringify(two))
    const cli = await runCli(['report', 'merge', join(dir, 'one.json'), join(dir, 'two.json'), '-o', join(dir, 'merged.json')])
    expect(cli.stderr).toBe('')
    expect(cli.code).toBe(0)
    const fromCli = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as Report
    expect(fromCli.batch).toEqual(merged!.batch)
  }, 60_000)

  it('checks list/show describe the device and batch scopes', async () => {
    const show = await runCli(['checks', 'show', 'identity.declared-mismatch'])
    expect(show.code).toBe(0)
    expect(show.stdout).toMatch(/evaluated once per device/)
    expect(show.stdout).toMatch(/derived from: tls\.certificates, ssh\.kexinit/)
    const batch = await runCli(['checks', 'show', 'ssh.hostkey.shared'])
    expect(batch.stdout).toMatch(/evaluated once per batch of devices/)
    expect(batch.stdout).toMatch(/ETSI EN 303 645\s+5\.4-4/)
    const list = await runCli(['checks', 'list', '--family', 'identity', '--json'])
    expect((JSON.parse(list.stdout) as Array<{id: string; scope: string}>).map((c) => [c.id, c.scope])).toEqual([
      ['identity.declared-mismatch', 'device'],
      ['ssh.hostkey.shared', 'batch'],
      ['tls.cert.shared-device-key', 'batch'],
    ])
  }, 30_000)
})
