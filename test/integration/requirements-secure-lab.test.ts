/**
 * The secure lab device under every whole-standard profile, assessed the way a lab assesses it: two samples of the
 * good-gateway model (each with its own keys, each on a loopback address of its own), each scanned as a bare host
 * (a discovery of every TCP port) with its manufacturer's declaration. Every network-testable requirement passes
 * (or is observed not to apply) and every other one is listed as not assessed remotely. Before, services-vs-declared
 * (5.6-1, GEC-2, X.1352 8.4) and the shared-key requirements (5.4-4, CCK-3) stayed inconclusive on the secure
 * device. Two samples with one key (a third gateway started with the first one's keys) fail 5.4-4 and CCK-3; an
 * undeclared listener on the device's address fails 5.6-1 naming its port.
 */
import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DeclaredService, RecordedDeclaration} from '../../src/declaration/types.js'
import {scanDevices} from '../../src/engine/scan.js'
import {reportContradictions} from '../../src/evidence/consistency.js'
import type {Device, Report, RequirementResult} from '../../src/evidence/types.js'
import {assertValidReport} from '../../src/evidence/validate.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import {withRequirements} from '../../src/requirements/assess.js'
import {freshLoopback, notWildcard} from '../helpers/loopback.js'
import {untraceableRequirements} from '../helpers/requirement-trace.js'

const PROFILES = ['etsi-en-303-645', 'en-18031-1', 'uk-psti', 'itu-t-x1352'] as const
const SERVICES_VS_DECLARED = {'etsi-en-303-645': ['5.6-1', '5.6-5'], 'en-18031-1': ['GEC-2'], 'uk-psti': [], 'itu-t-x1352': ['8.4 security management']} as const
const SHARED_KEYS = {'etsi-en-303-645': ['5.4-4'], 'en-18031-1': ['CCK-3'], 'uk-psti': [], 'itu-t-x1352': []} as const

/** TCP listeners of this machine bound to every address (0.0.0.0 / ::): a scan of any loopback address sees them. */
function wildcardListeners(): number[] {
  const ports = new Set<number>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (state !== '0A' || !local) continue // 0A = LISTEN
      const [address, port] = local.split(':')
      if (/^0+$/.test(address ?? '')) ports.add(parseInt(port!, 16))
    }
  }
  return [...ports].sort((a, b) => a - b)
}

/** The lab's declaration plus the machine's wildcard listeners (declared as what they are, so the comparison is
 *  about the device): on a machine without any, this is the lab declaration unchanged. */
function withMachineListeners(declaration: RecordedDeclaration, ports: readonly number[]): RecordedDeclaration {
  const extra: DeclaredService[] = ports
    .filter((port) => !declaration.services?.some((s) => s.port === port && s.transport === 'tcp'))
    .map((port) => ({port, transport: 'tcp', protocol: 'unknown', purpose: 'listener of the test machine bound to every address (not the device)', enabledByDefault: true}))
  return {...declaration, services: [...(declaration.services ?? []), ...extra]}
}

const hostOf = (lab: RunningLab) => /^[a-z]+:\/\/([^:/]+):/.exec(lab.devices[0]!.targets[0]!)![1]!
/** The report with the requirement tables of `profile`, derived from its findings and declarations. */
const under = (profile: string, report: Report): Report => ({...report, devices: report.devices.map((d) => ({...d, requirements: requirementsOf(profile, d, report)}))})
const requirementsOf = (profile: string, d: Device, report: Report): RequirementResult[] =>
  withRequirements({...d, requirements: undefined}, resolveProfile(profile).requirements, report.batch ? {summary: report.batch, devices: report.devices.length} : undefined).requirements!

let first: RunningLab
let second: RunningLab
let report: Report

