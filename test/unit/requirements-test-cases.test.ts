/**
 * ETSI TS 103 701 test cases named by the etsi-en-303-645 profile (as encoded by ouspg/tcsfw's TS 103 701 data:
 * docs/standards.md): every provision has its test cases, each numbered <provision>-<sequence>, with its kind and
 * units; the coverage counts them; a test case of another provision is rejected with file:line.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ConfigError} from '../../src/profiles/errors.js'
import {loadProfileFile, resolveProfile} from '../../src/profiles/loader.js'
import {requirementCoverage, testCaseLine} from '../../src/requirements/coverage.js'
import {evaluateRequirement} from '../../src/requirements/evaluate.js'
import {configErrorDetails} from '../helpers/config-error.js'

describe('TS 103 701 test cases in the etsi-en-303-645 profile', () => {
  const defs = resolveProfile('etsi-en-303-645').requirements

  it('every provision names its test cases, numbered <provision>-<n>, with kind and units', () => {
    for (const d of defs) {
      expect(d.testCases?.length, d.id).toBeGreaterThan(0)
      d.testCases!.forEach((t, i) => expect([d.id, t.id]).toEqual([d.id, `${d.id}-${i + 1}`]))
    }
    const at = (id: string) => defs.find((d) => d.id === id)!.testCases
    expect(at('5.1-1')).toEqual([{id: '5.1-1-1', kind: 'conceptual', units: ['a']}, {id: '5.1-1-2', kind: 'functional', units: ['a', 'b', 'c']}])
    expect(at('5.6-1')).toEqual([{id: '5.6-1-1', kind: 'conceptual', units: ['a']}, {id: '5.6-1-2', kind: 'functional', units: ['a', 'b']}])
    // Not every provision has a conceptual -1 and a functional -2: some have one case only, of either kind.
    expect(at('5.4-4')).toEqual([{id: '5.4-4-1', kind: 'conceptual', units: ['a', 'b']}])
    expect(at('5.8-3')).toEqual([{id: '5.8-3-1', kind: 'functional', units: ['a', 'b', 'c']}])
    expect(at('5.3-10')).toEqual([{id: '5.3-10-1', kind: 'conceptual/functional', units: ['a', 'b', 'c']}])
  })

  it('coverage counts the test cases and the functional units of network-testable provisions', () => {
    const c = requirementCoverage(defs)
    expect(c.testCases).toEqual({cases: 109, conceptualUnits: 124, functionalUnits: 102, functionalUnitsNetworkTestable: 23})
    expect(testCaseLine(c)).toBe('109 test cases: 102 functional units (23 of them in network-testable requirements), 124 conceptual units')
    expect(requirementCoverage(resolveProfile('en-18031-1').requirements).testCases).toBeUndefined()
  })

  it('profiles validate rejects a test case of another requirement, naming file:line and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17scan-tc-'))
    const file = join(dir, 'p.yaml')
    writeFileSync(file, 'id: t\nversion: "1"\ntitle: T\ndescription: D\nstandard: {name: S, source: here}\nchecks:\n  - family: ssh\nrequirements:\n  - id: "5.1-1"\n    title: ok\n    rule: documentation\n    testCases:\n      - {id: "5.1-2-1", kind: conceptual, units: [a]}\n')
    expect(configErrorDetails(() => loadProfileFile(file))).toMatch(/p\.yaml:13:\d+ \/requirements\/0\/testCases\/0\/id: test case '5\.1-2-1' is not one of requirement '5\.1-1'/)
    writeFileSync(file, 'id: t\nversion: "1"\ntitle: T\ndescription: D\nstandard: {name: S, source: here}\nchecks:\n  - family: ssh\nrequirements:\n  - id: "5.1-1"\n    title: ok\n    rule: documentation\n    testCases:\n      - {id: "5.1-1-1", kind: both, units: [a]}\n')
    expect(() => loadProfileFile(file)).toThrow(ConfigError)
  })
})

describe('requirements no network test decides say why (notRemote)', () => {
  it.each([['etsi-en-303-645', '5.13-1', 'a robustness test campaign'], ['en-18031-1', 'GEC-6', 'a robustness test campaign'], ['etsi-en-303-645', '5.2-3', 'vulnerability databases'], ['en-18031-1', 'GEC-1', 'vulnerability databases']])('%s %s: not assessed remotely, with the reason', (profile, id, why) => {
    const def = resolveProfile(profile).requirements.find((d) => d.id === id)!
    const r = evaluateRequirement(def, {findings: [], observedServices: {services: [], complete: false, evidence: [], scope: '', method: ''}})
    expect(r.verdict).toBe('not_assessed_remotely')
    expect(r.reason).toContain(why)
  })

  it('profiles validate rejects notRemote on a requirement a test decides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17scan-nr-'))
    const file = join(dir, 'p.yaml')
    writeFileSync(file, 'id: t\nversion: "1"\ntitle: T\ndescription: D\nstandard: {name: S, source: here}\nchecks:\n  - family: ssh\nrequirements:\n  - id: R-1\n    title: ok\n    rule: checks\n    checks: [ssh.kex.weak]\n    notRemote: because\n')
    expect(() => loadProfileFile(file)).toThrow(ConfigError)
  })
})
