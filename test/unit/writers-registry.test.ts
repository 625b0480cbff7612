import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {formatFromPath, writerFor, WRITERS} from '../../src/writers/loaded.js'
import {ARTIFACT_MARKER, labReport, trickyReport} from '../helpers/writer-reports.js'

describe('writer registry', () => {
  it('registers every format once, each with extensions and a description', () => {
    expect(WRITERS.map((w) => w.format)).toEqual(['json', 'jsonl', 'csv', 'sarif', 'junit', 'md', 'oscal', 'html', 'requirements-csv'])
    for (const w of WRITERS) {
      expect(writerFor(w.format)).toBe(w)
      expect(w.extensions.length).toBeGreaterThan(0)
      expect(w.description).not.toBe('')
    }
    const all = WRITERS.flatMap((w) => w.extensions)
    expect(new Set(all).size).toBe(all.length)
  })

  it('rejects an unknown format with a ConfigError naming the available ones', () => {
    expect(() => writerFor('pdf')).toThrow(ConfigError)
    expect(() => writerFor('pdf')).toThrow(/available: json, jsonl, csv, sarif, junit, md, oscal, html/)
  })

  it.each([
    ['out/report.json', 'json'],
    ['REPORT.JSON', 'json'],
    ['r.jsonl', 'jsonl'],
    ['r.csv', 'csv'],
    ['r.sarif', 'sarif'],
    ['r.sarif.json', 'sarif'],
    ['/tmp/a.b/R.SARIF.JSON', 'sarif'],
    ['results.xml', 'junit'],
    ['results.junit.xml', 'junit'],
    ['summary.md', 'md'],
    ['r.oscal.json', 'oscal'],
    ['R.OSCAL.JSON', 'oscal'],
    ['report.html', 'html'],
    ['report.htm', 'html'],
    ['report.txt', undefined],
    ['report', undefined],
    ['.json', undefined],
    ['sarif.json', 'json'],
  ])('formatFromPath(%s) → %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format)
  })
})

describe('every writer', () => {
  let lab: Report
  let tricky: Report
  beforeAll(async () => {
    lab = await labReport()
    tricky = trickyReport()
  })

  it.each(WRITERS.map((w) => [w.format]))('%s is deterministic: the same report gives byte-identical output', (format) => {
    const w = writerFor(format)
    for (const report of [lab, tricky]) {
      const a = w.write(report)
      const b = w.write(structuredClone(report))
      expect(b).toBe(a)
      expect(a.endsWith('\n')).toBe(true)
    }
  })

  it.each(WRITERS.map((w) => [w.format]))('%s does not mutate the report', (format) => {
    const before = JSON.stringify(tricky)
    writerFor(format).write(tricky)
    expect(JSON.stringify(tricky)).toBe(before)
  })

  it.each(['csv', 'sarif', 'junit', 'md', 'oscal', 'html', 'requirements-csv'])('%s never prints observation artifact contents', (format) => {
    expect(writerFor(format).write(tricky)).not.toContain(ARTIFACT_MARKER)
  })
})