beforeAll(async () => {
  first = await startLab({host: freshLoopback(), devices: ['good-gateway']})
  second = await startLab({host: freshLoopback(), devices: ['good-gateway-2']})
  const machine = wildcardListeners()
  report = await scanDevices(
    [first, second].map((lab) => ({name: lab.devices[0]!.name, targets: [hostOf(lab)], declaration: withMachineListeners(lab.devices[0]!.declaration!, machine)})),
    {profile: 'etsi-en-303-645', intrusive: true, timeoutMs: 1000, loginDelayMs: 0, caCertificates: [first.caPem], concurrency: 2},
  )
  // A wildcard listener that appeared during the scan (another test) is the machine's too: declare it and derive again.
  const late = report.devices.flatMap((d) => d.requirements!.filter((r) => r.id === '5.6-1' && r.verdict === 'fail').map(() => d))
  if (late.length > 0) {
    const open = late.flatMap((d) => observedOpen(d)).filter((p) => !d0Declared(late[0]!).includes(p))
    const labOf = (d: Device): RunningLab => [first, second].find((lab) => lab.devices[0]!.name === d.name)!
    const stray = await Promise.all(late.map((d) => notWildcard(observedOpen(d).filter((p) => !d0Declared(late[0]!).includes(p)), hostOf(labOf(d)))))
    expect(stray.flat(), 'open ports on the device address that are not machine-wide listeners').toEqual([])
    const batch = report.batch ? {summary: report.batch, devices: report.devices.length} : undefined
    const defs = resolveProfile('etsi-en-303-645').requirements
    report = {...report, devices: report.devices.map((d) => withRequirements({...d, declaration: withMachineListeners(d.declaration!, open), requirements: undefined}, defs, batch))}
  }
}, 180_000)

afterAll(async () => {
  await first?.stop()
  await second?.stop()
})

function observedOpen(d: Device): number[] {
  return d.observations.filter((o) => o.probe === 'net.ports').flatMap((o) => (o.data.open as Array<{port: number}>).map((p) => p.port))
}
function d0Declared(d: Device): number[] {
  return (d.declaration?.services ?? []).map((s) => s.port)
}

describe('the secure device (good-gateway, two samples, bare-host scans with declarations)', () => {
  it('each sample was discovered over every TCP port, its services joined by protocol, and the report is valid and consistent', () => {
    assertValidReport(report)
    expect(reportContradictions(report).problems).toEqual([])
    for (const d of report.devices) {
      const ports = d.observations.find((o) => o.probe === 'net.ports')!
      expect([d.name, ports.data.scanned, ports.partial]).toEqual([d.name, 65535, undefined])
      expect(d.services.map((s) => s.protocol).sort()).toEqual(['ssh', 'tls'])
      expect(d.declaration?.identity.model).toBe('good-gateway')
    }
    expect(report.batch?.models.find((m) => m.model === 'good-gateway')?.samples).toBe(2)
  })

  it.each(PROFILES)('%s: every network-testable requirement passes or is observed not to apply; every other one is not assessed remotely', (profile) => {
    const defs = resolveProfile(profile).requirements
    for (const d of report.devices) {
      const rs = requirementsOf(profile, d, report)
      expect(rs).toHaveLength(defs.length)
      for (const r of rs) {
        const rule = defs.find((x) => x.id === r.id)!.rule
        // checks-fail-only (input validation): its test can show a failure, never fulfilment.
        if (rule === 'documentation' || rule === 'checks-fail-only') expect([d.name, r.id, r.verdict]).toEqual([d.name, r.id, 'not_assessed_remotely'])
        else expect([d.name, r.id, r.verdict, r.reason]).toEqual([d.name, r.id, expect.stringMatching(/^(pass|not_applicable)$/), r.reason])
      }
      // The two requirements a one-device scan of given URIs cannot decide now pass on positive evidence.
      for (const id of SERVICES_VS_DECLARED[profile]) {
        const r = rs.find((x) => x.id === id)!
        expect([id, r.verdict]).toEqual([id, 'pass'])
        expect(r.reason).toContain('scan of 1-65535 (65535 ports')
        expect(r.decidedBy.declaration).toContain('services')
        expect(r.decidedBy.findings).toEqual([`svc.exposed.undeclared@device:${d.id}`])
        expect(d.findings.find((f) => f.check === 'svc.exposed.undeclared')!.outcome).toBe('pass')
      }
      for (const id of SHARED_KEYS[profile]) {
        const r = rs.find((x) => x.id === id)!
        expect([id, r.verdict]).toEqual([id, 'pass'])
        expect(r.reason).toContain('1 other sample(s) of the same model')
      }
      if (profile !== 'uk-psti') expect(rs.some((r) => r.verdict === 'pass')).toBe(true)
    }
  })

  it('a publickey-only SSH server is not password-tested: the login checks are not applicable there, not passed or failed', () => {
    for (const d of report.devices) {
      for (const check of ['cred.default.ssh', 'cred.bruteforce.unthrottled']) expect([d.name, check, d.findings.find((f) => f.check === check)?.outcome]).toEqual([d.name, check, 'not_applicable'])
    }
  })

  it.each(PROFILES)('%s: every requirement verdict is traceable to findings or declaration items in JSON, CSV, Markdown, HTML, SARIF and OSCAL', (profile) => {
    expect(untraceableRequirements(under(profile, report))).toEqual([])
  })

  it('one sample alone: shared keys stay inconclusive and the reason says what to add', async () => {
    const alone = await scanDevices([{name: 'good-gateway', targets: first.devices[0]!.targets, declaration: first.devices[0]!.declaration}], {profile: 'en-18031-1', timeoutMs: 1000, caCertificates: [first.caPem]})
    const r = alone.devices[0]!.requirements!.find((x) => x.id === 'CCK-3')!
    expect(r.verdict).toBe('inconclusive')
    expect(r.reason).toContain('scan a second sample of the same model')
    // Given URIs, no discovery: GEC-2 cannot pass and says why.
    const gec2 = alone.devices[0]!.requirements!.find((x) => x.id === 'GEC-2')!
    expect(gec2.verdict).toBe('inconclusive')
    expect(gec2.reason).toContain('no port discovery ran')
  }, 60_000)
})

