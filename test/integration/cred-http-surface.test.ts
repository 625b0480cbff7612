/**
 * Issue 11 item 2: the cred module tests the logins the HTTP surface discovered (forms and Basic/Digest
 * challenges on any crawled or well-known path), not only `/`. The lab's portal-router links to an HTML form at
 * /login and a Basic realm at /admin from a root page that has neither. And item 7 on the cred side: a service
 * that sends `/` to another host has no login we could examine — inconclusive, not "not applicable".
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import type {CredAttemptsData} from '../../src/probes/cred/types.js'
import {OFF_DEVICE_TARGET, startHttpHostile, type RunningHttpHostile} from '../fixtures/http-hostile-servers.js'

let lab: RunningLab
let hostile: RunningHttpHostile
let report: Report

beforeAll(async () => {
  lab = await startLab({devices: ['portal-router']})
  hostile = await startHttpHostile('off-device')
  report = await scanDevices(
    [...lab.devices.map((d) => ({name: d.name, targets: d.targets})), {name: 'off-device', targets: [`http://127.0.0.1:${hostile.port}`]}],
    {intrusive: true, timeoutMs: 2000, loginDelayMs: 5},
  )
}, 120_000)

afterAll(async () => {
  await lab?.stop()
  await hostile?.stop()
})

const device = (name: string): Device => report.devices.find((d) => d.name === name)!
const finding = (name: string, check: string) => device(name).findings.find((f) => f.check === check)!

describe('cred checks use the logins the HTTP surface discovered', () => {
  it('tests the form at /login and the Basic realm at /admin, not only /', () => {
    const obs = device('portal-router').observations.find((o) => o.probe === 'cred.attempts')!
    expect(obs.error).toBeUndefined()
    const data = obs.data as unknown as CredAttemptsData
    const logins = data.logins ?? [data]
    expect(logins.map((l) => [l.mechanism, l.path])).toEqual(
      expect.arrayContaining([
        ['http-form', '/login'],
        ['http-basic', '/admin'],
      ]),
    )
    for (const l of logins) {
      expect(l.negativeControl.result, l.path).toBe('rejected')
      expect(l.success?.username, l.path).toBe('admin')
    }
  })

  it('cred.default.http and cred.weak.dictionary fail, naming both logins', () => {
    for (const check of ['cred.default.http', 'cred.weak.dictionary']) {
      const f = finding('portal-router', check)
      expect(f.outcome, check).toBe('fail')
      expect(f.message).toContain('http-form at /login')
      expect(f.message).toContain('http-basic at /admin')
    }
    expect(finding('portal-router', 'cred.auth.not-enforced').outcome).toBe('pass')
    // The surface checks saw the same two logins.
    const cleartext = finding('portal-router', 'pii.http.cleartext-credentials')
    expect(cleartext.outcome).toBe('fail')
    expect(cleartext.message).toContain('/login')
    expect(cleartext.message).toContain('/admin')
  })

  it('a service redirecting / to another host: the cred checks are inconclusive, naming the target', () => {
    for (const check of ['cred.default.http', 'cred.weak.dictionary']) {
      const f = finding('off-device', check)
      expect(f.outcome, check).toBe('inconclusive')
      expect(f.message).toContain(OFF_DEVICE_TARGET)
    }
    expect(device('off-device').verdict).toBe('incomplete')
  })
})
