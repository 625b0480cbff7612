/**
 * Malformed-input robustness (input.http.malformed-request, intrusive) on the lab, and the input-validation
 * requirements it feeds (EN 303 645 5.13-1, EN 18031-1 GEC-6, rule checks-fail-only): a web admin whose server answers
 * invalid percent-encoding with 500 fails the check and the requirements, named; Node's HTTP servers (secure-admin)
 * reject the malformed requests, which leaves the requirements not assessed remotely (a few inputs are no proof of
 * validation), saying what was found; without --intrusive nothing malformed is sent.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import {reportContradictions} from '../../src/evidence/consistency.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {assertValidReport} from '../../src/evidence/validate.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import {withRequirements} from '../../src/requirements/assess.js'
import {untraceableRequirements} from '../helpers/requirement-trace.js'

let lab: RunningLab
let report: Report
beforeAll(async () => {
  lab = await startLab({devices: ['fragile-admin', 'secure-admin']})
  report = await scanDevices(
    lab.devices.map((d) => ({name: d.name, targets: d.targets, ...(d.declaration ? {declaration: d.declaration} : {})})),
    {profile: 'en-18031-1', intrusive: true, timeoutMs: 2000, loginDelayMs: 0, caCertificates: [lab.caPem]},
  )
}, 120_000)
afterAll(async () => {
  await lab?.stop()
})

const device = (name: string): Device => report.devices.find((d) => d.name === name)!
const finding = (d: Device, service: string) => d.findings.find((f) => f.check === 'input.http.malformed-request' && f.service.startsWith(service))

describe('malformed HTTP input', () => {
  it('a server error on invalid percent-encoding fails the check and GEC-6 / 5.13-1, naming the request', () => {
    assertValidReport(report)
    expect(reportContradictions(report).problems).toEqual([])
    const fragile = device('fragile-admin')
    const f = finding(fragile, 'http://')!
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('invalid percent-encoding in the path): HTTP/1.1 500 Internal Server Error')
    const obs = fragile.observations.find((o) => o.probe === 'http.malformed-input')!
    expect((obs.data.cases as Array<{id: string; status?: number}>).map((c) => [c.id, c.status])).toEqual([
      ['bad-percent-encoding', 500], ['overlong-uri', 404], ['invalid-method', 400], ['header-without-colon', 400], ['negative-content-length', 200], ['unknown-version', 400],
    ])
    const gec6 = fragile.requirements!.find((r) => r.id === 'GEC-6')!
    expect(gec6).toMatchObject({verdict: 'fail', rule: 'checks-fail-only'})
    expect(gec6.decidedBy.findings).toEqual([`input.http.malformed-request@${f.service}`])
    const en = withRequirements({...fragile, requirements: undefined}, resolveProfile('etsi-en-303-645').requirements).requirements!
    expect(en.find((r) => r.id === '5.13-1')!.verdict).toBe('fail')
  })

  it('a server that rejects the malformed requests passes the check; the requirement stays not assessed remotely and says why', () => {
    const secure = device('secure-admin')
    for (const scheme of ['http://', 'https://']) expect([scheme, finding(secure, scheme)?.outcome]).toEqual([scheme, 'pass'])
    const gec6 = secure.requirements!.find((r) => r.id === 'GEC-6')!
    expect(gec6.verdict).toBe('not_assessed_remotely')
    expect(gec6.reason).toMatch(/^its network test found no fault \(.*\); a network test can show a failure of this requirement, never its fulfilment: /)
    expect(gec6.decidedBy.findings).toHaveLength(2)
  })

  it('every requirement verdict stays traceable in every format', () => {
    expect(untraceableRequirements(report)).toEqual([])
  })

  it('without --intrusive nothing malformed is sent: the check is not run and the requirement says how to run it', async () => {
    const quick = await scanDevices([{name: 'fragile-admin', targets: lab.devices.find((d) => d.name === 'fragile-admin')!.targets}], {profile: 'en-18031-1', timeoutMs: 2000})
    const d = quick.devices[0]!
    expect(d.observations.some((o) => o.probe === 'http.malformed-input')).toBe(false)
    expect(d.findings.find((f) => f.check === 'input.http.malformed-request')?.outcome).toBe('not_tested')
    const gec6 = d.requirements!.find((r) => r.id === 'GEC-6')!
    expect(gec6.verdict).toBe('not_assessed_remotely')
    expect(gec6.reason).toContain('--intrusive')
  }, 60_000)
})
