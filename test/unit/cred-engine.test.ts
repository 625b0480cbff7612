/** Credential file parsing, the attempt budget, lockout recognition, Digest (RFC 7616 §3.9.1 vectors), challenge
 *  and form parsing, Telnet post-password classification, and the login loop against a scripted LoginMethod. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {AttemptBudget} from '../../src/probes/cred/budget.js'
import {loadCredentialFile, parseCredentialFile} from '../../src/probes/cred/credential-file.js'
import {digestAuthorization, expectedDigestResponse, parseChallenges, pickChallenge} from '../../src/probes/cred/digest.js'
import {runLoginLoop} from '../../src/probes/cred/engine.js'
import {findLoginForm, resolveAction} from '../../src/probes/cred/html-form.js'
import {isGrowingDelay, isLockoutMessage, lockoutSignal} from '../../src/probes/cred/lockout.js'
import {classifyAfterPassword} from '../../src/probes/cred/telnet-login.js'
import type {CredentialCandidate, LoginMethod, LoginOutcome} from '../../src/probes/cred/types.js'
import {ConfigError} from '../../src/profiles/errors.js'

describe('--credentials file', () => {
  it('parses user:pass lines with ids from file and line, never from the secret', () => {
    const creds = parseCredentialFile('# comment\nroot:toor\n\nadmin:\nuser:pa:ss\nroot:toor\n', '/x/lab-creds.txt')
    expect(creds).toEqual([
      {id: 'lab:lab-creds.txt:2', username: 'root', password: 'toor'},
      {id: 'lab:lab-creds.txt:4', username: 'admin', password: ''},
      {id: 'lab:lab-creds.txt:5', username: 'user', password: 'pa:ss'},
    ])
  })

  it('names file:line of a malformed line without quoting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17-cred-'))
    const file = join(dir, 'bad.txt')
    writeFileSync(file, 'root:toor\nhunter2-without-colon\n')
    expect(() => loadCredentialFile(file)).toThrow(ConfigError)
    try {
      loadCredentialFile(file)
    } catch (error) {
      expect((error as Error).message).toContain(`${file}:2`)
      expect((error as Error).message).not.toContain('hunter2')
    }
    expect(() => parseCredentialFile(':nouser\n', 'f.txt')).toThrow(/f\.txt:1/)
    expect(() => parseCredentialFile('# only a comment\n', 'f.txt')).toThrow(ConfigError)
  })
})

describe('attempt budget and lockout', () => {
  it('never hands out more than its limit', () => {
    const b = new AttemptBudget(3)
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false])
    expect(b.spent).toBe(3)
  })

  it('recognises lockout messages, refusals after success and growing delays', () => {
    expect(isLockoutMessage('Too many failed login attempts: account locked')).toBe(true)
    expect(isLockoutMessage('Login incorrect')).toBe(false)
    expect(lockoutSignal({result: 'error', refused: true}, 0, 10, [10])).toBeUndefined()
    expect(lockoutSignal({result: 'error', refused: true}, 2, 10, [10, 10])).toBe('refused')
    expect(isGrowingDelay(20, [20, 25, 30])).toBe(false)
    expect(isGrowingDelay(20, [500, 1000, 2000])).toBe(true)
    expect(isGrowingDelay(20, [3000, 2000, 2500])).toBe(false)
  })
})

describe('HTTP Digest (RFC 7616 §3.9.1)', () => {
  const challengeText =
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=%ALG%, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
  const request = {method: 'GET', uri: '/dir/index.html', username: 'Mufasa', password: 'Circle of Life', nc: 1, cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ'}

  it('computes the MD5 and SHA-256 example responses', () => {
    const md5 = parseChallenges([challengeText.replace('%ALG%', 'MD5')])[0]!
    expect(digestAuthorization(md5, request)).toContain('response="8ca523f5e9506fed4657c9700eebdbec"')
    const sha = parseChallenges([challengeText.replace('%ALG%', 'SHA-256')])[0]!
    expect(digestAuthorization(sha, request)).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"')
  })

  it('agrees with the server-side computation and prefers SHA-256 over MD5 over Basic', () => {
    const challenges = parseChallenges(['Basic realm="a", ' + challengeText.replace('%ALG%', 'MD5'), challengeText.replace('%ALG%', 'SHA-256')])
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'digest', 'digest'])
    const best = pickChallenge(challenges)!
    expect(best.params.algorithm).toBe('SHA-256')
    const header = digestAuthorization(best, request)
    const fields = parseChallenges([header])[0]!.params
    expect(expectedDigestResponse(fields, 'GET', 'Circle of Life')).toBe(fields.response)
    expect(expectedDigestResponse(fields, 'GET', 'wrong')).not.toBe(fields.response)
  })
})

describe('form and telnet recognition', () => {
  it('finds a login form with its fields and hidden inputs', () => {
    const form = findLoginForm('<form action="/login" method=POST><input type=hidden name=t value="x"><input name="u"><input type="password" name="p"></form>')
    expect(form).toEqual({action: '/login', method: 'POST', usernameField: 'u', passwordField: 'p', hidden: {t: 'x'}})
    expect(findLoginForm('<form><input name="q"></form>')).toBeUndefined()
    expect(resolveAction('https://evil.example/x', '/')).toBeUndefined()
    expect(resolveAction('login.cgi', '/admin/index.html')).toBe('/admin/login.cgi')
  })

  it('classifies what follows the password', () => {
    expect(classifyAfterPassword('\r\n\r\nBusyBox v1.31.1\r\n# ')).toBe('accepted')
    expect(classifyAfterPassword('\r\nuser@host:~$ ')).toBe('accepted')
    expect(classifyAfterPassword('\r\nLogin incorrect\r\nrouter login: ')).toBe('rejected')
    expect(classifyAfterPassword('\r\nrouter login: ')).toBe('rejected')
    expect(classifyAfterPassword('\r\nAccount locked: too many failures\r\n')).toBe('locked')
    expect(classifyAfterPassword('\r\n')).toBeUndefined()
  })
})

describe('login loop', () => {
  const candidates: CredentialCandidate[] = ['a', 'b', 'c', 'd'].map((p, i) => ({id: `dc-${i}`, username: 'root', password: p, lists: ['ssh-better'], secretUsername: false}))
  const method = (answer: (u: string, p: string, n: number) => Omit<LoginOutcome, 'ms'>): LoginMethod & {calls: string[]} => {
    const calls: string[] = []
    return {
      service: 'ssh://127.0.0.1:22',
      mechanism: 'ssh-password',
      calls,
      async attempt(u, p) {
        calls.push(p)
        return {...answer(u, p, calls.length), ms: 1}
      },
    }
  }
  const opts = (budget = 20) => ({delayMs: 0, budget: new AttemptBudget(budget), lists: ['ssh-better' as const], now: () => new Date(0), signal: new AbortController().signal})

  it('runs the negative control first and stops at the first success', async () => {
    const m = method((_u, p) => ({result: p === 'c' ? 'accepted' : 'rejected'}))
    const data = await runLoginLoop(m, candidates, opts())
    expect(m.calls.slice(1)).toEqual(['a', 'b', 'c'])
    expect(data.negativeControl.result).toBe('rejected')
    expect(data.stoppedBy).toBe('success')
    expect(data.success).toEqual({credentialId: 'dc-2', username: 'root', list: 'ssh-better', lists: ['ssh-better']})
    expect(data.attempts.map((a) => a.result)).toEqual(['rejected', 'rejected', 'accepted'])
  })

  it('reports accepts-anything without trying candidates', async () => {
    const m = method(() => ({result: 'accepted'}))
    const data = await runLoginLoop(m, candidates, opts())
    expect(data.stoppedBy).toBe('accepts-anything')
    expect(m.calls).toHaveLength(1)
  })

  it('honours the shared budget', async () => {
    const budget = new AttemptBudget(3)
    const m = method(() => ({result: 'rejected'}))
    const first = await runLoginLoop(m, candidates.slice(0, 2), {...opts(), budget})
    const second = await runLoginLoop(m, candidates, {...opts(), budget})
    expect(first.attempts).toHaveLength(2)
    expect(second.attempts).toHaveLength(1)
    expect(second.stoppedBy).toBe('budget')
  })

  it('stops at a lockout (message, or refusal after answered attempts)', async () => {
    const locked = await runLoginLoop(method((_u, _p, n) => ({result: n >= 3 ? 'locked' : 'rejected'})), candidates, opts())
    expect(locked.stoppedBy).toBe('lockout')
    expect(locked.throttling.lockoutSignal).toBe('message')
    const refused = await runLoginLoop(method((_u, _p, n) => (n >= 3 ? {result: 'error', refused: true} : {result: 'rejected'})), candidates, opts())
    expect(refused.stoppedBy).toBe('lockout')
    expect(refused.throttling.lockoutSignal).toBe('refused')
    expect(refused.attempts.at(-1)!.result).toBe('locked')
  })

  it('waits the configured delay between attempts', async () => {
    const m = method(() => ({result: 'rejected'}))
    const started = Date.now()
    const data = await runLoginLoop(m, candidates, {...opts(), delayMs: 30, now: () => new Date()})
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 30 - 5)
    expect(data.stoppedBy).toBe('exhausted')
  })
})
