import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Declaration} from '../../src/declaration/types.js'
import type {Finding} from '../../src/evidence/types.js'
import {loadProfileFile, resolveProfile} from '../../src/profiles/loader.js'
import {requirementCoverage} from '../../src/requirements/coverage.js'
import {evaluateRequirement} from '../../src/requirements/evaluate.js'
import type {ObservedServices, RequirementDef, RequirementInputs} from '../../src/requirements/types.js'
import {configErrorDetails} from '../helpers/config-error.js'

const f = (check: string, outcome: Finding['outcome'], service = 'ssh://192.0.2.1:22', message = `${check} ${outcome}`): Finding => ({
  check, title: check, outcome, severity: 'high', service, message, evidence: [`obs-${check}`], references: [],
})
const def = (rule: RequirementDef['rule'], checks: string[] = [], extra: Partial<RequirementDef> = {}): RequirementDef => ({
  standard: 'ETSI EN 303 645', id: '5.1-1', title: 'T', level: 'mandatory', checks, declaration: [], rule, ...extra,
})
const seen = (services: ObservedServices['services'] = [], complete = false): ObservedServices => ({services, complete, evidence: [], scope: complete ? 'TCP: connect scan of 1-65535' : 'no port discovery ran', method: complete ? 'a discovery covered every TCP port' : 'only the services given as targets were probed'})
const inputs = (findings: Finding[], more: Partial<RequirementInputs> = {}): RequirementInputs => ({findings, observedServices: seen(), ...more})
const decl = (d: Partial<Declaration>): Declaration => ({identity: {vendor: 'Acme', model: 'X1'}, ...d})
const CRED = ['cred.default.ssh', 'cred.weak.dictionary']

