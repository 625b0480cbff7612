import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {csvWriter} from '../../src/writers/csv.js'
import {parseCsv} from '../helpers/mini-csv.js'
import {findingCount, labReport, TRICKY, trickyReport} from '../helpers/writer-reports.js'

const HEADER = ['device_id', 'device_name', 'service', 'check', 'title', 'outcome', 'severity', 'message', 'references', 'evidence', 'coverage', 'coverage_reason']

describe('csv writer', () => {
  let lab: Report
  beforeAll(async () => {
    lab = await labReport()
  })

  it('writes a header and one row per device × finding of the lab report', () => {
    const text = csvWriter.write(lab)
    const rows = parseCsv(text)
    expect(rows).toHaveLength(findingCount(lab) + 1)
    expect(rows[0]).toEqual(HEADER)
    expect(rows.every((r) => r.length === HEADER.length)).toBe(true)
    const camera = lab.devices.find((d) => d.name === 'legacy-camera')
    const f = camera?.findings.find((x) => x.outcome === 'fail')
    if (!camera || !f) throw new Error('lab report has no failing camera finding')
    const row = rows.find((r) => r[0] === camera.id && r[3] === f.check)
    expect(row).toEqual([camera.id, camera.name, f.service, f.check, f.title, f.outcome, f.severity, f.message, expect.any(String), f.evidence.join(' '), 'complete', ''])
    expect(row?.[8].split('; ').length).toBe(f.references.length)
  })

  it('uses CRLF record ends only (no bare LF outside quoted fields)', () => {
    const text = csvWriter.write(lab)
    expect(text.split('\r\n').length - 1).toBe(findingCount(lab) + 1)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('quotes commas, quotes and newlines (RFC 4180) and round-trips tricky strings', () => {
    const report = trickyReport()
    const text = csvWriter.write(report)
    const rows = parseCsv(text)
    expect(rows).toHaveLength(findingCount(report) + 1)
    const first = rows[1]
    // Starts with "=" → apostrophe guard, then the exact text.
    expect(first[1]).toBe(`'${TRICKY.deviceName}`)
    expect(first[4]).toBe(`'${TRICKY.title}`)
    expect(first[7]).toBe(TRICKY.message)
    expect(first[8]).toBe('ITU-T X.1352 §8.2 "a" <b> & c; CWE-326; RFC 9325 §4.1')
    expect(first[9]).toBe('obs-0000000000000001 obs-0000000000000002')
    expect(text).toContain('"Accepted ""A, B""\nand <C & D>')
    // Second device has no name: empty field.
    expect(rows.at(-1)?.slice(0, 4)).toEqual(['198.51.100.7', '', '198.51.100.7', 'scan.reachability'])
  })

  it('guards cells starting with = + - @ against spreadsheet formula injection', () => {
    const rows = parseCsv(csvWriter.write(trickyReport()))
    const expired = rows.find((r) => r[3] === 'tls.cert.expired')
    expect(expired?.[7]).toBe("'-1 days left, +inf @home")
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('writes only the header for a report without findings', () => {
    expect(csvWriter.write({...trickyReport(), devices: []})).toBe(`${HEADER.join(',')}\r\n`)
  })
})
