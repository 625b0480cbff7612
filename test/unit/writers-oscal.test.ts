import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {OSCAL_VERSION, oscalWriter, PROP_NS, uuidFrom} from '../../src/writers/oscal.js'
import {ARTIFACT_MARKER, labReport, TRICKY, trickyReport} from '../helpers/writer-reports.js'
import {withRequirementTables} from '../helpers/requirement-report.js'

/** NIST OSCAL 1.2.1 assessment-results JSON Schema (draft-07), vendored; see test/vendor/schemas/SOURCE.md. */
const SCHEMA_PATH = fileURLToPath(new URL('../vendor/schemas/oscal_assessment-results_schema.json', import.meta.url))

/** RFC 4122 layout, version 4 or 5 (the only versions OSCAL's UUIDDatatype accepts), variant 10. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

interface Prop {
  name: string
  ns: string
  value: string
  class?: string
}
interface OscalObservation {
  uuid: string
  description: string
  methods: string[]
  types: string[]
  subjects: Array<{'subject-uuid': string; type: string}>
  'relevant-evidence'?: Array<{href: string; description: string}>
  collected: string
  props: Prop[]
}
interface OscalFinding {
  uuid: string
  title: string
  description: string
  props: Prop[]
  target: {type: string; 'target-id': string; status: {state: string}}
  'related-observations'?: Array<{'observation-uuid': string}>
}
interface OscalDoc {
  'assessment-results': {
    uuid: string
    metadata: {title: string; 'last-modified': string; version: string; 'oscal-version': string}
    'import-ap': {href: string}
    results: Array<{
      uuid: string
      start: string
      end: string
      'local-definitions'?: {'inventory-items': Array<{uuid: string; description: string; props: Prop[]}>}
      'reviewed-controls': {'control-selections': Array<Record<string, unknown>>}
      observations?: OscalObservation[]
      findings?: OscalFinding[]
    }>
    'back-matter': {resources: Array<{uuid: string; description: string; props: Prop[]}>}
  }
}

function validator() {
  // The schema is draft-07, so the default Ajv class (not Ajv2019/2020, not ajv-draft-04). strict: true compiles it
  // without warnings. unicodeRegExp stays at its default (true): TokenDatatype uses \p{L}/\p{N}, which need the
  // `u` flag; with unicodeRegExp: false every token would be rejected. ajv-formats supplies date-time, uri,
  // uri-reference and email.
  const ajv = new Ajv({allErrors: true, strict: true})
  addFormats(ajv)
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object)
}

const parse = (report: Report) => JSON.parse(oscalWriter.write(report)) as OscalDoc

/** Every string value of a JSON tree with the key that holds it. */
function* uuidValues(node: unknown, key = ''): Generator<[string, string]> {
  if (typeof node === 'string') {
    if (key === 'uuid' || key.endsWith('-uuid')) yield [key, node]
  } else if (Array.isArray(node)) {
    for (const item of node) yield* uuidValues(item, key)
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) yield* uuidValues(v, k)
  }
}

