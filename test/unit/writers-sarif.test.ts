import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {Report} from '../../src/evidence/types.js'
import {sarifWriter} from '../../src/writers/sarif.js'
import {findingCount, labReport, trickyReport} from '../helpers/writer-reports.js'
import {withRequirementTables} from '../helpers/requirement-report.js'

/** The official OASIS SARIF 2.1.0 schema (draft-04), vendored; see test/vendor/schemas/SOURCE.md. */
const SCHEMA_PATH = fileURLToPath(new URL('../vendor/schemas/sarif-schema-2.1.0.json', import.meta.url))

interface SarifResult {
  ruleId: string
  ruleIndex: number
  kind: string
  level: string
  message: {text: string}
  locations: Array<{physicalLocation: {artifactLocation: {uri: string; uriBaseId: string}}}>
  partialFingerprints: Record<string, string>
  properties: {evidence: string[]; deviceId: string; service: string; outcome: string}
}
interface SarifRule {
  id: string
  name: string
  shortDescription: {text: string}
  fullDescription: {text: string}
  help: {text: string}
  relationships?: Array<{target: {id: string; index: number; toolComponent: {name: string; index: number}}}>
  properties: {tags: string[]; 'security-severity': string; references: string[]}
}
interface SarifLog {
  $schema: string
  version: string
  runs: Array<{
    tool: {driver: {name: string; version: string; informationUri?: string; rules: SarifRule[]}}
    taxonomies?: Array<{name: string; taxa: Array<{id: string}>}>
    results: SarifResult[]
  }>
}

function validator() {
  // strictRequired off: the schema's anyOf branches require properties declared by the enclosing object (valid draft-04).
  const ajv = new Ajv({allErrors: true, strict: true, strictRequired: false})
  addFormats(ajv)
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object)
}

const parse = (report: Report) => JSON.parse(sarifWriter.write(report)) as SarifLog