describe('requirement rules', () => {
  it('checks: a fail decides; gaps are inconclusive; a pass needs a passed finding; nothing run is inconclusive', () => {
    const d = def('checks', ['ssh.kex.weak', 'ssh.cipher.weak'])
    const failed = evaluateRequirement(d, inputs([f('ssh.kex.weak', 'pass'), f('ssh.cipher.weak', 'fail')]))
    expect(failed.verdict).toBe('fail')
    expect(failed.decidedBy.findings).toEqual(['ssh.cipher.weak@ssh://192.0.2.1:22'])
    expect(evaluateRequirement(d, inputs([f('ssh.kex.weak', 'pass'), f('ssh.cipher.weak', 'error')])).verdict).toBe('inconclusive')
    expect(evaluateRequirement(d, inputs([f('ssh.kex.weak', 'pass'), f('ssh.cipher.weak', 'pass')])).verdict).toBe('pass')
    expect(evaluateRequirement(d, inputs([f('ssh.kex.weak', 'not_applicable')])).verdict).toBe('not_applicable')
    const none = evaluateRequirement(d, inputs([f('tls.cipher.rc4', 'fail')]))
    expect(none.verdict).toBe('not_applicable')
    expect(none.reason).toContain('none of its checks')
  })

  it('checks: an intrusive check left out by policy makes the requirement inconclusive, naming --intrusive', () => {
    const r = evaluateRequirement(def('checks', ['cred.default.ssh']), inputs([f('cred.default.ssh', 'not_tested')]))
    expect(r.verdict).toBe('inconclusive')
    expect(r.reason).toContain('--intrusive')
  })

  it('password-scheme: a default login that worked fails and names the contradicted declared scheme', () => {
    const r = evaluateRequirement(def('password-scheme', CRED), inputs([f('cred.default.ssh', 'fail'), f('cred.weak.dictionary', 'pass')], {declaration: decl({accounts: {passwordScheme: 'unique-per-device'}})}))
    expect(r.verdict).toBe('fail')
    expect(r.reason).toContain("contradicts the declared password scheme 'unique-per-device'")
    expect(r.decidedBy).toMatchObject({findings: ['cred.default.ssh@ssh://192.0.2.1:22'], declaration: ['accounts.passwordScheme']})
  })

  it('password-scheme: logins that resisted pass only with a declared unique or user-set scheme', () => {
    const passed = [f('cred.default.ssh', 'pass'), f('cred.weak.dictionary', 'pass')]
    expect(evaluateRequirement(def('password-scheme', CRED), inputs(passed)).verdict).toBe('inconclusive')
    const r = evaluateRequirement(def('password-scheme', CRED), inputs(passed, {declaration: decl({accounts: {passwordScheme: 'user-set-at-first-use'}})}))
    expect(r.verdict).toBe('pass')
    expect(r.decidedBy.declaration).toEqual(['accounts.passwordScheme'])
  })

  it('declared-services: an undeclared service fails; all declared without a full discovery is inconclusive; with one it passes', () => {
    const services = [{port: 22, transport: 'tcp' as const, protocol: 'ssh', source: 'ssh://x:22'}, {port: 23, transport: 'tcp' as const, protocol: 'telnet', source: 'telnet://x:23'}]
    const declaration = decl({services: [{port: 22, transport: 'tcp', protocol: 'ssh', purpose: 'admin', enabledByDefault: true}]})
    const failed = evaluateRequirement(def('declared-services'), inputs([], {declaration, observedServices: seen(services)}))
    expect(failed.verdict).toBe('fail')
    expect(failed.reason).toContain('telnet on 23/tcp is not declared')
    expect(evaluateRequirement(def('declared-services'), inputs([], {observedServices: seen(services)})).verdict).toBe('inconclusive')
    expect(evaluateRequirement(def('declared-services'), inputs([], {declaration, observedServices: seen(services.slice(0, 1))})).verdict).toBe('inconclusive')
    expect(evaluateRequirement(def('declared-services'), inputs([], {declaration, observedServices: seen(services.slice(0, 1), true)})).verdict).toBe('pass')
  })

  it('shared-keys: a batch finding naming the device fails; a pass needs another sample of the same model', () => {
    const d = def('shared-keys', ['tls.cert.shared-device-key'])
    expect(evaluateRequirement(d, inputs([])).verdict).toBe('inconclusive')
    const shared = {check: 'tls.cert.shared-device-key', title: 't', outcome: 'fail' as const, severity: 'high' as const, message: '2 devices present the same TLS key', devices: ['a', 'b'], evidence: [], references: []}
    const failed = evaluateRequirement(d, inputs([], {batch: {findings: [shared], otherDevices: 1, sameModelPeers: 1, keys: 1}}))
    expect(failed.verdict).toBe('fail')
    expect(failed.decidedBy.findings).toEqual(['batch:tls.cert.shared-device-key'])
    const passed = {...shared, outcome: 'pass' as const, devices: []}
    expect(evaluateRequirement(d, inputs([], {batch: {findings: [passed], otherDevices: 3, sameModelPeers: 0, keys: 1}})).verdict).toBe('inconclusive')
    expect(evaluateRequirement(d, inputs([], {batch: {findings: [passed], otherDevices: 3, sameModelPeers: 1, keys: 1}})).verdict).toBe('pass')
  })

  it('checks+declared-crypto: a cleartext service on an interface declared encrypted fails with the declaration item', () => {
    const d = def('checks+declared-crypto', ['svc.telnet.exposed'])
    const declaration = decl({crypto: [{interface: 'CLI', port: 23, protocol: 'ssh', encrypted: true}]})
    const r = evaluateRequirement(d, inputs([f('svc.telnet.exposed', 'pass', 'telnet://x:23')], {declaration, observedServices: seen([{port: 23, transport: 'tcp', protocol: 'telnet', source: 't'}])}))
    expect(r.verdict).toBe('fail')
    expect(r.decidedBy.declaration).toEqual(['crypto[0]'])
    // An HTTP port that only redirects and SNMPv3 are not cleartext management, even with encryptedManagementOnly.
    const quiet = evaluateRequirement(d, inputs([f('svc.telnet.exposed', 'not_applicable', 'http://x:80'), f('snmp.v1v2c.enabled', 'pass', 'snmp://x:161')], {
      declaration: decl({encryptedManagementOnly: true}),
      observedServices: seen([{port: 80, transport: 'tcp', protocol: 'http', source: 'http://x:80'}, {port: 161, transport: 'udp', protocol: 'snmp', source: 'snmp://x:161'}]),
    }))
    expect(quiet.verdict).not.toBe('fail')
    const v1 = evaluateRequirement(d, inputs([f('snmp.v1v2c.enabled', 'fail', 'snmp://x:161')], {
      declaration: decl({encryptedManagementOnly: true}),
      observedServices: seen([{port: 161, transport: 'udp', protocol: 'snmp', source: 'snmp://x:161'}]),
    }))
    expect(v1).toMatchObject({verdict: 'fail', decidedBy: {declaration: ['encryptedManagementOnly']}})
  })

  it('checks+declared-crypto: TLS versions accepted beyond the declared mechanisms of an interface fail with the declaration item', () => {
    const d = def('checks+declared-crypto', ['tls.cipher.rc4'])
    const declaration = decl({crypto: [{interface: 'web admin', port: 443, protocol: 'https', encrypted: true, mechanisms: ['TLSv1.2', 'TLSv1.3']}]})
    const observedServices = seen([{port: 443, transport: 'tcp', protocol: 'https', source: 'https://x:443'}])
    const protocols = (v10: boolean) => ({id: 'obs-p', service: 'https://x:443', probe: 'tls.protocols', collectedAt: '', artifacts: [], data: {SSLv2: false, SSLv3: false, 'TLSv1.0': v10, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true}})
    const r = evaluateRequirement(d, inputs([f('tls.cipher.rc4', 'pass', 'https://x:443')], {declaration, observedServices, observations: [protocols(true)]}))
    expect(r.verdict).toBe('fail')
    expect(r.reason).toContain('accepts TLSv1.0 but crypto[0] (web admin) declares only TLSv1.2, TLSv1.3')
    expect(r.decidedBy.declaration).toEqual(['crypto[0]'])
    expect(evaluateRequirement(d, inputs([f('tls.cipher.rc4', 'pass', 'https://x:443')], {declaration, observedServices, observations: [protocols(false)]})).verdict).toBe('pass')
  })

  it('documentation: never decided by a test; a declared claim can make it not applicable or (mandatory, not supported) fail', () => {
    const d = def('documentation', [], {id: '5.2-1', declaration: ['vulnerabilityDisclosure']})
    const listed = evaluateRequirement(d, inputs([], {declaration: decl({vulnerabilityDisclosure: {contact: 'psirt@example.com'}})}))
    expect(listed.verdict).toBe('not_assessed_remotely')
    expect(listed.decidedBy.declaration).toEqual(['vulnerabilityDisclosure'])
    const claims = (support: 'not_applicable' | 'not_supported') => decl({claims: [{standard: 'ETSI EN 303 645', requirement: '5.2-1', support, justification: 'why'}]})
    expect(evaluateRequirement(d, inputs([], {declaration: claims('not_applicable')})).verdict).toBe('not_applicable')
    const failed = evaluateRequirement(d, inputs([], {declaration: claims('not_supported')}))
    expect(failed.verdict).toBe('fail')
    expect(failed.decidedBy.declaration).toEqual(['claims[0]'])
    expect(evaluateRequirement({...d, level: 'recommended'}, inputs([], {declaration: claims('not_supported')})).verdict).toBe('not_applicable')
  })

  it('a failed test stands over a declared not-applicable claim', () => {
    const d = def('checks', ['ssh.kex.weak'])
    const declaration = decl({claims: [{standard: 'ETSI EN 303 645', requirement: '5.1-1', support: 'not_applicable', justification: 'x'}]})
    expect(evaluateRequirement(d, inputs([f('ssh.kex.weak', 'fail')], {declaration})).verdict).toBe('fail')
  })
})

