import {describe, expect, it} from 'vitest'

import {deviceVerdict, summarize, withBatch} from '../../src/engine/verdict.js'
import type {BatchSummary, Device, Finding} from '../../src/evidence/types.js'

const f = (outcome: Finding['outcome'], severity: Finding['severity'] = 'medium'): Finding => ({
  check: 'tls.x.y', title: 't', outcome, severity, service: 's', message: 'm', evidence: [], references: [],
})

describe('verdicts and exit codes', () => {
  it('fails only at or above fail-on', () => {
    expect(deviceVerdict([f('fail', 'low'), f('pass')], 'medium')).toBe('pass')
    expect(deviceVerdict([f('fail', 'low'), f('pass')], 'low')).toBe('fail')
    expect(deviceVerdict([f('fail', 'critical'), f('error')], 'medium')).toBe('fail')
  })

  it('is incomplete when a check errored, was not tested, or nothing was tested', () => {
    expect(deviceVerdict([f('pass'), f('error')], 'medium')).toBe('incomplete')
    expect(deviceVerdict([f('pass'), f('not_tested')], 'medium')).toBe('incomplete')
    expect(deviceVerdict([], 'medium')).toBe('incomplete')
    expect(deviceVerdict([f('not_applicable')], 'medium')).toBe('incomplete')
  })

  it('is incomplete when a selected check is inconclusive and nothing fails (issue 11 item 5)', () => {
    expect(deviceVerdict([f('pass'), f('inconclusive')], 'medium')).toBe('incomplete')
    expect(deviceVerdict([f('pass'), {...f('inconclusive', 'critical'), check: 'cred.default.ssh'}], 'medium')).toBe('incomplete')
    expect(deviceVerdict([f('fail', 'low'), f('inconclusive')], 'medium')).toBe('incomplete')
    expect(deviceVerdict([f('fail', 'high'), f('inconclusive')], 'medium')).toBe('fail')
    const s = summarize([{id: 'd', services: [], observations: [], findings: [f('pass'), f('inconclusive')], verdict: deviceVerdict([f('pass'), f('inconclusive')], 'medium')}], 'medium')
    expect(s.exitCode).toBe(3)
  })

  it('does not count an intrusive check skipped by policy as a gap, but any other not_tested check', () => {
    const skipped = {...f('not_tested', 'critical'), check: 'snmp.community.write'}
    expect(deviceVerdict([f('pass'), skipped], 'medium')).toBe('pass')
    expect(deviceVerdict([f('pass'), {...skipped, check: 'tls.cipher.rc4'}], 'medium')).toBe('incomplete')
  })

  it('maps to exit codes 0, 1, 3 — never 0 when nothing was tested', () => {
    const device = (verdict: Device['verdict'], findings: Finding[] = []): Device => ({id: 'd', services: [], observations: [], findings, verdict})
    expect(summarize([device('pass', [f('pass')])], 'medium').exitCode).toBe(0)
    expect(summarize([device('pass'), device('fail')], 'medium').exitCode).toBe(1)
    expect(summarize([device('pass'), device('incomplete')], 'medium').exitCode).toBe(3)
    expect(summarize([], 'medium').exitCode).toBe(3)
    const s = summarize([device('fail', [f('fail', 'high'), f('pass')])], 'medium')
    expect(s.failedBySeverity.high).toBe(1)
    expect(s.outcomes).toMatchObject({fail: 1, pass: 1})
  })

  it('a failed batch finding at or above fail-on makes the exit code 1; below it, or passed, changes nothing', () => {
    const passing = summarize([{id: 'a', services: [], observations: [], findings: [f('pass')], verdict: 'pass'}], 'medium')
    expect(passing.exitCode).toBe(0)
    const batch = (outcome: Finding['outcome'], severity: Finding['severity']): BatchSummary => ({
      findings: [{check: 'tls.cert.shared-device-key', title: 't', outcome, severity, message: 'm', devices: ['a', 'b'], evidence: [], references: []}],
      models: [],
    })
    expect(withBatch(passing, batch('fail', 'high')).exitCode).toBe(1)
    expect(withBatch(passing, batch('fail', 'high')).verdicts).toEqual(passing.verdicts)
    expect(withBatch(passing, batch('fail', 'low')).exitCode).toBe(0)
    expect(withBatch(passing, batch('pass', 'high')).exitCode).toBe(0)
    expect(withBatch(passing, undefined)).toBe(passing)
  })
})
