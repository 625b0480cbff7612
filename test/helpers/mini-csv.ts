/** A strict RFC 4180 reader for tests: CRLF record ends, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  if (!text.endsWith('\r\n')) throw new Error('last record does not end with CRLF')
  while (i < text.length) {
    let field = ''
    if (text[i] === '"') {
      i++
      for (;;) {
        const q = text.indexOf('"', i)
        if (q === -1) throw new Error('unterminated quoted field')
        field += text.slice(i, q)
        if (text[q + 1] === '"') {
          field += '"'
          i = q + 2
        } else {
          i = q + 1
          break
        }
      }
    } else {
      const m = /[^,\r\n"]*/y
      m.lastIndex = i
      field = m.exec(text)?.[0] ?? ''
      i += field.length
      if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`)
    }
    row.push(field)
    if (text[i] === ',') {
      i++
    } else if (text.startsWith('\r\n', i)) {
      rows.push(row)
      row = []
      i += 2
    } else {
      throw new Error(`expected , or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 10))}`)
    }
  }
  return rows
}