describe('sarif writer', () => {
  let lab: Report
  const validate = validator()
  beforeAll(async () => {
    lab = await labReport()
  })

  it.each([['lab'], ['tricky']])('output for the %s report validates against the official SARIF 2.1.0 schema', (which) => {
    const report = which === 'lab' ? lab : trickyReport()
    const log = parse(report)
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true)
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
    expect(log.version).toBe('2.1.0')
    expect(log.runs).toHaveLength(1)
    expect(log.runs[0].results).toHaveLength(findingCount(report))
  })

  it('the schema validator does reject a broken log (the validation is real)', () => {
    const log = parse(trickyReport()) as unknown as {runs: Array<{results: Array<{kind: string}>}>}
    log.runs[0].results[0].kind = 'failed'
    expect(validate(log)).toBe(false)
  })

  it('describes the driver without any network URI and one rule per check in the report', () => {
    const run = parse(lab).runs[0]
    expect(run.tool.driver.name).toBe('sg17scan')
    expect(run.tool.driver.version).toBe(lab.tool.version)
    expect(run.tool.driver.informationUri).toBeUndefined()
    const checks = [...new Set([...lab.devices.flatMap((d) => d.findings.map((f) => f.check)), ...(lab.batch?.findings ?? []).map((f) => f.check)])].sort()
    expect(checks).toContain('tls.cert.shared-device-key')
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(checks)
    const rule = run.tool.driver.rules.find((r) => r.id === 'tls.cipher.null-or-export')
    const meta = checkById('tls.cipher.null-or-export')
    expect(rule?.fullDescription.text).toBe(meta?.description)
    expect(rule?.help.text).toBe(meta?.remediation)
    expect(rule?.shortDescription.text).toBe(meta?.title)
    expect(rule?.properties['security-severity']).toBe('9.5')
    expect(rule?.properties.tags).toContain('security')
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId)
  })

  it('falls back to the title for checks this build does not know', () => {
    const rule = parse(trickyReport()).runs[0].tool.driver.rules.find((r) => r.id === 'custom.vendor-check')
    expect(rule?.fullDescription.text).toBe('A check this build does not know')
    expect(rule?.help.text).toBe('A check this build does not know')
    expect(rule?.properties['security-severity']).toBe('5.5')
    expect(rule?.properties.references).toEqual(['NIST SP 800-52r2'])
  })

  it('maps security-severity from the worst effective severity of the check', () => {
    const rules = Object.fromEntries(parse(trickyReport()).runs[0].tool.driver.rules.map((r) => [r.id, r.properties['security-severity']]))
    expect(rules).toMatchObject({
      'tls.cipher.weak': '9.5',
      'tls.cert.expired': '8.0',
      'tls.cipher.rc4': '8.0',
      'tls.protocol.legacy-enabled': '5.5',
      'tls.cert.weak-key': '3.0',
      'tls.kex.no-pq-hybrid': '0.0',
    })
  })

  it('builds one taxonomy per framework that appears, and rule relationships that resolve to its taxa', () => {
    const run = parse(trickyReport()).runs[0]
    expect(run.taxonomies?.map((t) => t.name)).toEqual(['ITU-T', 'ETSI EN 303 645', 'CWE', 'RFC', 'NIST'])
    const weak = run.tool.driver.rules.find((r) => r.id === 'tls.cipher.weak')
    expect(weak?.relationships?.length).toBe(3)
    for (const rule of run.tool.driver.rules) {
      for (const rel of rule.relationships ?? []) {
        const taxonomy = run.taxonomies?.[rel.target.toolComponent.index]
        expect(taxonomy?.name).toBe(rel.target.toolComponent.name)
        expect(taxonomy?.taxa[rel.target.index].id).toBe(rel.target.id)
      }
    }
    expect(weak?.properties.tags).toEqual(['security', 'tls', 'external/cwe/cwe-326'])
  })

  it('maps outcomes to kind and level per SARIF §3.27.9–10', () => {
    const results = Object.fromEntries(parse(trickyReport()).runs[0].results.map((r) => [r.ruleId, [r.kind, r.level]]))
    expect(results).toEqual({
      'tls.cipher.weak': ['fail', 'error'],
      'tls.cert.expired': ['fail', 'error'],
      'tls.cert.weak-key': ['fail', 'note'],
      'tls.kex.no-pq-hybrid': ['fail', 'note'],
      'custom.vendor-check': ['fail', 'warning'],
      'tls.protocol.legacy-enabled': ['pass', 'none'],
      'tls.cert.lifetime-excessive': ['review', 'none'],
      'tls.cipher.rc4': ['open', 'none'],
      'scan.reachability': ['open', 'none'],
      'tls.cert.weak-signature': ['notApplicable', 'none'],
      'tls.ems.missing': ['notApplicable', 'none'],
    })
  })

  it('locates results relative to DEVICES, never with an absolute URI', () => {
    const results = parse(trickyReport()).runs[0].results
    const weak = results.find((r) => r.ruleId === 'tls.cipher.weak')
    expect(weak?.locations[0].physicalLocation.artifactLocation).toEqual({uri: 'devices/cam-1/tcp/443', uriBaseId: 'DEVICES'})
    expect(weak?.message.text).toBe(trickyReport().devices[0].findings[0].message)
    expect(weak?.properties.evidence).toEqual(['obs-0000000000000001', 'obs-0000000000000002'])
    const reach = results.find((r) => r.ruleId === 'scan.reachability')
    expect(reach?.locations[0].physicalLocation.artifactLocation.uri).toBe('devices/198.51.100.7')
    const batchChecks = new Set((lab.batch?.findings ?? []).map((f) => f.check))
    for (const r of parse(lab).runs[0].results) {
      const uris = r.locations.map((l) => l.physicalLocation.artifactLocation.uri)
      // Device-scope checks (identity) are about the device, not one of its services: their location stops there;
      // a batch finding names every device it concerns.
      const deviceOnly = r.ruleId.startsWith('identity.') || batchChecks.has(r.ruleId)
      for (const uri of uris) {
        expect(uri).toMatch(deviceOnly ? /^devices\/[^/:]+$/ : /^devices\/[^/:]+\/(tcp|udp)\/\d+$/)
        expect(uri).not.toMatch(/^[a-z]+:/i)
      }
      if (batchChecks.has(r.ruleId)) expect(uris).toHaveLength(lab.batch!.findings.find((f) => f.check === r.ruleId)!.devices.length)
    }
  })

  it('fingerprints results by device, service and check: stable across runs, distinct within one', () => {
    const a = parse(lab).runs[0].results
    // Another run of the same scan: different run id and times, same devices/services/checks.
    const rerun = structuredClone(lab)
    rerun.run.id = 'another-run'
    rerun.run.startedAt = '2030-01-01T00:00:00.000Z'
    for (const d of rerun.devices) for (const f of d.findings) f.message = `${f.message} (changed)`
    const b = parse(rerun).runs[0].results
    expect(b.map((r) => r.partialFingerprints)).toEqual(a.map((r) => r.partialFingerprints))
    const prints = a.map((r) => r.partialFingerprints['sg17scan/v1'])
    expect(new Set(prints).size).toBe(prints.length)
    const first = lab.devices[0]
    const f = first.findings[0]
    const expected = createHash('sha256').update(`${first.id}\u0000${f.service}\u0000${f.check}`).digest('hex')
    expect(a[0].partialFingerprints).toEqual({'sg17scan/v1': expected})
  })

  it('does not depend on the run order of JSON keys or object identity (deterministic bytes)', () => {
    expect(sarifWriter.write(JSON.parse(JSON.stringify(lab)) as Report)).toBe(sarifWriter.write(lab))
  })
})

describe('sarif writer: requirement ids', () => {
  const validate = validator()
  it('each rule names the requirements whose network-testable part its check assesses; the log stays valid', async () => {
    const report = withRequirementTables(await labReport())
    const log = parse(report)
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true)
    const rules = (log.runs[0] as unknown as {tool: {driver: {rules: Array<{id: string; properties: {requirements?: string[]}}>}}}).tool.driver.rules
    const rule = (id: string) => rules.find((r) => r.id === id)!
    expect(rule('tls.cipher.weak').properties.requirements).toEqual(expect.arrayContaining(['ETSI EN 303 645 5.5-1', 'ETSI EN 303 645 5.1-3']))
    expect(rule('cred.default.ssh').properties.requirements).toContain('ETSI EN 303 645 5.1-1')
    // Without requirement tables the rules are as before.
    expect(parse(await labReport()).runs[0]).not.toHaveProperty('tool.driver.rules.0.properties.requirements')
  })
})
