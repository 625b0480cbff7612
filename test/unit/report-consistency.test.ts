import {createHash} from 'node:crypto'

import {beforeAll, describe, expect, it} from 'vitest'

import {reportContradictions} from '../../src/evidence/consistency.js'
import type {Report} from '../../src/evidence/types.js'
import {labReport} from '../helpers/writer-reports.js'

describe('report consistency (report verify)', () => {
  let report: Report
  beforeAll(async () => {
    report = await labReport()
  })
  const copy = () => structuredClone(report)

  it('a report as written by scan has no contradiction', () => {
    expect(reportContradictions(report).problems).toEqual([])
  })

  it('rejects the self-contradictory report of the issue: a critical fail citing a missing observation on a foreign service, verdict pass, exit 0', () => {
    const r = copy()
    const device = r.devices.find((d) => d.verdict === 'pass') ?? r.devices[0]!
    device.findings.push({
      check: 'tls.cipher.weak', title: 'Weak cipher suites', outcome: 'fail', severity: 'critical', service: 'tls://203.0.113.9:443',
      message: 'RC4 accepted', evidence: ['obs-00000000deadbeef'], references: [],
    })
    device.verdict = 'pass'
    r.summary.exitCode = 0
    const {problems} = reportContradictions(r)
    expect(problems[0]).toMatch(/^devices\[\d+\] \(.*\)\.findings\[\d+\] \(tls\.cipher\.weak\): service tls:\/\/203\.0\.113\.9:443 is not a service of the device/)
    expect(problems).toContainEqual(expect.stringMatching(/evidence obs-00000000deadbeef is not an observation of the device/))
    expect(problems).toContainEqual(expect.stringMatching(/\.verdict: says pass, its findings give fail/))
    expect(problems).toContainEqual(expect.stringMatching(/^summary\.exitCode: says 0, the findings give 1/))
  })

  it('recomputes each observation id from its content, artifacts included', () => {
    const r = copy()
    const o = r.devices.flatMap((d) => d.observations).find((x) => x.artifacts.some((a) => a.kind === 'certificate'))!
    // Swap the certificate and fix its recorded hash: the id no longer matches.
    const a = o.artifacts.find((x) => x.kind === 'certificate')!
    a.content = a.content.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'))
    a.sha256 = createHash('sha256').update(a.content).digest('hex')
    expect(reportContradictions(r).problems).toEqual([expect.stringMatching(new RegExp(`observations\\[\\d+\\]: id ${o.id} does not match its content`))])
    const r2 = copy()
    r2.devices[0]!.observations[0]!.data = {...r2.devices[0]!.observations[0]!.data, edited: true}
    expect(reportContradictions(r2).problems[0]).toMatch(/does not match its content/)
  })

  it('names an artifact whose recorded sha256 is not that of its content', () => {
    const r = copy()
    const a = r.devices.flatMap((d) => d.observations).flatMap((o) => o.artifacts)[0]!
    a.content += ' '
    expect(reportContradictions(r).problems[0]).toMatch(/\.artifacts\[0\]: records sha256 .* its content hashes to/)
  })

  it('recomputes the summary counts from the findings', () => {
    const r = copy()
    r.summary.outcomes.fail -= 1
    expect(reportContradictions(r).problems).toEqual([expect.stringMatching(/^summary\.outcomes: says/)])
    const r2 = copy()
    r2.summary.verdicts = {pass: r2.devices.length, fail: 0, incomplete: 0}
    expect(reportContradictions(r2).problems[0]).toMatch(/^summary\.verdicts/)
  })

  it('a failing device turned into a pass by changing its finding outcome is caught by the recomputed counts', () => {
    const r = copy()
    const device = r.devices.find((d) => d.verdict === 'fail')!
    for (const f of device.findings) if (f.outcome === 'fail') f.outcome = 'pass'
    expect(reportContradictions(r).problems.length).toBeGreaterThan(0)
  })

  it('checks batch findings: named devices exist and evidence is their identity observation', () => {
    const r = copy()
    r.batch = {findings: [{check: 'tls.cert.shared-device-key', title: 't', outcome: 'fail', severity: 'low', message: 'm', devices: ['ghost'], evidence: ['obs-1'], references: []}], models: []}
    const {problems} = reportContradictions(r)
    expect(problems).toContainEqual('batch.findings[0] (tls.cert.shared-device-key): device ghost is not in the report')
    expect(problems).toContainEqual('batch.findings[0] (tls.cert.shared-device-key): evidence obs-1 is not a device.identity observation of the report')
  })
})
