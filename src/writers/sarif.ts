import {createHash} from 'node:crypto'

import {checkById} from '../../checks/index.js'
import {FRAMEWORKS, type Device, type Finding, type Framework, type Observation, type Outcome, type Reference, type Report, type Severity} from '../evidence/types.js'
import {allFindings, compareStrings, formatReference, serviceOf, severityWeight, coverageOf} from './shared.js'
import {findingCoverage} from '../engine/coverage.js'
import type {Writer} from './types.js'
import {requirementIdsByCheck} from './requirements.js'

/** GitHub code scanning reads `security-severity` (a number as a string, 0.0–10.0) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = {critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0'}

type Level = 'error' | 'warning' | 'note' | 'none'
type Kind = 'fail' | 'pass' | 'open' | 'review' | 'notApplicable'

const LEVEL: Record<Severity, Level> = {critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note'}

/**
 * SARIF 2.1.0 §3.27.9 (result.kind):
 * - `error` (a probe failed or a service was unreachable, so the check never saw the data it needs) → "open":
 *   "the tool could not determine whether the problem exists"; only another run that reaches the service can
 *   close it, a human reading the evidence cannot (there is none).
 * - `inconclusive` (the check ran on collected evidence but could not classify part of it, e.g. an unreadable
 *   certificate date) → "review": "the result requires review by a human user to decide if it represents a
 *   problem"; the evidence ids point at the artifacts that person reads.
 * §3.27.10: when kind is anything but "fail", level SHALL be "none".
 */
const KIND: Record<Outcome, Kind> = {
  fail: 'fail',
  pass: 'pass',
  error: 'open',
  inconclusive: 'review',
  not_tested: 'notApplicable',
  not_applicable: 'notApplicable',
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'
export const FINGERPRINT_KEY = 'sg17scan/v1'
export const URI_BASE_ID = 'DEVICES'

/** A taxon of a framework's taxonomy: one document, or one clause of it. */
const taxonId = (ref: Reference) => (ref.clause ? `${ref.id} ${ref.clause}` : ref.id)

/** "tls.cert.weak-key" → "TlsCertWeakKey": SARIF wants a rule name that is an identifier distinct from the id. */
const ruleName = (id: string) =>
  id
    .split(/[.\-_]/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')

/** Stable across runs (no run id, no address beyond what the report's service id holds). */
export function fingerprint(device: Device, finding: Finding): string {
  return createHash('sha256').update(`${device.id}\u0000${finding.service}\u0000${finding.check}`).digest('hex')
}

/** `devices/<device id>/<transport>/<port>` relative to the DEVICES base; device-level findings stop at the device. */
export function locationUri(device: Device, finding: Finding): string {
  const service = serviceOf(device, finding)
  const base = `devices/${encodeURIComponent(device.id)}`
  return service ? `${base}/${service.transport}/${service.port}` : base
}

interface RuleInfo {
  id: string
  title: string
  severity: Severity
  references: Reference[]
}

function collectRules(report: Report): RuleInfo[] {
  const byId = new Map<string, RuleInfo>()
  for (const finding of [...allFindings(report).map((x) => x.finding), ...(report.batch?.findings ?? [])]) {
    let rule = byId.get(finding.check)
    if (!rule) {
      rule = {id: finding.check, title: finding.title, severity: finding.severity, references: []}
      byId.set(finding.check, rule)
    }
    // The rule carries the worst effective severity the profile gave this check in the report.
    if (severityWeight(finding.severity) > severityWeight(rule.severity)) rule.severity = finding.severity
    for (const ref of finding.references) {
      if (!rule.references.some((r) => r.framework === ref.framework && taxonId(r) === taxonId(ref))) rule.references.push(ref)
    }
  }
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id))
}

function collectTaxonomies(rules: RuleInfo[]): Array<{framework: Framework; taxa: Array<{id: string; ref: Reference}>}> {
  return FRAMEWORKS.map((framework) => {
    const taxa = new Map<string, Reference>()
    for (const rule of rules) for (const ref of rule.references) if (ref.framework === framework) taxa.set(taxonId(ref), ref)
    return {framework, taxa: [...taxa.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([id, ref]) => ({id, ref}))}
  }).filter((t) => t.taxa.length > 0)
}