describe('oscal writer', () => {
  let lab: Report
  const validate = validator()
  beforeAll(async () => {
    lab = await labReport()
  })

  it('the vendored schema is the draft-07 OSCAL assessment-results schema this writer targets', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as {$schema: string; $id: string}
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(schema.$id).toContain(`/${OSCAL_VERSION}/`)
  })

  it.each([['lab'], ['tricky']])('output for the %s report validates against the official OSCAL schema', (which) => {
    const report = which === 'lab' ? lab : trickyReport()
    const doc = parse(report)
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true)
    const ar = doc['assessment-results']
    expect(ar.metadata['oscal-version']).toBe(OSCAL_VERSION)
    expect(ar.metadata['last-modified']).toBe(report.run.finishedAt)
    expect(ar.metadata.version).toBe(report.tool.version)
    expect(ar.results).toHaveLength(1)
    expect(ar.results[0].start).toBe(report.run.startedAt)
    expect(ar.results[0].end).toBe(report.run.finishedAt)
    expect(ar.results[0]['reviewed-controls']['control-selections']).toEqual([{'include-all': {}}])
  })

  it('the schema validator does reject broken documents (the validation is real)', () => {
    const bad = parse(trickyReport())
    bad['assessment-results'].uuid = 'not-a-uuid'
    expect(validate(bad)).toBe(false)
    const badState = parse(trickyReport())
    badState['assessment-results'].results[0].findings![0].target.status.state = 'failed'
    expect(validate(badState)).toBe(false)
    const badToken = parse(trickyReport())
    badToken['assessment-results'].results[0].findings![0].target['target-id'] = '1 bad token'
    expect(validate(badToken)).toBe(false)
  })

  it('uuidFrom gives RFC 4122 version-5-layout UUIDs, stable and distinct', () => {
    expect(uuidFrom('a')).toMatch(UUID)
    expect(uuidFrom('a')).toBe(uuidFrom('a'))
    expect(uuidFrom('a', 'bc')).not.toBe(uuidFrom('ab', 'c'))
    expect(uuidFrom('a')[14]).toBe('5')
  })

  it.each([['lab'], ['tricky']])('%s: every uuid is valid and unique, and two conversions give the same ones', (which) => {
    const report = which === 'lab' ? lab : trickyReport()
    const a = parse(report)
    const b = parse(structuredClone(report))
    expect(b).toEqual(a)
    const definitions = [...uuidValues(a)].filter(([k]) => k === 'uuid').map(([, v]) => v)
    for (const [, v] of uuidValues(a)) expect(v).toMatch(UUID)
    expect(new Set(definitions).size).toBe(definitions.length)
    // The document uuid is derived from the run id only.
    const rerun = structuredClone(report)
    rerun.run.id = `${report.run.id}-other`
    expect(parse(rerun)['assessment-results'].uuid).not.toBe(a['assessment-results'].uuid)
  })

  it.each([['lab'], ['tricky']])('%s: every reference resolves within the document', (which) => {
    const report = which === 'lab' ? lab : trickyReport()
    const ar = parse(report)['assessment-results']
    const result = ar.results[0]
    const observations = new Set((result.observations ?? []).map((o) => o.uuid))
    const items = new Set((result['local-definitions']?.['inventory-items'] ?? []).map((i) => i.uuid))
    const resources = new Set(ar['back-matter'].resources.map((r) => r.uuid))
    expect(ar['import-ap'].href.startsWith('#')).toBe(true)
    expect(resources.has(ar['import-ap'].href.slice(1))).toBe(true)
    for (const f of result.findings ?? []) for (const r of f['related-observations'] ?? []) expect(observations.has(r['observation-uuid'])).toBe(true)
    for (const o of result.observations ?? []) {
      for (const s of o.subjects) expect(items.has(s['subject-uuid'])).toBe(true)
      for (const e of o['relevant-evidence'] ?? []) expect(resources.has(e.href.slice(1))).toBe(true)
    }
  })

  it('maps the lab report: one inventory item per device, one observation per observation, pass/fail findings', () => {
    const result = parse(lab)['assessment-results'].results[0]
    expect(result['local-definitions']?.['inventory-items']).toHaveLength(lab.devices.length)
    expect(result.observations).toHaveLength(lab.devices.reduce((n, d) => n + d.observations.length, 0))
    const determined = lab.devices.flatMap((d) => d.findings.filter((f) => f.outcome === 'pass' || f.outcome === 'fail'))
    expect(result.findings).toHaveLength(determined.length)
    // Every finding that cites evidence the device holds is linked to it.
    for (const f of result.findings ?? []) expect(f['related-observations']?.length ?? 0).toBeGreaterThan(0)
    const item = result['local-definitions']!['inventory-items'][0]
    expect(item.props.filter((p) => p.name === 'service').map((p) => p.value)).toEqual(lab.devices[0].services.map((s) => s.id))
  })

  it('maps the tricky report: states, props, evidence links, hashes only', () => {
    const report = trickyReport()
    const text = oscalWriter.write(report)
    expect(text).not.toContain(ARTIFACT_MARKER)
    const ar = parse(report)['assessment-results']
    const result = ar.results[0]
    const findings = Object.fromEntries((result.findings ?? []).map((f) => [f.target['target-id'], f]))
    expect(Object.keys(findings).sort()).toEqual(
      ['custom.vendor-check', 'tls.cert.expired', 'tls.cert.weak-key', 'tls.cipher.weak', 'tls.kex.no-pq-hybrid', 'tls.protocol.legacy-enabled'],
    )
    expect(findings['tls.cipher.weak'].target).toMatchObject({type: 'objective-id', status: {state: 'not-satisfied'}})
    expect(findings['tls.protocol.legacy-enabled'].target.status.state).toBe('satisfied')
    const weak = findings['tls.cipher.weak']
    const props = (name: string) => weak.props.filter((p) => p.name === name).map((p) => p.value)
    expect(props('severity')).toEqual(['critical'])
    expect(props('reference')).toEqual([`ITU-T X.1352 ${TRICKY.reference.clause}`, 'CWE-326', 'RFC 9325 §4.1'])
    for (const p of weak.props) expect(p.ns).toBe(PROP_NS)
    // obs-…0002 is cited but not in the report: only the existing one is linked.
    expect(weak['related-observations']).toHaveLength(1)
    // Markup is escaped: no raw HTML tag from the message reaches an OSCAL viewer.
    expect(weak.description).not.toMatch(/(^|[^\\])</)
    expect(weak.description).toContain('\\<C \\& D\\>')
    expect(weak.title).toBe('@title, with "quotes" \\| and \\<tags\\>')
    const obs = result.observations!.find((o) => o.props.some((p) => p.value === 'obs-0000000000000001'))!
    expect(obs.methods).toEqual(['TEST'])
    expect(obs.types).toContain('finding')
    expect(obs.collected).toBe('2026-01-02T03:04:05.000Z')
    const sha = report.devices[0].observations[0].artifacts[0].sha256
    expect(obs['relevant-evidence']).toHaveLength(1)
    expect(obs['relevant-evidence']![0].description).toContain(sha)
    expect(obs['relevant-evidence']![0].description).toContain('certificate')
    const plan = ar['back-matter'].resources[0]
    expect(plan.description).toContain(report.run.profile.id)
    expect(plan.description).toContain(report.run.profile.sha256)
  })

  it('does not depend on the order of JSON keys or object identity (deterministic bytes)', () => {
    expect(oscalWriter.write(JSON.parse(JSON.stringify(lab)) as Report)).toBe(oscalWriter.write(lab))
  })
})

