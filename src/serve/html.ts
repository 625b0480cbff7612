/** Server-rendered HTML for the dashboard: escaping, the page frame, tables. No script runs on any page. */

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A query string from non-empty values (URLSearchParams encodes). */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}

export const pct = (fail: number, of: number): string => (of === 0 ? '–' : `${((fail / of) * 100).toFixed(1)}%`)

export const verdictBadge = (v: string): string => `<span class="v v-${esc(v)}">${esc(v)}</span>`

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
header a{color:#fff;text-decoration:none}header b{font-size:16px}
main{padding:16px 20px}h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:20px 0 8px}
table{border-collapse:collapse;background:#fff;margin-bottom:12px}th,td{border:1px solid #d7dbe0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.n{text-align:right}code{font-size:12px}
.v{padding:1px 6px;border-radius:3px;font-weight:600}.v-pass{background:#d8f3dc;color:#1b4332}.v-fail{background:#ffd6d6;color:#7a0c0c}
.v-incomplete,.v-inconclusive,.v-error{background:#fff1c1;color:#6b4e00}.v-not_tested,.v-not_applicable{background:#eceff3;color:#444}
form.f{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:12px}form.f label{display:flex;flex-direction:column;font-size:12px}
.bar{display:inline-block;height:10px;background:#e63946;vertical-align:middle}.muted{color:#66707a}
.cards{display:flex;gap:12px;margin-bottom:12px}.card{background:#fff;border:1px solid #d7dbe0;padding:8px 14px}.card b{display:block;font-size:20px}
`

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · sg17scan</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>${STYLE}</style></head>
<body><header><b>sg17scan conformity</b><a href="/">Overview</a><a href="/models">Models</a><a href="/devices">Devices</a><a href="/conformity">Conformity list</a>
<form action="/devices" method="get" role="search"><input name="search" placeholder="search devices, vendors, models, serials" size="36" aria-label="search"></form></header>
<main><h1>${esc(title)}</h1>
${body}
</main></body></html>
`
}

export interface Col<T> {
  head: string
  cell: (row: T) => string
  /** Right-aligned number column. */
  n?: boolean
}

/** A table; cells are HTML the caller escaped. */
export function table<T>(rows: readonly T[], cols: readonly Col<T>[], id?: string): string {
  if (rows.length === 0) return '<p class="muted">Nothing stored matches.</p>'
  const head = cols.map((c) => `<th>${esc(c.head)}</th>`).join('')
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td${c.n ? ' class="n"' : ''}>${c.cell(r)}</td>`).join('')}</tr>`).join('\n')
  return `<table${id ? ` id="${esc(id)}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}
