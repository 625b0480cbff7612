/**
 * Requirement verdicts of the whole-standard profiles on the virtual lab: the default-credential device fails 5.1-1,
 * AUM-5-1 and the PSTI password requirement against its declared password scheme; the strong-credential device
 * passes them on its declared scheme; the fleet's planted clones (one TLS key on several samples) fail 5.4-4 and
 * CCK-3. One intrusive scan under etsi-en-303-645 (whose checks include those of the other profiles), then each
 * profile's requirements are derived from the same findings. The secure device (two good-gateway samples scanned
 * as bare hosts) is in requirements-secure-lab.test.ts.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runBatch} from '../../src/batch/run-batch.js'
import {mergeReports} from '../../src/evidence/merge.js'
import {reportContradictions} from '../../src/evidence/consistency.js'

import {scanDevices} from '../../src/engine/scan.js'
import {assertValidReport} from '../../src/evidence/validate.js'
import type {Device, Report, RequirementResult} from '../../src/evidence/types.js'
import {type RunningFleet, startFleet} from '../../src/lab/fleet/index.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import {withRequirements} from '../../src/requirements/assess.js'
import {untraceableRequirements} from '../helpers/requirement-trace.js'


let lab: RunningLab
let report: Report

beforeAll(async () => {
  lab = await startLab({devices: ['default-router', 'strong-hub']})
  report = await scanDevices(
    lab.devices.map((d) => ({name: d.name, targets: d.targets, declared: d.declared, ...(d.declaration ? {declaration: d.declaration} : {})})),
    {profile: 'etsi-en-303-645', intrusive: true, timeoutMs: 2000, loginDelayMs: 0, caCertificates: [lab.caPem]},
  )
}, 120_000)

afterAll(async () => {
  await lab?.stop()
})

const device = (name: string): Device => report.devices.find((d) => d.name === name)!
const under = (profile: string, d: Device, of: Report = report): RequirementResult[] =>
  withRequirements({...d, requirements: undefined}, resolveProfile(profile).requirements, of.batch ? {summary: of.batch, devices: of.devices.length} : undefined).requirements!
const verdictOf = (rs: RequirementResult[], id: string) => rs.find((r) => r.id === id)?.verdict

describe('whole-standard profiles on the lab', () => {
  it('the report carries the declaration and a requirement table per device, valid against the report schema', () => {
    assertValidReport(report)
    const hub = device('strong-hub')
    expect(hub.declaration?.source).toBe('lab:strong-hub')
    expect(hub.requirements).toHaveLength(68)
    expect(hub.requirements!.map((r) => r.id)).toEqual(resolveProfile('etsi-en-303-645').requirements.map((r) => r.id))
  })

  it('report verify derives every requirement verdict again: none contradicts; a verdict edited by hand is named', () => {
    expect(reportContradictions(report).problems).toEqual([])
    const edited = JSON.parse(JSON.stringify(report)) as Report
    const d = edited.devices.findIndex((x) => x.name === 'default-router')
    const i = edited.devices[d]!.requirements!.findIndex((r) => r.id === '5.1-1')
    edited.devices[d]!.requirements![i]!.verdict = 'pass'
    expect(reportContradictions(edited).problems).toEqual([`devices[${d}] (default-router).requirements[${i}] (ETSI EN 303 645 5.1-1): says pass, its findings and declaration give fail (rule password-scheme)`])
  })

  it('the strong-credential device passes the password requirements on its declared user-set scheme', () => {
    const hub = device('strong-hub')
    expect(verdictOf(under('etsi-en-303-645', hub), '5.1-1')).toBe('pass')
    expect(verdictOf(under('en-18031-1', hub), 'AUM-5-1')).toBe('pass')
    expect(verdictOf(under('uk-psti', hub), 'Schedule 1 (1)')).toBe('pass')
  })

  it('the default-credential device fails 5.1-1, AUM-5-1 and the PSTI password requirement, traced to findings and the declared scheme', () => {
    const router = device('default-router')
    for (const [profile, id] of [['etsi-en-303-645', '5.1-1'], ['en-18031-1', 'AUM-5-1'], ['uk-psti', 'Schedule 1 (1)']] as const) {
      const r = under(profile, router).find((x) => x.id === id)!
      expect(r.verdict).toBe('fail')
      expect(r.reason).toContain("contradicts the declared password scheme 'unique-per-device'")
      expect(r.decidedBy.declaration).toContain('accounts.passwordScheme')
      expect(r.decidedBy.findings.some((f) => f.startsWith('cred.default.'))).toBe(true)
      for (const ref of r.decidedBy.findings) {
        const [check, service] = ref.split('@')
        expect(router.findings.some((f) => f.check === check && f.service === service && f.outcome === 'fail')).toBe(true)
      }
    }
  })

  it.each(['etsi-en-303-645', 'en-18031-1', 'uk-psti', 'itu-t-x1352'])('%s: every requirement verdict of the default-credential and strong-credential devices is traceable in every format', (profile) => {
    const derived = {...report, devices: report.devices.map((d) => ({...d, requirements: under(profile, d)}))}
    expect(untraceableRequirements(derived)).toEqual([])
  })

  it('without --intrusive the password requirement is inconclusive and says why', async () => {
    const quick = await scanDevices([{name: 'default-router', targets: lab.devices.find((d) => d.name === 'default-router')!.targets}], {profile: 'uk-psti', timeoutMs: 2000})
    const r = quick.devices[0]!.requirements!.find((x) => x.id === 'Schedule 1 (1)')!
    expect(r.verdict).toBe('inconclusive')
    expect(r.reason).toContain('--intrusive')
  }, 60_000)
})

describe('two samples with one key', () => {
  let fleet: RunningFleet
  let batch: Report
  beforeAll(async () => {
    fleet = await startFleet({count: 12, seed: 7})
    batch = await scanDevices(
      fleet.devices.map((d) => ({id: d.id, targets: d.targets, declared: d.declared, tags: d.tags})),
      {profile: 'en-18031-1', timeoutMs: 3000, concurrency: 4, caCertificates: [fleet.caPem]},
    )
  }, 120_000)
  afterAll(async () => {
    await fleet?.stop()
  })

  it('the planted clones fail CCK-3 (and 5.4-4), naming the batch finding; the other samples do not fail it', () => {
    const clones = batch.devices.filter((d) => d.tags?.includes('clone-tls') || d.tags?.includes('clone-ssh'))
    expect(clones.length).toBeGreaterThan(1)
    for (const d of batch.devices) {
      const cck3 = d.requirements!.find((r) => r.id === 'CCK-3')!
      const en = under('etsi-en-303-645', d, batch).find((r) => r.id === '5.4-4')!
      if (clones.includes(d)) {
        expect([d.id, cck3.verdict, en.verdict]).toEqual([d.id, 'fail', 'fail'])
        expect(cck3.decidedBy.findings.some((f) => f === 'batch:tls.cert.shared-device-key' || f === 'batch:ssh.hostkey.shared')).toBe(true)
      } else {
        expect([d.id, cck3.verdict]).toEqual([d.id, expect.stringMatching(/^(pass|inconclusive)$/)])
      }
    }
    // A sample whose model has another sample in the run, sharing no key with anything, passes.
    expect(batch.devices.some((d) => !clones.includes(d) && d.requirements!.find((r) => r.id === 'CCK-3')!.verdict === 'pass')).toBe(true)
  })

  it('a journaled batch (--inventory --out-dir) with per-device declarations: the clones fail CCK-3 in report.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17-req-batch-'))
    const declaration = join(dir, 'decl.yaml')
    writeFileSync(declaration, 'identity: {vendor: Acme}\naccounts: {passwordScheme: user-set-at-first-use}\nclaims:\n  - {standard: EN 18031-1, requirement: GEC-6, support: not_applicable, justification: no input interface}\n')
    const inventory = join(dir, 'inv.yaml')
    const lines = fleet.devices.map((d) => `  - {id: ${d.id}, host: 127.0.0.1, services: [${d.targets.map((t) => `"${t}"`).join(', ')}], vendor: ${d.declared.vendor}, model: ${d.declared.model}, tags: [${d.tags.join(', ')}], declaration: "${declaration}"}`)
    writeFileSync(inventory, `devices:\n${lines.join('\n')}\n`)
    const ca = join(dir, 'ca.pem')
    writeFileSync(ca, fleet.caPem)
    const result = await runBatch({inventoryPath: inventory, outDir: join(dir, 'out'), profile: 'en-18031-1', caFiles: [ca], timeoutMs: 3000, concurrency: 4})
    const written = JSON.parse(readFileSync(result.reportPath, 'utf8')) as Report
    assertValidReport(written)
    expect(reportContradictions(written).problems).toEqual([])
    // DIR/requirements.csv: one row per device × requirement, with the refreshed batch verdicts.
    const csvRows = readFileSync(result.requirementsCsvPath!, 'utf8').split('\r\n').filter(Boolean)
    expect(csvRows).toHaveLength(1 + written.devices.length * 34)
    const cloneId = written.devices.find((d) => d.tags?.includes('clone-tls'))!.id
    expect(csvRows.find((r) => r.startsWith(`${cloneId},`) && r.includes(',CCK-3,'))).toContain(',fail,shared-keys,')
    for (const d of written.devices) {
      expect(d.declaration?.source).toBe(declaration)
      expect(d.requirements!.find((r) => r.id === 'GEC-6')).toMatchObject({verdict: 'not_applicable', decidedBy: {declaration: ['claims[0]']}})
      const clone = d.tags?.includes('clone-tls') || d.tags?.includes('clone-ssh')
      expect([d.id, d.requirements!.find((r) => r.id === 'CCK-3')!.verdict]).toEqual([d.id, clone ? 'fail' : expect.stringMatching(/^(pass|inconclusive)$/)])
    }
  }, 120_000)

  it('report merge of two single-device scans of clones re-derives CCK-3: inconclusive alone, fail once merged', async () => {
    const clones = fleet.devices.filter((d) => d.tags.includes('clone-tls')).slice(0, 2)
    const single = await Promise.all(
      clones.map((d) => scanDevices([{id: d.id, targets: d.targets, declared: d.declared}], {profile: 'en-18031-1', timeoutMs: 3000, caCertificates: [fleet.caPem]})),
    )
    for (const r of single) expect(r.devices[0]!.requirements!.find((x) => x.id === 'CCK-3')!.verdict).toBe('inconclusive')
    const {report: merged} = mergeReports(single.map((report, i) => ({name: `r${i}.json`, report})))
    assertValidReport(merged)
    for (const d of merged.devices) expect([d.id, d.requirements!.find((x) => x.id === 'CCK-3')!.verdict]).toEqual([d.id, 'fail'])
    expect(reportContradictions(merged).problems).toEqual([])
    expect(untraceableRequirements(merged)).toEqual([])
  }, 60_000)
})
