/** One CSV record with the 1-based line its first field starts on (quoted fields may span lines). */
export interface CsvRecord {
  line: number
  fields: string[]
}

/**
 * RFC 4180 reader that keeps line numbers, so inventory errors can name file:line:column. Accepts LF or CRLF
 * record ends and a missing final newline; a quote inside an unquoted field or an unterminated quoted field is
 * reported with its line.
 */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  while (i < text.length) {
    const start = line
    const fields: string[] = []
    for (;;) {
      let field = ''
      if (text[i] === '"') {
        i++
        for (;;) {
          const q = text.indexOf('"', i)
          if (q === -1) throw new CsvSyntaxError(`${file}:${start}: unterminated quoted field`)
          const chunk = text.slice(i, q)
          line += countNewlines(chunk)
          field += chunk
          if (text[q + 1] === '"') {
            field += '"'
            i = q + 2
          } else {
            i = q + 1
            break
          }
        }
        if (i < text.length && !/[,\r\n]/.test(text[i]!)) throw new CsvSyntaxError(`${file}:${line}: text after a closing quote`)
      } else {
        const m = /[^,\r\n"]*/y
        m.lastIndex = i
        field = m.exec(text)?.[0] ?? ''
        i += field.length
        if (text[i] === '"') throw new CsvSyntaxError(`${file}:${line}: quote inside an unquoted field`)
      }
      fields.push(field)
      if (text[i] === ',') {
        i++
        continue
      }
      break
    }
    if (text[i] === '\r') i++
    if (text[i] === '\n') i++
    line++
    // Blank lines carry no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({line: start, fields})
  }
  return records
}

function countNewlines(s: string): number {
  let n = 0
  for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) n++
  return n
}

export class CsvSyntaxError extends Error {}
