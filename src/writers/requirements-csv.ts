import {cell} from './csv.js'
import {coverageOf} from './shared.js'
import type {Writer} from './types.js'

const HEADER = ['device_id', 'device_name', 'standard', 'requirement', 'level', 'title', 'verdict', 'rule', 'reason', 'decided_by_findings', 'decided_by_checks', 'decided_by_declaration', 'device_coverage'] as const

/**
 * RFC 4180 CSV of the requirement verdicts: one row per device × requirement (whole-standard profiles). A format
 * of its own (`.requirements.csv`) so the findings CSV keeps its columns for the spreadsheets that read it.
 */
export const requirementsCsvWriter: Writer = {
  format: 'requirements-csv',
  extensions: ['.requirements.csv'],
  description: 'CSV (RFC 4180): one row per device and requirement of the profile\'s standard, with what decided it',
  write(report) {
    const rows: string[][] = [[...HEADER]]
    for (const d of report.devices) {
      // A requirement verdict is only as good as what the scan covered: each row repeats the device's statement.
      const coverage = coverageOf(d).statement
      for (const r of d.requirements ?? []) {
        rows.push([
          d.id,
          d.name ?? '',
          r.standard,
          r.id,
          r.level ?? '',
          r.title,
          r.verdict,
          r.rule,
          r.reason,
          r.decidedBy.findings.join(' '),
          r.decidedBy.checks.join(' '),
          r.decidedBy.declaration.join(' '),
          coverage,
        ])
      }
    }
    return rows.map((row) => `${row.map(cell).join(',')}\r\n`).join('')
  },
}
