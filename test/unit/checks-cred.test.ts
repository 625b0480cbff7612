/** The cred.* checks as pure functions of hand-made observations: each outcome, ids/usernames in messages,
 *  never a password, and noise-proof throttling judgement. */
import {describe, expect, it} from 'vitest'

import {check as notEnforced} from '../../checks/cred/auth-not-enforced.js'
import {check as bruteforce} from '../../checks/cred/bruteforce-unthrottled.js'
import {check as defaultSsh} from '../../checks/cred/default-ssh.js'
import {check as weak} from '../../checks/cred/weak-dictionary.js'
import type {Check} from '../../src/checks/types.js'
import type {Observation} from '../../src/evidence/types.js'
import type {CredAttemptsData} from '../../src/probes/cred/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const SERVICE = {id: 'ssh://192.0.2.10:22', protocol: 'ssh' as const, host: '192.0.2.10', port: 22, transport: 'tcp' as const}

function run(check: Check, probe: string, data: Record<string, unknown>) {
  const obs: Observation = {id: 'obs-1', service: SERVICE.id, probe, collectedAt: '2026-06-01T12:00:00Z', data, artifacts: []}
  return check.evaluate({service: SERVICE, observations: {[probe]: obs}, thresholds: DEFAULT_THRESHOLDS, now: new Date('2026-06-01T12:00:00Z'), severity: check.defaultSeverity})
}

const base: CredAttemptsData = {
  service: SERVICE.id,
  mechanism: 'ssh-password',
  negativeControl: {result: 'rejected'},
  attempts: [
    {service: SERVICE.id, credentialId: 'dc-aaaaaaaaaa', result: 'rejected', at: '2026-06-01T12:00:00Z'},
    {service: SERVICE.id, credentialId: 'dc-bbbbbbbbbb', result: 'accepted', at: '2026-06-01T12:00:01Z'},
  ],
  stoppedBy: 'success',
  success: {credentialId: 'dc-bbbbbbbbbb', username: 'root', list: 'ssh-better', lists: ['ssh-better']},
  candidates: 5,
  lists: ['ssh-better', 'generic-top'],
  delayMs: 1000,
  budget: 20,
  throttling: {baselineMs: 10, attemptMs: [10, 10], maxMs: 10},
}
const attempts = (over: Partial<CredAttemptsData>) => ({...base, ...over}) as unknown as Record<string, unknown>

describe('cred.default.* and cred.weak.dictionary', () => {
  it('fails on a proven default, naming id and username', () => {
    const r = run(defaultSsh, 'cred.attempts', attempts({}))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('dc-bbbbbbbbbb')
    expect(r.message).toContain('"root"')
    expect(run(weak, 'cred.attempts', attempts({})).outcome).toBe('pass')
  })

  it('a generic-top success fails the weak check; a lab success names no username', () => {
    const lab = attempts({success: {credentialId: 'lab:f.txt:3', list: 'lab', lists: ['lab']}})
    const r = run(weak, 'cred.attempts', lab)
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('lab:f.txt:3')
    expect(r.message).not.toContain('username')
  })

  it('is inconclusive for accepts-anything, lockout, nothing tried or only errors', () => {
    expect(run(defaultSsh, 'cred.attempts', attempts({stoppedBy: 'accepts-anything', success: undefined, attempts: [], negativeControl: {result: 'accepted'}})).outcome).toBe('inconclusive')
    expect(run(defaultSsh, 'cred.attempts', attempts({stoppedBy: 'lockout', success: undefined})).outcome).toBe('inconclusive')
    expect(run(defaultSsh, 'cred.attempts', attempts({stoppedBy: 'budget', success: undefined, attempts: []})).outcome).toBe('inconclusive')
    const errors = base.attempts.map((a) => ({...a, result: 'error' as const}))
    expect(run(defaultSsh, 'cred.attempts', attempts({stoppedBy: 'exhausted', success: undefined, attempts: errors})).outcome).toBe('inconclusive')
  })

  it('passes when every candidate was rejected, and is not applicable without a login', () => {
    const rejected = base.attempts.map((a) => ({...a, result: 'rejected' as const}))
    expect(run(defaultSsh, 'cred.attempts', attempts({stoppedBy: 'exhausted', success: undefined, attempts: rejected})).outcome).toBe('pass')
    expect(run(defaultSsh, 'cred.attempts', {service: SERVICE.id, mechanism: 'none', reason: 'no form', attempts: []}).outcome).toBe('not_applicable')
    expect(run(defaultSsh, 'cred.attempts', {garbage: true}).outcome).toBe('inconclusive')
  })
})

describe('cred.bruteforce.unthrottled', () => {
  const brute = (attemptMs: number[], extra: Record<string, unknown> = {}) => ({
    service: SERVICE.id,
    mechanism: 'ssh-password',
    attempts: attemptMs.length,
    results: {rejected: attemptMs.length, accepted: 0, error: 0, locked: 0},
    attemptMs,
    slowdown: Math.max(...attemptMs) / attemptMs[0]!,
    ...extra,
  })

  it('fails at full speed, and a noisy 5× blip of a few ms is not throttling', () => {
    expect(run(bruteforce, 'cred.bruteforce', brute([10, 11, 9, 10, 12, 10])).outcome).toBe('fail')
    expect(run(bruteforce, 'cred.bruteforce', brute([5, 6, 25, 5, 6, 5])).outcome).toBe('fail')
  })

  it('passes on a lockout or a deliberate growing delay', () => {
    expect(run(bruteforce, 'cred.bruteforce', brute([10, 10, 10], {lockedAt: 2, lockoutSignal: 'message'})).outcome).toBe('pass')
    expect(run(bruteforce, 'cred.bruteforce', brute([10, 500, 1000, 2000, 4000])).outcome).toBe('pass')
  })

  it('is inconclusive when a random credential was accepted', () => {
    expect(run(bruteforce, 'cred.bruteforce', brute([10, 10], {results: {rejected: 0, accepted: 2, error: 0, locked: 0}})).outcome).toBe('inconclusive')
  })
})

describe('cred.auth.not-enforced (issue 11 item 5)', () => {
  const anything = (mechanism: string) => attempts({mechanism, stoppedBy: 'accepts-anything', success: undefined, attempts: [], negativeControl: {result: 'accepted'}})
  it('fails, critical by default, when the random negative control is proven accepted at protocol level', () => {
    expect(notEnforced.defaultSeverity).toBe('critical')
    expect(notEnforced.intrusive).toBe(true)
    for (const m of ['ssh-password', 'telnet-login', 'http-basic', 'http-digest']) {
      const r = run(notEnforced, 'cred.attempts', anything(m))
      expect(r.outcome, m).toBe('fail')
      expect(r.message).toContain(m)
    }
    // cred.default.* stays inconclusive on the same observation.
    expect(run(defaultSsh, 'cred.attempts', anything('ssh-password')).outcome).toBe('inconclusive')
  })
  it('is inconclusive for a form "success" (a heuristic) or a control that errored, passes when the control is refused', () => {
    expect(run(notEnforced, 'cred.attempts', anything('http-form')).outcome).toBe('inconclusive')
    expect(run(notEnforced, 'cred.attempts', attempts({negativeControl: {result: 'locked', reason: 'status 429'}})).outcome).toBe('inconclusive')
    expect(run(notEnforced, 'cred.attempts', attempts({})).outcome).toBe('pass')
    expect(run(notEnforced, 'cred.attempts', {service: 'x', mechanism: 'none', reason: 'no login form', attempts: []}).outcome).toBe('not_applicable')
  })
})