function toSarif(report: Report): object {
  const rules = collectRules(report)
  const taxonomies = collectTaxonomies(rules)
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  const requirementsOf = requirementIdsByCheck(report)

  const sarifTaxonomies = taxonomies.map(({framework, taxa}) => ({
    name: framework,
    taxa: taxa.map(({id, ref}) => ({id, name: ref.id, shortDescription: {text: formatReference(ref)}})),
  }))

  const sarifRules = rules.map((rule) => {
    const meta = checkById(rule.id)
    const cweTags = rule.references
      .filter((r) => r.framework === 'CWE' && /^CWE-\d+$/.test(r.id))
      .map((r) => `external/cwe/${r.id.toLowerCase()}`)
    const tags = [...new Set(['security', ...(meta ? [meta.family] : []), ...cweTags])]
    const relationships = rule.references.map((ref) => {
      const t = taxonomies.findIndex((x) => x.framework === ref.framework)
      const id = taxonId(ref)
      return {
        target: {id, index: taxonomies[t].taxa.findIndex((x) => x.id === id), toolComponent: {name: ref.framework, index: t}},
        kinds: ['relevant'],
      }
    })
    return {
      id: rule.id,
      name: ruleName(rule.id),
      shortDescription: {text: rule.title},
      fullDescription: {text: meta?.description ?? rule.title},
      help: {text: meta?.remediation ?? rule.title},
      defaultConfiguration: {level: LEVEL[rule.severity]},
      ...(relationships.length > 0 ? {relationships} : {}),
      properties: {
        tags,
        'security-severity': SECURITY_SEVERITY[rule.severity],
        references: rule.references.map(formatReference),
        ...(requirementsOf.has(rule.id) ? {requirements: requirementsOf.get(rule.id)} : {}),
      },
    }
  })

  const results: object[] = allFindings(report).map(({device, finding}) => {
    const kind = KIND[finding.outcome]
    return {
      ruleId: finding.check,
      ruleIndex: ruleIndex.get(finding.check),
      kind,
      level: kind === 'fail' ? LEVEL[finding.severity] : 'none',
      message: {text: finding.message || finding.title},
      locations: [{physicalLocation: {artifactLocation: {uri: locationUri(device, finding), uriBaseId: URI_BASE_ID}}}],
      partialFingerprints: {[FINGERPRINT_KEY]: fingerprint(device, finding)},
      properties: {
        deviceId: device.id,
        ...(device.name !== undefined ? {deviceName: device.name} : {}),
        service: finding.service,
        outcome: finding.outcome,
        severity: finding.severity,
        evidence: finding.evidence,
        coverage: findingCoverage(finding, partialObservations(device)),
      },
    }
  })

  // Batch findings (one key on several devices …) are about several devices at once: one location each.
  for (const finding of report.batch?.findings ?? []) {
    const kind = KIND[finding.outcome]
    results.push({
      ruleId: finding.check,
      ruleIndex: ruleIndex.get(finding.check),
      kind,
      level: kind === 'fail' ? LEVEL[finding.severity] : 'none',
      message: {text: finding.message || finding.title},
      locations: finding.devices.map((id) => ({physicalLocation: {artifactLocation: {uri: `devices/${encodeURIComponent(id)}`, uriBaseId: URI_BASE_ID}}})),
      partialFingerprints: {[FINGERPRINT_KEY]: createHash('sha256').update(`batch\u0000${finding.check}\u0000${finding.devices.join('\u0000')}`).digest('hex')},
      properties: {scope: 'batch', devices: finding.devices, outcome: finding.outcome, severity: finding.severity, evidence: finding.evidence},
    })
  }

  const run = report.run
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules: sarifRules,
            ...(sarifTaxonomies.length > 0 ? {supportedTaxonomies: sarifTaxonomies.map((t, index) => ({name: t.name, index}))} : {}),
          },
        },
        // Category for GitHub code scanning: one alert set per profile.
        automationDetails: {id: `sg17scan/${run.profile.id}/`},
        invocations: [
          {
            executionSuccessful: true,
            ...(run.commandLine ? {commandLine: run.commandLine} : {}),
            startTimeUtc: run.startedAt,
            endTimeUtc: run.finishedAt,
            exitCode: report.summary.exitCode,
          },
        ],
        originalUriBaseIds: {
          [URI_BASE_ID]: {description: {text: 'The devices under test: devices/<device id>/<transport>/<port> names one network service.'}},
        },
        ...(sarifTaxonomies.length > 0 ? {taxonomies: sarifTaxonomies} : {}),
        results,
        properties: {
          reportRunId: run.id,
          reportSchemaVersion: report.schemaVersion,
          profile: run.profile,
          summary: report.summary,
          coverage: report.devices.map((d) => ({deviceId: d.id, ...coverageOf(d)})),
          // Requirement verdicts of a whole-standard profile, each with what decided it (the results above are
          // its findings: ruleId + properties.service; batch findings: properties.scope 'batch').
          ...(report.devices.some((d) => d.requirements?.length) ? {requirements: report.devices.flatMap((d) => (d.requirements ?? []).map((r) => ({deviceId: d.id, ...r})))} : {}),
        },
      },
    ],
  }
}

const partialCache = new WeakMap<Device, Map<string, Observation>>()
/** The device's partial observations by id (cached: one lookup table per device, not per finding). */
function partialObservations(device: Device): Map<string, Observation> {
  let m = partialCache.get(device)
  if (!m) partialCache.set(device, (m = new Map(device.observations.filter((o) => o.partial).map((o) => [o.id, o]))))
  return m
}

/** SARIF 2.1.0 for code-scanning dashboards: rules from the checks in the report, one result per finding. */
export const sarifWriter: Writer = {
  format: 'sarif',
  extensions: ['.sarif', '.sarif.json'],
  description: 'SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)',
  write: (report) => `${JSON.stringify(toSarif(report), null, 2)}\n`,
}
