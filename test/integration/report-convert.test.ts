import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {writerFor} from '../../src/writers/loaded.js'
import {runCli} from '../helpers/cli.js'
import {parseCsv} from '../helpers/mini-csv.js'
import {parseXml} from '../helpers/mini-xml.js'
import {findingCount, labReport, trickyReport} from '../helpers/writer-reports.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-convert-'))

describe('sg17scan report convert (built CLI)', () => {
  let report: Report
  let file: string
  beforeAll(async () => {
    report = await labReport()
    file = join(tmp, 'lab.json')
    writeFileSync(file, writerFor('json').write(report))
  })

  it.each([['json'], ['jsonl'], ['csv'], ['sarif'], ['junit'], ['md']])('--format %s writes the format to stdout, byte-identical on every run', async (format) => {
    const a = await runCli(['report', 'convert', file, '--format', format])
    expect(a.stderr).toBe('')
    expect(a.code).toBe(0)
    expect(a.stdout).toBe(writerFor(format).write(report))
    const b = await runCli(['report', 'convert', file, '-f', format])
    expect(b.stdout).toBe(a.stdout)
  })

  it('parses what it writes: CSV rows = findings + 1, JUnit well-formed, SARIF a 2.1.0 log', async () => {
    const csv = await runCli(['report', 'convert', file, '--format', 'csv'])
    expect(parseCsv(csv.stdout)).toHaveLength(findingCount(report) + 1)
    const junit = await runCli(['report', 'convert', file, '--format', 'junit'])
    expect(Number(parseXml(junit.stdout).attrs.tests)).toBe(findingCount(report))
    const sarif = await runCli(['report', 'convert', file, '--format', 'sarif'])
    expect((JSON.parse(sarif.stdout) as {version: string}).version).toBe('2.1.0')
  })

  it.each([
    ['out.sarif.json', 'sarif'],
    ['out.junit.xml', 'junit'],
    ['nested/dir/out.csv', 'csv'],
    ['out.md', 'md'],
  ])('-o %s picks the format from the extension and writes the file', async (name, format) => {
    const out = join(tmp, name)
    const r = await runCli(['report', 'convert', file, '-o', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Report (${format}): ${out}`)
    expect(readFileSync(out, 'utf8')).toBe(writerFor(format).write(report))
  })

  it('--format wins over the extension of -o', async () => {
    const out = join(tmp, 'forced.txt')
    const r = await runCli(['report', 'convert', file, '--format', 'jsonl', '-o', out])
    expect(r.code).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(writerFor('jsonl').write(report))
  })

  it('converts the hand-made report with tricky strings', async () => {
    const tricky = trickyReport()
    const trickyFile = join(tmp, 'tricky.json')
    writeFileSync(trickyFile, JSON.stringify(tricky))
    for (const format of ['csv', 'junit', 'md', 'sarif']) {
      const r = await runCli(['report', 'convert', trickyFile, '--format', format])
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(writerFor(format).write(tricky))
    }
  })

  it('exits 2 listing the problems for an invalid report', async () => {
    const bad = structuredClone(report) as unknown as {devices: Array<{verdict: string}>; summary: {exitCode: number}}
    bad.devices[0].verdict = 'maybe'
    bad.summary.exitCode = 7
    const badFile = join(tmp, 'bad.json')
    writeFileSync(badFile, JSON.stringify(bad))
    const r = await runCli(['report', 'convert', badFile, '--format', 'sarif'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('is not a valid sg17scan report')
    expect(r.stderr).toContain('/devices/0/verdict')
    expect(r.stderr).toContain('/summary/exitCode')
  })

  it.each([
    ['not JSON', ['report', 'convert', '__NOT_JSON__', '--format', 'csv'], /is not JSON/],
    ['a missing file', ['report', 'convert', join(tmp, 'missing.json'), '--format', 'csv'], /cannot read report/],
    ['an unknown format', ['report', 'convert', '__LAB__', '--format', 'pdf'], /unknown format 'pdf'/],
    ['no format at all', ['report', 'convert', '__LAB__'], /give --format/],
    ['an -o extension that implies none', ['report', 'convert', '__LAB__', '-o', join(tmp, 'x.txt')], /implies none/],
  ])('exits 2 for %s', async (_what, args, message) => {
    const notJson = join(tmp, 'not.json')
    writeFileSync(notJson, '{"schemaVersion": ')
    const r = await runCli(args.map((a) => (a === '__NOT_JSON__' ? notJson : a === '__LAB__' ? file : a)))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  it('is listed under the report topic', async () => {
    const r = await runCli(['report', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Convert and inspect evidence reports')
    expect(r.stdout).toContain('report convert')
  })
})
