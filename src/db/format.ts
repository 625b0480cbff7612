/** Rows → a plain-text table, RFC 4180 CSV or JSON, for the `db` commands. */

export interface Column<T> {
  header: string
  value: (row: T) => string | number | null | undefined
}

const text = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v))

/** Left-aligned columns separated by two spaces; control characters shown as spaces. */
export function toTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => text(c.value(r)).replace(/[\u0000-\u001f\u007f]/g, ' ')))]
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)))
  return `${cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n')}\n`
}

/** A cell starting with = + - @ (or tab/CR) gets a leading apostrophe: spreadsheets would run it as a formula. */
function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

/** RFC 4180: header row, CRLF line ends. */
export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => csvCell(c.header)), ...rows.map((r) => columns.map((c) => csvCell(text(c.value(r)))))]
  return lines.map((l) => `${l.join(',')}\r\n`).join('')
}

export const shortSha = (sha: string | null | undefined): string => (sha ? sha.slice(0, 12) : '')
