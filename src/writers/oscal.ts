import {createHash} from 'node:crypto'

import type {Artifact, Device, Finding, Observation, Report} from '../evidence/types.js'
import {compareStrings, coverageGaps, coverageOf, deviceLabel, formatReference} from './shared.js'
import type {Writer} from './types.js'
import {requirementFindings} from './requirements-oscal.js'

/** The OSCAL model version of the vendored schema this writer is tested against (NIST release v1.2.1). */
export const OSCAL_VERSION = '1.2.1'

/** Namespace of every prop this writer adds: OSCAL reserves props without `ns` for its own names. */
export const PROP_NS = 'urn:sg17scan:oscal'

/** Fixed name-space prefix of every name hashed into a UUID, so our UUIDs never collide with another tool's. */
const UUID_NAMESPACE = 'sg17scan/oscal/v1'

/**
 * A deterministic RFC 4122 UUID in the style of version 5 (name-based), but with SHA-256 in place of SHA-1:
 * the first 16 bytes of sha256(namespace, parts), with the version nibble set to 5 and the variant bits to 10.
 * OSCAL's UUIDDatatype accepts versions 4 and 5 only; parts are NUL-separated so ("a", "bc") ≠ ("ab", "c").
 */
export function uuidFrom(...parts: string[]): string {
  const bytes = createHash('sha256').update([UUID_NAMESPACE, ...parts].join('\u0000')).digest().subarray(0, 16)
  bytes[6] = (bytes[6] & 0x0f) | 0x50
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Control characters other than tab and line breaks: never meaningful in report text, and unsafe in viewers. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/**
 * OSCAL StringDatatype (prop values, versions): one line, no leading/trailing whitespace, not empty.
 * Line breaks and whitespace runs collapse to one space; an empty value becomes "-".
 */
function str(value: string): string {
  const s = value.replace(CONTROL, '').replace(/\s+/g, ' ').trim()
  return s === '' ? '-' : s
}

/**
 * Report text as OSCAL markup (CommonMark): characters with Markdown or HTML meaning are backslash-escaped, so
 * a message cannot inject links, emphasis or raw HTML into a viewer that renders the markup.
 */
function markdown(value: string): string {
  return value.replace(CONTROL, '').replace(/[\\`*_[\]<>&#|!~]/g, (c) => `\\${c}`)
}

/** MarkupLineDatatype: one non-empty line of Markdown. */
function markupLine(value: string): string {
  const s = markdown(value).replace(/\s*(\r\n|\r|\n)\s*/g, ' ').trim()
  return s === '' ? '-' : s
}

/**
 * TokenDatatype (an XML NCName): a letter or `_` first, then letters, digits, `.`, `-`, `_`. Check ids already
 * are; anything else in a hand-written id becomes `_`.
 */
export function token(value: string): string {
  const s = value.replace(/[^\p{L}\p{N}._-]/gu, '_')
  return /^[\p{L}_]/u.test(s) ? s : `_${s}`
}

interface Prop {
  name: string
  ns: string
  value: string
  class?: string
}

const prop = (name: string, value: string, cls?: string): Prop => ({name, ns: PROP_NS, value: str(value), ...(cls ? {class: cls} : {})})

/** One back-matter resource per distinct artifact (kind + sha256): several observations may hold the same bytes. */
const artifactKey = (a: Artifact) => `${a.kind}\u0000${a.sha256}`

const isDetermined = (f: Finding) => f.outcome === 'pass' || f.outcome === 'fail'

function observationUuid(device: Device, observation: Observation): string {
  return uuidFrom('observation', device.id, observation.id)
}

function toOscal(report: Report): object {
  const {run} = report
  const planUuid = uuidFrom('assessment-plan', run.profile.id, run.profile.version, run.profile.sha256)

  // Artifacts, deduplicated and sorted so the back matter does not depend on device or probe order.
  const artifacts = new Map<string, {uuid: string; artifact: Artifact}>()
  for (const d of report.devices) {
    for (const o of d.observations) {
      for (const a of o.artifacts) {
        const key = artifactKey(a)
        if (!artifacts.has(key)) artifacts.set(key, {uuid: uuidFrom('artifact', a.kind, a.sha256), artifact: a})
      }
    }
  }

  const inventoryItems = report.devices.map((d) => {
    const coverage = coverageOf(d)
    const gaps = coverageGaps(coverage)
    return {
      uuid: uuidFrom('device', d.id),
      description: markdown(`Device under test ${deviceLabel(d)} (${d.id}): verdict ${d.verdict}. ${coverage.statement}`),
      props: [
        prop('device-id', d.id),
        ...(d.name !== undefined ? [prop('device-name', d.name)] : []),
        prop('verdict', d.verdict),
        prop('coverage', coverage.status),
        ...d.services.map((s) => prop('service', s.id, token(s.protocol))),
      ],
      ...(gaps.length > 0 ? {remarks: markdown(`What the verdict does not cover: ${gaps.join('; ')}.`)} : {}),
    }
  })

  const observations = report.devices.flatMap((d, i) => {
    const failedEvidence = new Set(d.findings.filter((f) => f.outcome === 'fail').flatMap((f) => f.evidence))
    return d.observations.map((o) => ({
      uuid: observationUuid(d, o),
      title: markupLine(o.probe),
      description: markdown(`${o.probe} on ${o.service}${o.error ? ` (probe error ${o.error.code}: ${o.error.message})` : ''}`),
      props: [
        prop('observation-id', o.id),
        prop('probe', o.probe),
        prop('service', o.service),
        ...(o.error ? [prop('error-code', o.error.code)] : []),
      ],
      methods: ['TEST'],
      // "finding": it proves a failed check; every observation is evidence towards the profile's control objectives.
      types: failedEvidence.has(o.id) ? ['finding', 'control-objective'] : ['control-objective'],
      subjects: [{'subject-uuid': inventoryItems[i].uuid, type: 'inventory-item', title: markupLine(deviceLabel(d))}],
      ...(o.artifacts.length > 0
        ? {
            'relevant-evidence': o.artifacts.map((a) => ({
              href: `#${artifacts.get(artifactKey(a))?.uuid}`,
              description: markdown(`${a.kind} (${a.encoding}), sha256 ${a.sha256}`),
            })),
          }
        : {}),
      collected: o.collectedAt,
    }))
  })

  const undetermined: string[] = []
  const findings = report.devices.flatMap((d) => {
    const known = new Map(d.observations.map((o) => [o.id, observationUuid(d, o)]))
    return d.findings.flatMap((f) => {
      if (!isDetermined(f)) {
        undetermined.push(`${f.check} on ${f.service} (${deviceLabel(d)}): ${f.outcome}`)
        return []
      }
      // Only evidence the report holds: OSCAL references must resolve within the document.
      const related = [...new Set(f.evidence)].flatMap((id) => {
        const uuid = known.get(id)
        return uuid ? [{'observation-uuid': uuid}] : []
      })
      const missing = f.evidence.filter((id) => !known.has(id))
      return [
        {
          uuid: uuidFrom('finding', d.id, f.service, f.check),
          title: markupLine(f.title),
          description: markdown(f.message === '' ? f.title : f.message),
          props: [
            prop('check', f.check),
            prop('outcome', f.outcome),
            prop('severity', f.severity),
            prop('device-id', d.id),
            prop('service', f.service),
            ...f.references.map((r) => prop('reference', formatReference(r), token(r.framework))),
          ],
          target: {
            type: 'objective-id',
            'target-id': token(f.check),
            status: {state: f.outcome === 'pass' ? 'satisfied' : 'not-satisfied', reason: f.outcome},
          },
          ...(related.length > 0 ? {'related-observations': related} : {}),
          ...(missing.length > 0 ? {remarks: markdown(`Evidence not present in the report: ${missing.join(', ')}`)} : {}),
        },
      ]
    })
  })

  findings.push(
    ...requirementFindings(report, {
      uuidFrom, token, prop, markupLine, markdown,
      observationUuid: (device, id) => uuidFrom('observation', device.id, id),
    }) as typeof findings,
  )

  const profile = `${run.profile.id} version ${run.profile.version} (sha256 ${run.profile.sha256})`
  const resources = [
    {
      uuid: planUuid,
      title: markupLine(`Assessment plan: conformance profile ${run.profile.id}`),
      description: markdown(
        `Minimal assessment plan: the ${report.tool.name} conformance profile ${profile}; every check of the profile is an objective.`,
      ),
      props: [prop('profile-id', run.profile.id), prop('profile-version', run.profile.version), prop('profile-sha256', run.profile.sha256)],
    },
    ...[...artifacts.values()]
      .sort((a, b) => compareStrings(a.uuid, b.uuid))
      .map(({uuid, artifact: a}) => ({
        uuid,
        title: markupLine(`Artifact: ${a.kind}`),
        description: markdown(`${a.kind} (${a.encoding}), sha256 ${a.sha256}; the bytes are in the evidence report.`),
        props: [prop('artifact-kind', a.kind), prop('encoding', a.encoding), prop('sha256', a.sha256)],
      })),
  ]

  const s = report.summary
  return {
    'assessment-results': {
      uuid: uuidFrom('assessment-results', run.id),
      metadata: {
        title: markupLine(`${report.tool.name} assessment results: ${run.profile.id}`),
        'last-modified': run.finishedAt,
        version: str(report.tool.version),
        'oscal-version': OSCAL_VERSION,
        props: [prop('tool', `${report.tool.name} ${report.tool.version}`), prop('run-id', run.id), prop('report-schema-version', report.schemaVersion)],
      },
      'import-ap': {href: `#${planUuid}`},
      results: [
        {
          uuid: uuidFrom('result', run.id),
          title: markupLine(`Scan ${run.id}`),
          description: markdown(
            `${s.devices} device(s) scanned against ${profile}: ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ` +
              `${s.verdicts.incomplete} incomplete (fail-on ${s.failOn}, exit code ${s.exitCode}).`,
          ),
          start: run.startedAt,
          end: run.finishedAt,
          props: [prop('fail-on', s.failOn), prop('exit-code', String(s.exitCode))],
          ...(inventoryItems.length > 0 ? {'local-definitions': {'inventory-items': inventoryItems}} : {}),
          'reviewed-controls': {
            description: markdown(`All checks of the conformance profile ${profile}.`),
            'control-selections': [{'include-all': {}}],
          },
          ...(observations.length > 0 ? {observations} : {}),
          ...(findings.length > 0 ? {findings} : {}),
          ...(undetermined.length > 0
            ? {remarks: markdown(`Checks without a pass/fail determination (not listed as findings): ${undetermined.join('; ')}.`)}
            : {}),
        },
      ],
      'back-matter': {resources},
    },
  }
}

/** NIST OSCAL assessment results (JSON): devices as inventory items, observations, pass/fail findings. */
export const oscalWriter: Writer = {
  format: 'oscal',
  extensions: ['.oscal.json'],
  description: `NIST OSCAL ${OSCAL_VERSION} assessment results (JSON) for GRC tools`,
  write: (report) => `${JSON.stringify(toOscal(report), null, 2)}\n`,
}
