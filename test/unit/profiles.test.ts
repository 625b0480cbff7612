import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ALL_CHECKS} from '../../checks/index.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {listBuiltInProfiles, loadProfileFile, resolveProfile} from '../../src/profiles/loader.js'

const dir = mkdtempSync(join(tmpdir(), 'sg17scan-profiles-'))
function profileFile(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

const HEADER = 'id: test-profile\nversion: "1"\ntitle: T\ndescription: D\n'

describe('built-in profiles', () => {
  it('load, validate and select existing checks', () => {
    const profiles = listBuiltInProfiles()
    expect(profiles.map((p) => p.id)).toEqual(['en-18031-1', 'etsi-en-303-645', 'itu-t-x1352-baseline', 'itu-t-x1352', 'mozilla-intermediate', 'uk-psti'])
    for (const p of profiles) {
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/)
      expect(p.checks.length).toBeGreaterThan(10)
    }
  })

  it('the default profile covers every TLS check except the ones it disables, each with an ITU-T reference', () => {
    const p = resolveProfile()
    const tls = ALL_CHECKS.filter((c) => c.family === 'tls').map((c) => c.id)
    const selected = p.checks.map((s) => s.check.id)
    expect(selected).not.toContain('tls.protocol.policy')
    expect(tls.filter((id) => !selected.includes(id))).toEqual(['tls.cipher.policy', 'tls.protocol.policy'])
    for (const s of p.checks) {
      expect(s.references.some((r) => r.framework === 'ITU-T' && r.id === 'X.1214')).toBe(true)
      expect(s.references.some((r) => r.framework === 'ITU-T' && r.id !== 'X.1214')).toBe(true)
    }
  })

  it('mozilla-intermediate sets a suite allow-list and a 366-day lifetime', () => {
    const p = resolveProfile('mozilla-intermediate')
    expect(p.thresholds.maxCertLifetimeDays).toBe(366)
    expect(p.thresholds.cipherSuites.allowed).toContain('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')
    expect(p.checks.find((s) => s.check.id === 'tls.cipher.policy')?.severity).toBe('medium')
  })
})

describe('profile errors name file, line and field', () => {
  it('unknown profile id', () => {
    expect(errorOf(() => resolveProfile('no-such-profile')).message).toMatch(/unknown profile 'no-such-profile'.*itu-t-x1352-baseline/)
  })

  it('broken YAML', () => {
    const file = profileFile('broken.yaml', `${HEADER}checks:\n  - id: tls.cipher.rc4\n    severity: [high\n`)
    const e = errorOf(() => loadProfileFile(file))
    expect(e.message).toContain('not valid YAML')
    expect(e.details.join('\n')).toMatch(new RegExp(`${file.replace(/[/.]/g, '\\$&')}:\\d+:\\d+`))
  })

  it('a wrong value points at its line', () => {
    const file = profileFile('bad-value.yaml', `${HEADER}thresholds:\n  minRsaBits: lots\nchecks:\n  - family: tls\n`)
    const e = errorOf(() => loadProfileFile(file))
    expect(e.details).toEqual([`${file}:6:3 /thresholds/minRsaBits: must be integer`])
  })

  it('an unknown field points at its line', () => {
    const file = profileFile('extra.yaml', `${HEADER}checks:\n  - id: tls.cipher.rc4\n    sevrity: high\n`)
    const e = errorOf(() => loadProfileFile(file))
    expect(e.details.join('\n')).toContain(`${file}:6:5 /checks/0: must NOT have additional properties ('sevrity')`)
  })

  it('an unknown check id points at its entry', () => {
    const file = profileFile('unknown-check.yaml', `${HEADER}checks:\n  - family: tls\n  - id: tls.cipher.rot13\n`)
    const e = errorOf(() => loadProfileFile(file))
    expect(e.details).toEqual([`${file}:7:5 /checks/1/id: unknown check 'tls.cipher.rot13' (see 'sg17scan checks list')`])
  })

  it('severity overrides and disabled checks apply in order', () => {
    const file = profileFile('ok.yaml', `${HEADER}checks:\n  - family: tls\n  - id: tls.cipher.rc4\n    severity: critical\n  - id: tls.kex.no-pq-hybrid\n    enabled: false\n`)
    const p = loadProfileFile(file)
    expect(p.checks.find((s) => s.check.id === 'tls.cipher.rc4')?.severity).toBe('critical')
    expect(p.checks.some((s) => s.check.id === 'tls.kex.no-pq-hybrid')).toBe(false)
  })
})
