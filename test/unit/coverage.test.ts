/**
 * The per-device coverage statement (issue 11, "Make it visible"): derived from findings and observations, and
 * present in every output format, so a "pass" always comes with what it covers.
 */
import {describe, expect, it} from 'vitest'

import {deviceCoverage} from '../../src/engine/coverage.js'
import {deviceVerdict} from '../../src/engine/verdict.js'
import type {Device, Finding, Report} from '../../src/evidence/types.js'
import {renderSummary} from '../../src/writers/console.js'
import {WRITERS} from '../../src/writers/loaded.js'
import {expectValidReport} from '../helpers/report.js'
import {trickyReport} from '../helpers/writer-reports.js'

const TLS = 'tls://192.0.2.10:443'
const SNMP = 'snmp://192.0.2.10:161'
const f = (check: string, outcome: Finding['outcome'], service = TLS, evidence: string[] = [], message = `${check} ${outcome}`): Finding => ({
  check, title: check, outcome, severity: 'medium', service, message, evidence, references: [],
})

function device(findings: Finding[], partialObservation = false): Device {
  return {
    id: 'd1',
    services: [
      {id: TLS, protocol: 'tls', host: '192.0.2.10', port: 443, transport: 'tcp'},
      {id: SNMP, protocol: 'snmp', host: '192.0.2.10', port: 161, transport: 'udp'},
    ],
    observations: [
      {id: 'o-suites', service: TLS, probe: 'tls.cipher-suites', collectedAt: '2026-06-01T12:00:00Z', data: {}, artifacts: [], ...(partialObservation ? {partial: {code: 'reset', message: 'TLSv1.0 enumeration reset twice'}} : {})},
    ],
    findings,
    verdict: deviceVerdict(findings, 'medium'),
  }
}

describe('deviceCoverage', () => {
  it('says which checks ran to completion, which were partial and which were not tested, with reasons', () => {
    const c = deviceCoverage(
      device([
        f('tls.cipher.rc4', 'pass', TLS, ['o-suites']),
        f('tls.cert.expired', 'fail'),
        f('tls.ems.missing', 'not_applicable'),
        f('tls.cert.lifetime-excessive', 'inconclusive', TLS, [], 'validity dates unreadable'),
        f('snmp.v1v2c.enabled', 'error', SNMP, [], 'no-response: nothing answered'),
        f('snmp.community.write', 'not_tested', SNMP, [], 'intrusive'),
      ]),
    )
    expect(c.status).toBe('partial')
    expect(c.checks).toEqual({complete: 3, partial: 1, notTested: 2, skippedByPolicy: 1})
    expect(c.partial).toEqual([{check: 'tls.cert.lifetime-excessive', service: TLS, reason: 'validity dates unreadable'}])
    expect(c.notTested).toEqual([
      {check: 'snmp.v1v2c.enabled', service: SNMP, reason: 'no-response: nothing answered'},
      {check: 'snmp.community.write', service: SNMP, reason: 'intrusive check, not enabled (policy)'},
    ])
    expect(c.services).toEqual([
      {service: TLS, status: 'partial', complete: 3, partial: 1, notTested: 0},
      {service: SNMP, status: 'not-tested', complete: 0, partial: 0, notTested: 2},
    ])
    expect(c.statement).toBe('Partial coverage of 2 services: 3 checks ran to completion; 1 partial (tls.cert.lifetime-excessive); 1 not tested (snmp.v1v2c.enabled); 1 intrusive not enabled.')
  })

  it('a pass read from a partial observation is partial coverage, with the observation\'s reason', () => {
    const c = deviceCoverage(device([f('tls.cipher.rc4', 'pass', TLS, ['o-suites'])], true))
    expect(c.partial).toEqual([{check: 'tls.cipher.rc4', service: TLS, reason: 'tls.cipher-suites is partial (reset: TLSv1.0 enumeration reset twice)'}])
  })

  it('is complete when every selected check ran to completion (intrusive checks left out by policy are listed, not gaps)', () => {
    const c = deviceCoverage(device([f('tls.cipher.rc4', 'pass'), f('snmp.v1v2c.enabled', 'pass', SNMP), f('snmp.community.write', 'not_tested', SNMP)]))
    expect(c.status).toBe('complete')
    expect(c.statement).toBe('Complete coverage of 2 services: 2 checks ran to completion; 1 intrusive not enabled.')
    expect(deviceCoverage(device([])).status).toBe('not-tested')
  })
})

describe('the coverage statement is in every output format', () => {
  const report: Report = trickyReport()
  for (const d of report.devices) d.coverage = deviceCoverage(d)
  expectValidReport(report)
  const cam = report.devices[0]!.coverage!

  it('the report model carries it (json, jsonl) and the schema accepts it', () => {
    expect(cam.partial.map((g) => g.check)).toContain('tls.cert.lifetime-excessive')
    expect(cam.notTested.map((g) => g.check)).toEqual(expect.arrayContaining(['tls.cipher.rc4', 'tls.cert.weak-signature']))
  })

  it.each(WRITERS.map((w) => [w.format, w] as const))('%s', (format, writer) => {
    const out = writer.write(report)
    if (format === 'requirements-csv') {
      // One row per device × requirement: give the camera one requirement so it has a row to carry the statement.
      const withRequirement: Report = {...report, devices: [{...report.devices[0]!, requirements: [{standard: 'ETSI EN 303 645', id: '5.5-1', title: 't', verdict: 'inconclusive', rule: 'checks', reason: 'r', decidedBy: {findings: [], checks: [], declaration: []}}]}]}
      const rows = writer.write(withRequirement).split('\r\n')
      expect(rows[0]).toContain('device_coverage')
      expect(rows[1]).toContain('ran to completion')
      return
    }
    if (format === 'csv') {
      const rows = out.split('\r\n')
      expect(rows[0]).toContain('coverage,coverage_reason')
      expect(rows.find((r) => r.includes('tls.cert.lifetime-excessive'))).toMatch(/,partial,/)
      expect(rows.find((r) => r.includes('tls.cipher.rc4'))).toMatch(/,not-tested,timeout/)
      expect(rows.find((r) => r.includes('tls.protocol.legacy-enabled'))).toMatch(/,complete,$/)
      return
    }
    // Each device's statement and the reason of one of its gaps (escaping differs per format: look for plain words).
    expect(out).toContain('ran to completion')
    expect(out).toContain('tls.cert.lifetime-excessive')
    expect(out).toMatch(/dates unreadable/)
    expect(out.match(/ran to completion/g)!.length).toBeGreaterThanOrEqual(report.devices.length)
  })

  it('console', () => {
    const out = renderSummary(report)
    for (const d of report.devices) expect(out).toContain(`coverage: ${d.coverage!.statement}`)
  })
})