describe('two samples with one key, an undeclared listener', () => {
  let clone: RunningLab
  let extra: Server
  beforeAll(async () => {
    // A third gateway started in this process with the first one's keys (the lab keys are per sample name): a clone.
    clone = await startLab({host: freshLoopback(), devices: ['good-gateway']})
    // Speaks first, so the discovery identifies it at once (a banner) instead of trying every handshake on it.
    extra = createServer((s) => {
      s.on('error', () => {})
      s.end('HELLO lab\r\n')
    })
    await new Promise<void>((resolve) => extra.listen(0, hostOf(first), resolve))
  })
  afterAll(async () => {
    await clone?.stop()
    await new Promise((resolve) => extra?.close(resolve))
  })

  it('two samples presenting one TLS key and one SSH host key fail 5.4-4 and CCK-3, traced to the batch findings', async () => {
    const pair = await scanDevices(
      [first, clone].map((lab, i) => ({name: `gateway-${i + 1}`, targets: lab.devices[0]!.targets, declaration: lab.devices[0]!.declaration})),
      {profile: 'en-18031-1', timeoutMs: 1000, caCertificates: [first.caPem]},
    )
    for (const d of pair.devices) {
      const cck3 = d.requirements!.find((r) => r.id === 'CCK-3')!
      expect([d.name, cck3.verdict]).toEqual([d.name, 'fail'])
      expect(cck3.decidedBy.findings.sort()).toEqual(['batch:ssh.hostkey.shared', 'batch:tls.cert.shared-device-key'])
      expect(requirementsOf('etsi-en-303-645', d, pair).find((r) => r.id === '5.4-4')!.verdict).toBe('fail')
    }
    for (const profile of PROFILES) expect([profile, untraceableRequirements(under(profile, pair))]).toEqual([profile, []])
  }, 60_000)

  it('a service listening on the device address but not declared fails 5.6-1 and GEC-2, naming its port', async () => {
    const port = (extra.address() as {port: number}).port
    const declared = first.devices[0]!.targets.map((t) => Number(t.slice(t.lastIndexOf(':') + 1)))
    const r = await scanDevices([{name: 'good-gateway', targets: [hostOf(first)], declaration: first.devices[0]!.declaration}], {
      profile: 'en-18031-1', timeoutMs: 1000, caCertificates: [first.caPem], tcpPorts: [...declared, port].join(','),
    })
    const gec2 = r.devices[0]!.requirements!.find((x) => x.id === 'GEC-2')!
    expect(gec2.verdict).toBe('fail')
    expect(gec2.reason).toContain(`on ${port}/tcp is not declared`)
    expect(requirementsOf('etsi-en-303-645', r.devices[0]!, r).find((x) => x.id === '5.6-1')!.verdict).toBe('fail')
    // The same narrow discovery of a device whose services are all declared is inconclusive, naming the range.
    const narrow = await scanDevices([{name: 'good-gateway-2', targets: [hostOf(second)], declaration: second.devices[0]!.declaration}], {
      profile: 'en-18031-1', timeoutMs: 1000, caCertificates: [first.caPem], tcpPorts: second.devices[0]!.targets.map((t) => t.slice(t.lastIndexOf(':') + 1)).join(','),
    })
    const open = narrow.devices[0]!.requirements!.find((x) => x.id === 'GEC-2')!
    expect(open.verdict).toBe('inconclusive')
    expect(open.reason).toContain('covered 2 of 65535 ports')
  }, 60_000)
})
