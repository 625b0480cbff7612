import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadDeclarationFile} from '../../src/declaration/load.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {knownRequirements} from '../../src/requirements/known.js'

const dir = mkdtempSync(join(tmpdir(), 'sg17scan-decl-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
function problems(path: string): string {
  try {
    loadDeclarationFile(path, knownRequirements())
  } catch (error) {
    if (error instanceof ConfigError) return `${error.message}\n${error.details.join('\n')}`
    throw error
  }
  throw new Error('expected a ConfigError')
}

const GOOD = `identity: {vendor: Acme, model: AC-410, firmware: 2.4.1}
claims:
  - {standard: ETSI EN 303 645, requirement: 5.1-1, support: supported}
  - {standard: EN 18031-1, requirement: GEC-6, support: not_applicable, justification: no input interface}
services:
  - {port: 443, transport: tcp, protocol: https, purpose: web administration, enabledByDefault: true}
accounts: {passwordScheme: user-set-at-first-use, users: [{name: admin, role: administrator}]}
crypto:
  - {interface: web administration, port: 443, protocol: https, encrypted: true, mechanisms: [TLSv1.2, TLSv1.3]}
encryptedManagementOnly: true
update: {mechanism: signed image, automatic: true}
supportPeriodEnd: 2031-12-31
vulnerabilityDisclosure: {contact: security@acme.example, url: "https://acme.example/security"}
`

describe('declaration files', () => {
  it('a complete declaration loads (YAML and JSON) and is recorded with its source and SHA-256', () => {
    const d = loadDeclarationFile(file('good.yaml', GOOD), knownRequirements())
    expect(d).toMatchObject({identity: {model: 'AC-410'}, accounts: {passwordScheme: 'user-set-at-first-use'}, source: join(dir, 'good.yaml')})
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/)
    const json = loadDeclarationFile(file('good.json', JSON.stringify({identity: {vendor: 'Acme'}, accounts: {passwordScheme: 'none'}})), knownRequirements())
    expect(json.accounts?.passwordScheme).toBe('none')
  })

  it('a bad field is named with file:line and its path', () => {
    const path = file('bad.yaml', 'identity: {vendor: Acme}\naccounts:\n  passwordScheme: default\nservices:\n  - {port: 99999, transport: tcp, protocol: ssh, purpose: x, enabledByDefault: true}\n')
    const text = problems(path)
    expect(text).toContain(`${path}:3:3 /accounts/passwordScheme: must be equal to one of the allowed values`)
    expect(text).toContain(`${path}:5:6 /services/0/port: must be <= 65535`)
  })

  it('a missing field and a claim without justification are named', () => {
    const path = file('missing.yaml', 'identity: {vendor: Acme}\nclaims:\n  - {standard: UK PSTI, requirement: Schedule 1 (2), support: not_supported}\n')
    expect(problems(path)).toContain(`${path}:3:5 /claims/0/justification: must have required property 'justification'`)
  })

  it('a claim about an unknown requirement or standard is refused', () => {
    const path = file('unknown.yaml', 'identity: {vendor: Acme}\nclaims:\n  - {standard: ETSI EN 303 645, requirement: 5.1-9, support: supported}\n  - {standard: EN 99999, requirement: X-1, support: supported}\n')
    const text = problems(path)
    expect(text).toContain(`/claims/0/requirement: ETSI EN 303 645 has no requirement '5.1-9'`)
    expect(text).toContain(`/claims/1/standard: unknown standard 'EN 99999'`)
  })

  it('secrets are never declared inline: the field is named, the value never repeated', () => {
    const path = file('secret.yaml', 'identity: {vendor: Acme}\naccounts:\n  passwordScheme: unique-per-device\n  users:\n    - {name: admin, password: hunter2-secret}\n')
    const text = problems(path)
    expect(text).toContain('secrets are never declared inline')
    expect(text).toContain(`${path}:5:21 /accounts/users/0/password`)
    expect(text).not.toContain('hunter2-secret')
  })

  it('the documented example (docs/examples/declaration.yaml) is a valid declaration', () => {
    const d = loadDeclarationFile(new URL('../../docs/examples/declaration.yaml', import.meta.url).pathname, knownRequirements())
    expect(d.claims).toHaveLength(4)
    expect(d.accounts?.passwordScheme).toBe('user-set-at-first-use')
  })
})