describe('oscal writer: requirement findings', () => {
  const validate = validator()
  let report: Report
  beforeAll(async () => {
    report = withRequirementTables(await labReport())
  })

  it('one finding per device × requirement, targeting the requirement, valid against the official schema', () => {
    const doc = parse(report)
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true)
    const all = doc['assessment-results'].results[0].findings!
    const req = all.filter((f) => f.props.some((p) => p.name === 'requirement-id'))
    expect(req).toHaveLength(report.devices.reduce((n, d) => n + (d.requirements?.length ?? 0), 0))
    const prop = (f: OscalFinding, name: string) => f.props.find((p) => p.name === name)?.value
    const camera = report.devices.find((d) => d.name === 'legacy-camera')!
    const failed = req.find((f) => prop(f, 'device-id') === camera.id && prop(f, 'requirement-id') === '5.5-1')!
    expect(failed.target).toMatchObject({type: 'objective-id', 'target-id': 'req-ETSI_EN_303_645-5.5-1', status: {state: 'not-satisfied', reason: 'fail'}})
    // Linked to the observations behind the failed findings that decided it.
    const observationIds = new Set(doc['assessment-results'].results[0].observations!.map((o) => o.uuid))
    expect(failed['related-observations']!.length).toBeGreaterThan(0)
    for (const r of failed['related-observations']!) expect(observationIds.has(r['observation-uuid'])).toBe(true)
    expect(req.filter((f) => prop(f, 'requirement-verdict') === 'not_assessed_remotely').every((f) => f.target.status.state === 'not-satisfied')).toBe(true)
  })
})
