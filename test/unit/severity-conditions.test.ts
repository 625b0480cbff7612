/**
 * Issue 11 item 9: severity belongs to the profile. A check reports which named condition it met; the profile
 * maps conditions to severities (validated with file:line:field errors); the finding says which rule applied.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ALL_CHECKS} from '../../checks/index.js'
import {judge} from '../../src/engine/judge.js'
import type {Observation, Service} from '../../src/evidence/types.js'
import {SEVERITIES} from '../../src/evidence/types.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {loadProfileFile, resolveProfile} from '../../src/profiles/loader.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {configErrorDetails} from '../helpers/config-error.js'

const dir = mkdtempSync(join(tmpdir(), 'sg17scan-conditions-'))
const HEADER = 'id: test-profile\nversion: "1"\ntitle: T\ndescription: D\n'
const NOW = new Date('2026-06-01T12:00:00Z')
const HTTP: Service = {id: 'http://192.0.2.30:80', protocol: 'http', host: '192.0.2.30', port: 80, transport: 'tcp'}

function profile(name: string, text: string) {
  const file = join(dir, name)
  writeFileSync(file, `${HEADER}${text}`)
  return {file, load: () => loadProfileFile(file)}
}

/** An HTTP surface whose /api/config answers without credentials and names a password field. */
function surface(over: Record<string, unknown> = {}): Observation {
  const data = {
    scheme: 'http', rootReachable: true, adminUi: true, loginForms: [], authChallenges: [], redirectsToHttps: false, httpsRedirectTarget: '', hsts: null,
    cookies: [], server: '', poweredBy: '', securityHeaders: null, pii: [], chainVerified: null,
    sensitiveEndpoints: [{url: 'http://192.0.2.30/api/config', path: '/api/config', status: 200, kind: 'config', why: 'device configuration', contentType: 'application/json', credentialFields: true}],
    ...over,
  }
  return {id: 'obs-surface', service: HTTP.id, probe: 'http.surface', collectedAt: NOW.toISOString(), data, artifacts: []}
}

function findingWith(profileText: string, check: string, obs: Observation) {
  const sel = profile(`${check}-${Math.random().toString(36).slice(2)}.yaml`, profileText).load().checks.find((c) => c.check.id === check)!
  return judge(sel, HTTP, [obs], DEFAULT_THRESHOLDS, NOW)
}

describe('severity per condition, set by the profile', () => {
  it('no check forces a severity in the issue\'s three cases: the profile can set each condition', () => {
    const f = findingWith('checks:\n  - id: http.unauth.sensitive-endpoint\n    conditions: {credential-fields: medium}\n', 'http.unauth.sensitive-endpoint', surface())
    expect(f.outcome).toBe('fail')
    expect(f.severity).toBe('medium')
    expect(f.severityRule).toEqual({condition: 'credential-fields', source: 'profile'})
    expect(f.message).toContain('condition credential-fields, set by the profile')

    const pii = surface({sensitiveEndpoints: [], pii: [{url: 'http://192.0.2.30/status', urlScheme: 'http', type: 'gps', count: 1, location: '/status', samples: ['4*.**']}]})
    const p = findingWith('checks:\n  - id: pii.http.cleartext-personal-data\n    conditions: {location-or-device-id: low}\n', 'pii.http.cleartext-personal-data', pii)
    expect([p.outcome, p.severity]).toEqual(['fail', 'low'])

    const digest = surface({sensitiveEndpoints: [], authChallenges: [{url: 'http://192.0.2.30/', scheme: 'Digest', realm: 'r', urlScheme: 'http'}]})
    const c = findingWith('checks:\n  - id: pii.http.cleartext-credentials\n    conditions: {digest-only: high}\n', 'pii.http.cleartext-credentials', digest)
    expect([c.outcome, c.severity]).toEqual(['fail', 'high'])
  })

  it('without a profile mapping the condition takes the check\'s declared default, and the finding says so', () => {
    const f = findingWith('checks:\n  - id: http.unauth.sensitive-endpoint\n    severity: low\n', 'http.unauth.sensitive-endpoint', surface())
    expect(f.severity).toBe('critical')
    expect(f.severityRule).toEqual({condition: 'credential-fields', source: 'check'})
    // Without the condition, the profile's check severity applies and no rule is named.
    const plain = findingWith('checks:\n  - id: http.unauth.sensitive-endpoint\n    severity: low\n', 'http.unauth.sensitive-endpoint', surface({sensitiveEndpoints: [{url: 'u', path: '/api/status', status: 200, kind: 'api', why: 'w', contentType: 'application/json', credentialFields: false}]}))
    expect(plain.severity).toBe('low')
    expect(plain.severityRule).toBeUndefined()
  })

  it('profiles validate rejects an unknown condition or severity with file, line and field', () => {
    const unknown = profile('bad-condition.yaml', 'checks:\n  - id: http.unauth.sensitive-endpoint\n    conditions:\n      credential-field: high\n')
    expect(configErrorDetails(() => unknown.load())).toContain(`${unknown.file}:8:7 /checks/0/conditions/credential-field: no condition 'credential-field' on check http.unauth.sensitive-endpoint (known: credential-fields)`)
    const badSeverity = profile('bad-severity.yaml', 'checks:\n  - id: http.unauth.sensitive-endpoint\n    conditions:\n      credential-fields: huge\n')
    expect(() => badSeverity.load()).toThrow(ConfigError)
  })

  it('every declared condition has a description and a valid default; the baseline profile maps each one', () => {
    const baseline = resolveProfile()
    for (const check of ALL_CHECKS) {
      for (const [name, c] of Object.entries(check.conditions ?? {})) {
        expect(c.description.length, `${check.id}/${name}`).toBeGreaterThan(10)
        expect(SEVERITIES).toContain(c.defaultSeverity)
        expect(baseline.checks.find((s) => s.check.id === check.id)?.conditionSeverities?.[name], `${check.id}/${name} in the baseline`).toBe(c.defaultSeverity)
      }
    }
  })
})
