import {findingCoverage} from '../engine/coverage.js'
import {formatReference} from './shared.js'
import type {Writer} from './types.js'

const HEADER = ['device_id', 'device_name', 'service', 'check', 'title', 'outcome', 'severity', 'message', 'references', 'evidence', 'coverage', 'coverage_reason'] as const

/**
 * Spreadsheet formula injection (CSV injection): Excel, LibreOffice and Google Sheets evaluate a cell that
 * starts with = + - @ as a formula, so a device name or a message echoing attacker-controlled text such as
 * `=HYPERLINK(...)` could run when the CSV is opened. Such cells get a leading apostrophe, which the
 * spreadsheets treat as "text" and do not display. Tab and carriage return are included too (OWASP lists
 * them: some importers strip leading whitespace and then see the formula character).
 */
const FORMULA_START = /^[=+\-@\t\r]/

export function cell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value
  // RFC 4180: a field holding a comma, quote or line break is quoted, and quotes inside it are doubled.
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

/** RFC 4180 CSV: a header row, then one row per device × finding and one per batch finding, CRLF line ends (the
 *  last row included). */
export const csvWriter: Writer = {
  format: 'csv',
  extensions: ['.csv'],
  description: 'CSV (RFC 4180): one row per device and finding, for spreadsheets',
  write(report) {
    const rows: string[][] = [[...HEADER]]
    for (const device of report.devices) {
      const partialById = new Map(device.observations.filter((o) => o.partial).map((o) => [o.id, o]))
      for (const f of device.findings) {
        const coverage = findingCoverage(f, partialById)
        rows.push([
          device.id,
          device.name ?? '',
          f.service,
          f.check,
          f.title,
          f.outcome,
          f.severity,
          f.message,
          f.references.map(formatReference).join('; '),
          f.evidence.join(' '),
          coverage.status,
          coverage.reason ?? '',
        ])
      }
    }
    // Batch findings concern several devices: their ids in the first column, service "batch".
    for (const f of report.batch?.findings ?? []) {
      rows.push([f.devices.join(' '), '', 'batch', f.check, f.title, f.outcome, f.severity, f.message, f.references.map(formatReference).join('; '), f.evidence.join(' '), '', ''])
    }
    return rows.map((row) => `${row.map(cell).join(',')}\r\n`).join('')
  },
}
