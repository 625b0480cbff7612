import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {ALGORITHM_CATEGORIES, algorithmDatabase, buildDatabase, classifyAlgorithm} from '../../src/probes/ssh/algorithms.js'
import {projectPath} from '../../src/util/paths.js'

const raw = (): Record<string, unknown> => JSON.parse(readFileSync(projectPath('data/ssh/algorithms.json'), 'utf8'))

describe('SSH algorithm database', () => {
  it('loads and has every category', () => {
    const db = algorithmDatabase()
    for (const c of ALGORITHM_CATEGORIES) expect(db.categories[c].size).toBeGreaterThan(5)
    expect(db.policy.criticalRsaBits).toBe(1024)
    expect(db.policy.passwordLikeMethods).toEqual(['password', 'keyboard-interactive'])
  })

  it.each([
    ['kex', 'diffie-hellman-group1-sha1', 'fail'],
    ['kex', 'diffie-hellman-group14-sha1', 'fail'],
    ['kex', 'diffie-hellman-group-exchange-sha1', 'fail'],
    ['kex', 'gss-gex-sha1-toWM5Slw5Ew8Mqkay+al2g==', 'fail'],
    ['kex', 'curve25519-sha256', 'ok'],
    ['kex', 'diffie-hellman-group14-sha256', 'ok'],
    ['kex', 'sntrup761x25519-sha512@openssh.com', 'ok'],
    ['kex', 'ext-info-c', 'info'],
    ['kex', 'kex-strict-s-v00@openssh.com', 'info'],
    ['hostKey', 'ssh-dss', 'fail'],
    ['hostKey', 'ssh-rsa', 'warn'],
    ['hostKey', 'rsa-sha2-512', 'ok'],
    ['hostKey', 'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ok'],
    ['hostKey', 'sk-ssh-ed25519-cert-v01@openssh.com', 'ok'],
    ['cipher', 'arcfour256', 'fail'],
    ['cipher', '3des-cbc', 'fail'],
    ['cipher', 'aes256-cbc', 'fail'],
    ['cipher', 'blowfish-cbc', 'fail'],
    ['cipher', 'aes128-ctr', 'ok'],
    ['cipher', 'chacha20-poly1305@openssh.com', 'ok'],
    ['mac', 'hmac-md5', 'fail'],
    ['mac', 'hmac-sha1-96', 'fail'],
    ['mac', 'umac-64@openssh.com', 'fail'],
    ['mac', 'hmac-sha1', 'warn'],
    ['mac', 'hmac-sha2-256-etm@openssh.com', 'ok'],
  ] as const)('%s %s → %s', (category, name, level) => {
    expect(classifyAlgorithm(category, name).level).toBe(level)
  })

  it('gives arcfour and none a raised severity and references', () => {
    const rc4 = classifyAlgorithm('cipher', 'arcfour')
    expect(rc4.severity).toBe('high')
    expect(rc4.references).toContainEqual({framework: 'RFC', id: 'RFC 8758'})
    expect(classifyAlgorithm('cipher', 'none').severity).toBe('critical')
    expect(classifyAlgorithm('kex', 'diffie-hellman-group1-sha1').references).toContainEqual({framework: 'RFC', id: 'RFC 9142'})
    expect(classifyAlgorithm('hostKey', 'rsa-sha2-256').references).toContainEqual({framework: 'RFC', id: 'RFC 8332'})
    expect(classifyAlgorithm('cipher', 'aes128-ctr').references).toContainEqual({framework: 'RFC', id: 'RFC 4344'})
  })

  it('marks pseudo-algorithms', () => {
    expect(classifyAlgorithm('kex', 'ext-info-s').pseudo).toBe(true)
    expect(classifyAlgorithm('kex', 'curve25519-sha256').pseudo).toBe(false)
  })

  it('classifies unknown names as unknown, never fail', () => {
    const c = classifyAlgorithm('cipher', 'rot13-cbc@example.com')
    expect(c.level).toBe('unknown')
    expect(c.references).toEqual([])
  })

  it('rejects malformed data', () => {
    const bad = raw()
    ;(bad.kex as Record<string, unknown>)['x'] = {level: 'terrible', reason: 'r', references: []}
    expect(() => buildDatabase(bad)).toThrow(/bad level/)
    const badRef = raw()
    ;(badRef.mac as Record<string, unknown>)['y'] = {level: 'ok', reason: 'r', references: ['NOPE']}
    expect(() => buildDatabase(badRef)).toThrow(/unknown reference/)
    const badSev = raw()
    ;(badSev.mac as Record<string, unknown>)['z'] = {level: 'ok', reason: 'r', references: [], severity: 'high'}
    expect(() => buildDatabase(badSev)).toThrow(/severity/)
    expect(() => buildDatabase([])).toThrow()
  })

  it('cites only known frameworks and never a clause for RFC 9142, NIST or BSI', () => {
    for (const ref of Object.values(algorithmDatabase().references)) {
      if (ref.id === 'RFC 9142' || ref.framework === 'NIST' || ref.framework === 'BSI') expect(ref.clause).toBeUndefined()
    }
  })
})
