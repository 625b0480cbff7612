/** input.http.malformed-request (pure) and the checks-fail-only rule it feeds (5.13-1, GEC-6). */
import {describe, expect, it} from 'vitest'

import {check} from '../../checks/input/http-malformed-request.js'
import type {Finding} from '../../src/evidence/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import type {MalformedInputData} from '../../src/probes/input/types.js'
import {evaluateRequirement} from '../../src/requirements/evaluate.js'
import type {RequirementDef} from '../../src/requirements/types.js'

const ok = {status: 200, line: 'HTTP/1.1 200 OK'}
const cases = (over: Partial<Record<string, object>> = {}): MalformedInputData['cases'] =>
  ['bad-percent-encoding', 'overlong-uri', 'invalid-method', 'header-without-colon', 'negative-content-length', 'unknown-version'].map((id) => ({id, sends: id, status: 400, line: 'HTTP/1.1 400 Bad Request', ...(over[id] ?? {})}))
const judge = (data: MalformedInputData) =>
  check.evaluate({observations: {'http.malformed-input': {data: data as unknown as Record<string, unknown>}}, thresholds: DEFAULT_THRESHOLDS} as never)

describe('input.http.malformed-request', () => {
  it('a server error (5xx but 501/505) on a malformed request fails, naming it', () => {
    const r = judge({before: ok, after: ok, cases: cases({'bad-percent-encoding': {status: 500, line: 'HTTP/1.1 500 Internal Server Error'}})})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('bad-percent-encoding: HTTP/1.1 500 Internal Server Error')
  })

  it('a service that stops answering after the malformed requests fails', () => {
    const r = judge({before: ok, after: {closed: true}, cases: cases()})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('closed without an answer')
  })

  it('cut short before the service was asked again: inconclusive, not a failure', () => {
    expect(judge({before: ok, cases: cases().slice(0, 2)}).outcome).toBe('inconclusive')
  })

  it('501 and 505 are rejections, not server errors; rejections and closes pass', () => {
    const r = judge({before: ok, after: ok, cases: cases({'invalid-method': {status: 501, line: 'HTTP/1.1 501 Not Implemented'}, 'unknown-version': {status: 505, line: 'x'}, 'overlong-uri': {status: undefined, line: undefined, closed: true}})})
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('rejected 6 of 6')
  })

  it('every malformed request accepted (2xx), none failed: inconclusive, no sign either way', () => {
    const r = judge({before: ok, after: ok, cases: cases(Object.fromEntries(['bad-percent-encoding', 'overlong-uri', 'invalid-method', 'header-without-colon', 'negative-content-length', 'unknown-version'].map((id) => [id, ok])))})
    expect(r.outcome).toBe('inconclusive')
  })
})

describe('rule checks-fail-only', () => {
  const def: RequirementDef = {standard: 'EN 18031-1', id: 'GEC-6', title: 'Input validation', checks: ['input.http.malformed-request'], declaration: [], rule: 'checks-fail-only', notRemote: 'the rest needs a campaign'}
  const f = (outcome: Finding['outcome']): Finding => ({check: 'input.http.malformed-request', title: 't', outcome, severity: 'medium', service: 'http://x:80', message: `m ${outcome}`, evidence: ['obs-1'], references: []})
  const run = (findings: Finding[]) => evaluateRequirement(def, {findings, observedServices: {services: [], complete: false, evidence: [], scope: '', method: ''}})

  it('a failed check fails the requirement', () => {
    expect(run([f('fail')])).toMatchObject({verdict: 'fail', decidedBy: {findings: ['input.http.malformed-request@http://x:80']}})
  })

  it('a pass never passes it: not assessed remotely, with what was found and what else decides it', () => {
    const r = run([f('pass')])
    expect(r.verdict).toBe('not_assessed_remotely')
    expect(r.reason).toMatch(/^its network test found no fault \(.*\); a network test can show a failure of this requirement, never its fulfilment: the rest needs a campaign$/)
    expect(r.decidedBy.findings).toEqual(['input.http.malformed-request@http://x:80'])
  })

  it('no HTTP service, or the check not run: not assessed remotely', () => {
    expect(run([]).verdict).toBe('not_assessed_remotely')
    expect(run([f('inconclusive')]).verdict).toBe('not_assessed_remotely')
  })
})
