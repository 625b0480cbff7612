/** The requirement table in the human formats (console, Markdown, HTML) and the requirements CSV. */
import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {renderSummary} from '../../src/writers/console.js'
import {csvWriter} from '../../src/writers/csv.js'
import {htmlWriter} from '../../src/writers/html.js'
import {junitWriter} from '../../src/writers/junit.js'
import {formatFromPath} from '../../src/writers/index.js'
import {mdWriter} from '../../src/writers/md.js'
import {requirementsCsvWriter} from '../../src/writers/requirements-csv.js'
import {parseCsv} from '../helpers/mini-csv.js'
import {expectValidReport} from '../helpers/report.js'
import {withRequirementTables} from '../helpers/requirement-report.js'
import {labReport} from '../helpers/writer-reports.js'

let plain: Report
let report: Report
beforeAll(async () => {
  plain = await labReport()
  report = withRequirementTables(plain)
})

const camera = () => report.devices.find((d) => d.name === 'legacy-camera')!

describe('requirement tables in every format', () => {
  it('the report with requirement tables and declarations is valid against the report schema', () => {
    expectValidReport(report)
    expect(camera().requirements!.find((r) => r.id === '5.5-1')!.verdict).toBe('fail')
  })

  it('console: the requirement table comes first in each device block, failures named, the rest counted and listed', () => {
    const text = renderSummary(report)
    const block = text.slice(text.indexOf('Device legacy-camera'), text.indexOf('Device', text.indexOf('Device legacy-camera') + 1))
    expect(block).toMatch(/Requirements \(ETSI EN 303 645\): \d+ fail, \d+ inconclusive, \d+ pass, \d+ not applicable, \d+ not assessed remotely/)
    expect(block.indexOf('Requirements (')).toBeLessThan(block.indexOf('  Checks:'))
    expect(block).toMatch(/FAIL\s+5\.5-1\s+failed: /)
    expect(block).toMatch(/NOT ASSESSED REMOTELY \(\d+, documentation or physical review\):\n\s+4-1, 5\.1-4/)
    // Every one listed, none cut.
    for (const r of camera().requirements!.filter((x) => x.verdict === 'not_assessed_remotely')) expect(block).toMatch(new RegExp(`[ ,]${r.id.replace(/\./g, '\\.')}(,|\n|$)`))
    // Unchanged without requirements.
    expect(renderSummary(plain)).not.toContain('Requirements (')
  })

  it('markdown: a requirements table before the check counts, with what decided each verdict', () => {
    const md = mdWriter.write(report)
    const section = md.slice(md.indexOf('## legacy-camera'))
    expect(section.indexOf('### Requirements: ETSI EN 303 645')).toBeLessThan(section.indexOf('### Checks'))
    expect(section).toMatch(/\| fail \| 5\.5-1 \| mandatory \| .*, tls\.\S+@tls:\/\/127\.0\.0\.1:\d+/)
    expect(section).toContain('Not assessed remotely (')
    expect(mdWriter.write(plain)).not.toContain('### Requirements')
  })

  it('html: a Requirements section first, each decided-by finding linked to its expandable block', () => {
    const html = htmlWriter.write(report)
    expect(html.indexOf('<section id="requirements">')).toBeGreaterThan(0)
    expect(html.indexOf('<section id="requirements">')).toBeLessThan(html.indexOf('<section id="devices">'))
    const links = [...html.matchAll(/<a href="#(f-\d+-\d+)"><code>/g)].map((m) => m[1]!)
    expect(links.length).toBeGreaterThan(0)
    for (const anchor of new Set(links)) expect(html).toContain(`id="${anchor}"`)
    expect(html).toContain('badge r-not-assessed-remotely')
    expect(htmlWriter.write(plain)).not.toContain('id="requirements"')
  })

  it('requirements CSV: one row per device × requirement; the findings CSV keeps its columns', () => {
    expect(formatFromPath('out.requirements.csv')).toBe('requirements-csv')
    expect(formatFromPath('out.csv')).toBe('csv')
    const rows = parseCsv(requirementsCsvWriter.write(report))
    expect(rows[0]).toEqual(['device_id', 'device_name', 'standard', 'requirement', 'level', 'title', 'verdict', 'rule', 'reason', 'decided_by_findings', 'decided_by_checks', 'decided_by_declaration', 'device_coverage'])
    expect(rows).toHaveLength(1 + report.devices.length * 68)
    const row = rows.find((r) => r[1] === 'legacy-camera' && r[3] === '5.5-1')!
    expect(row[6]).toBe('fail')
    expect(row[9]).toMatch(/tls\.\S+@tls:\/\//)
    expect(csvWriter.write(report)).toBe(csvWriter.write(plain))
  })

  it('batch reports aggregate requirement verdicts per declared model (Markdown and HTML)', () => {
    const md = mdWriter.write(report)
    const section = md.slice(md.indexOf('## Requirements by declared model'))
    expect(md).toContain('## Requirements by declared model')
    expect(section).toContain(`**(model not declared)** (${report.devices.length} device(s)): 68 requirements`)
    const failing = report.devices.filter((d) => d.requirements!.find((r) => r.id === '5.5-1')!.verdict === 'fail' && !d.declared?.model).length
    expect(section).toContain(`| ETSI EN 303 645 5.5-1 | ${failing} |`)
    expect(htmlWriter.write(report)).toContain('<h3>By declared model</h3>')
  })

  it('junit: a requirements suite per device, each requirement a test case with its verdict; totals add up', () => {
    const xml = junitWriter.write(report)
    expect(xml).toContain('<testsuite name="legacy-camera requirements" tests="68"')
    expect(xml).toMatch(/<testcase classname="legacy-camera\.ETSI EN 303 645" name="5\.5-1">\s*<failure message="failed: /)
    expect(xml).toMatch(/<testcase classname="legacy-camera\.ETSI EN 303 645" name="5\.2-1">\s*<skipped message="not assessed remotely: /)
    const root = /<testsuites [^>]*tests="(\d+)"/.exec(xml)![1]
    const suites = [...xml.matchAll(/<testsuite [^>]*tests="(\d+)"/g)].reduce((n, m) => n + Number(m[1]), 0)
    expect(Number(root)).toBe(suites)
    expect(junitWriter.write(plain)).not.toContain('requirements"')
  })
})
