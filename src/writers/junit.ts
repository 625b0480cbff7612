import type {BatchFinding, Device, Finding} from '../evidence/types.js'
import {coverageGaps, coverageOf, deviceLabel, formatReference} from './shared.js'
import type {Writer} from './types.js'
import {requirementCounts, requirementSuites} from './requirements-junit.js'

/**
 * Characters XML 1.0 forbids anywhere (§2.2 Char): C0 controls other than tab/LF/CR, lone surrogates,
 * U+FFFE and U+FFFF. They cannot be escaped either (&#1; is just as illegal), so they are dropped.
 */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'}

export function xmlText(value: string): string {
  return value.replace(ILLEGAL_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c])
}

/** Attribute values: parsers normalise literal tab/CR/LF to spaces, so they are written as character references. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`)
}

const attrs = (pairs: Array<[string, string | number]>) => pairs.map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('')

interface Counts {
  tests: number
  failures: number
  errors: number
  skipped: number
}

function count(findings: ReadonlyArray<Pick<Finding, 'outcome'>>): Counts {
  const n = (...outcomes: Finding['outcome'][]) => findings.filter((f) => outcomes.includes(f.outcome)).length
  return {tests: findings.length, failures: n('fail'), errors: n('error', 'inconclusive'), skipped: n('not_tested', 'not_applicable')}
}

const countAttrs = (c: Counts) => attrs([['tests', c.tests], ['failures', c.failures], ['errors', c.errors], ['skipped', c.skipped]])

/** Body of a failure/error element: the message, then the references and evidence ids (never artifact contents). */
function details(f: Pick<Finding, 'message' | 'severity' | 'outcome' | 'references' | 'evidence'>): string {
  const lines = [f.message, `severity: ${f.severity}`, `outcome: ${f.outcome}`]
  if (f.references.length > 0) lines.push(`references: ${f.references.map(formatReference).join('; ')}`)
  if (f.evidence.length > 0) lines.push(`evidence: ${f.evidence.join(' ')}`)
  return xmlText(lines.join('\n'))
}

function testcase(classname: string, f: Finding | BatchFinding): string {
  const open = `    <testcase${attrs([['classname', classname], ['name', f.check]])}`
  switch (f.outcome) {
    case 'pass':
      return `${open}/>`
    case 'fail':
      return `${open}>\n      <failure${attrs([['message', f.message], ['type', f.severity]])}>${details(f)}</failure>\n    </testcase>`
    case 'error':
    case 'inconclusive':
      return `${open}>\n      <error${attrs([['message', f.message], ['type', f.outcome]])}>${details(f)}</error>\n    </testcase>`
    case 'not_tested':
    case 'not_applicable':
      return `${open}>\n      <skipped${attrs([['message', `${f.outcome}: ${f.message}`]])}/>\n    </testcase>`
  }
}

/**
 * JUnit XML for CI test reporters: a test suite per device, a test case per finding (and a `batch` suite for
 * findings about several devices). No `time`/`timestamp`
 * attributes: the report has no per-check durations, and the Ant schema's timestamp has no time zone, so the
 * run start goes in a property instead.
 */
export const junitWriter: Writer = {
  format: 'junit',
  extensions: ['.junit.xml', '.xml'],
  description: 'JUnit XML: one test suite per device, one test case per finding (CI test reports)',
  write(report) {
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    const batch = report.batch?.findings ?? []
    const findingCounts = count([...allOf(report.devices), ...batch])
    const req = requirementCounts(report.devices)
    const total = {tests: findingCounts.tests + req.tests, failures: findingCounts.failures + req.failures, errors: findingCounts.errors + req.errors, skipped: findingCounts.skipped + req.skipped}
    lines.push(`<testsuites${attrs([['name', `sg17scan ${report.run.profile.id}`]])}${countAttrs(total)}>`)
    for (const device of report.devices) {
      lines.push(`  <testsuite${attrs([['name', deviceLabel(device)]])}${countAttrs(count(device.findings))}>`)
      lines.push('    <properties>')
      for (const [name, value] of [
        ['device.id', device.id],
        ['device.verdict', device.verdict],
        ['device.coverage', coverageOf(device).statement],
        ['device.coverage.status', coverageOf(device).status],
        ['profile.id', report.run.profile.id],
        ['profile.version', report.run.profile.version],
        ['report.runId', report.run.id],
        ['report.startedAt', report.run.startedAt],
      ]) {
        lines.push(`      <property${attrs([['name', name], ['value', value]])}/>`)
      }
      lines.push('    </properties>')
      for (const f of device.findings) lines.push(testcase(`${deviceLabel(device)}.${f.service}`, f))
      // What the verdict covers, gap by gap (the Ant schema allows system-out after the test cases).
      lines.push(`    <system-out>${xmlText([coverageOf(device).statement, ...coverageGaps(coverageOf(device))].join('\n'))}</system-out>`)
      lines.push('  </testsuite>')
    }
    lines.push(...requirementSuites(report, {attrs, countAttrs, xmlText, label: deviceLabel}))
    // Findings about several devices at once (a key shared across the batch): their own suite.
    if (batch.length > 0) {
      lines.push(`  <testsuite${attrs([['name', 'batch']])}${countAttrs(count(batch))}>`)
      for (const f of batch) lines.push(testcase(`batch.${f.devices.join('+')}`, f))
      lines.push('  </testsuite>')
    }
    lines.push('</testsuites>')
    return `${lines.join('\n')}\n`
  },
}

const allOf = (devices: readonly Device[]) => devices.flatMap((d) => d.findings)