describe('whole-standard profiles', () => {
  it('list every requirement the reference material names, with a rule each', () => {
    const counts = Object.fromEntries(['etsi-en-303-645', 'en-18031-1', 'uk-psti', 'itu-t-x1352'].map((id) => [id, requirementCoverage(resolveProfile(id).requirements)]))
    expect(counts['etsi-en-303-645']).toMatchObject({requirements: 68, mandatory: 32, recommended: 35})
    expect(counts['en-18031-1']!.requirements).toBe(34)
    expect(counts['uk-psti']).toMatchObject({requirements: 3, networkTestable: 1})
    expect(counts['itu-t-x1352']!.requirements).toBe(17)
    const en = resolveProfile('etsi-en-303-645').requirements
    expect(en.find((r) => r.id === '5.1-1')).toMatchObject({rule: 'password-scheme', level: 'mandatory'})
    expect(en.find((r) => r.id === '5.4-4')?.rule).toBe('shared-keys')
    expect(resolveProfile('en-18031-1').requirements.find((r) => r.id === 'CCK-3')?.checks).toEqual(['tls.cert.shared-device-key', 'ssh.hostkey.shared'])
  })

  it('profiles validate rejects a requirement without a rule, naming file:line and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17scan-req-'))
    const file = join(dir, 'p.yaml')
    writeFileSync(file, 'id: t\nversion: "1"\ntitle: T\ndescription: D\nstandard: {name: S, source: here}\nchecks:\n  - family: ssh\nrequirements:\n  - id: R-1\n    title: ok\n    rule: checks\n    checks: [ssh.kex.weak]\n  - id: R-2\n    title: no rule\n')
    expect(configErrorDetails(() => loadProfileFile(file))).toContain(`${file}:13:5 /requirements/1/rule: must have required property 'rule'`)
  })

  it('profiles validate rejects a requirement check the profile does not select', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17scan-req-'))
    const file = join(dir, 'p.yaml')
    writeFileSync(file, 'id: t\nversion: "1"\ntitle: T\ndescription: D\nstandard: {name: S, source: here}\nchecks:\n  - family: ssh\nrequirements:\n  - id: R-1\n    title: ok\n    rule: checks\n    checks: [tls.cipher.rc4]\n')
    expect(() => loadProfileFile(file)).toThrow(/p\.yaml:12:14 \/requirements\/0\/checks\/0: check 'tls.cipher.rc4' is not selected/)
  })
})
