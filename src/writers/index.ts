import {basename} from 'node:path'

import {ConfigError} from '../profiles/errors.js'
import type {Writer} from './types.js'

/** A registered output format: what flag parsing and file naming need (format, extensions, description), and how to
 *  load its writer. A command imports only the writers of the formats it writes: `scan --json` loads none. */
export interface WriterEntry extends Omit<Writer, 'write'> {
  load(): Promise<Writer>
}

/** One line per format. The loaded writer must be the registered one (same format and extensions). */
const entry = (meta: Omit<Writer, 'write'>, load: () => Promise<Writer>): WriterEntry => ({
  ...meta,
  async load() {
    const writer = await load()
    if (writer.format !== meta.format || writer.extensions.join() !== meta.extensions.join() || writer.description !== meta.description) {
      throw new Error(`writer registry: format ${meta.format} (${meta.extensions.join(' ')}) loaded as ${writer.format} (${writer.extensions.join(' ')})`)
    }
    return writer
  },
})

/** Output formats. */
export const WRITERS: readonly WriterEntry[] = [
  entry({format: 'json', extensions: ['.json'], description: 'the native evidence report (schemas/report.schema.json)'}, async () => (await import('./json.js')).jsonWriter),
  entry({format: 'jsonl', extensions: ['.jsonl'], description: 'JSON Lines: one device per line with the report run id, for streaming'}, async () => (await import('./jsonl.js')).jsonlWriter),
  entry({format: 'csv', extensions: ['.csv'], description: 'CSV (RFC 4180): one row per device and finding, for spreadsheets'}, async () => (await import('./csv.js')).csvWriter),
  entry({format: 'sarif', extensions: ['.sarif', '.sarif.json'], description: 'SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)'}, async () => (await import('./sarif.js')).sarifWriter),
  entry({format: 'junit', extensions: ['.junit.xml', '.xml'], description: 'JUnit XML: one test suite per device, one test case per finding (CI test reports)'}, async () => (await import('./junit.js')).junitWriter),
  entry({format: 'md', extensions: ['.md'], description: 'Markdown summary (CI job summaries): verdicts, counts and the failed or errored findings'}, async () => (await import('./md.js')).mdWriter),
  entry({format: 'oscal', extensions: ['.oscal.json'], description: 'NIST OSCAL 1.2.1 assessment results (JSON) for GRC tools'}, async () => (await import('./oscal.js')).oscalWriter),
  entry({format: 'html', extensions: ['.html', '.htm'], description: 'Self-contained HTML report (verdicts, compliance matrix, charts, findings with evidence excerpts)'}, async () => (await import('./html.js')).htmlWriter),
  entry({format: 'requirements-csv', extensions: ['.requirements.csv'], description: "CSV (RFC 4180): one row per device and requirement of the profile's standard, with what decided it"}, async () => (await import('./requirements-csv.js')).requirementsCsvWriter),
]

/** The registered format (metadata only: loads nothing). */
export function writerEntry(format: string): WriterEntry {
  const found = WRITERS.find((w) => w.format === format)
  if (!found) throw new ConfigError(`unknown format '${format}' (available: ${WRITERS.map((w) => w.format).join(', ')})`)
  return found
}

/** The writer of one format, loaded on first use (Node caches the module). */
export function loadWriter(format: string): Promise<Writer> {
  return writerEntry(format).load()
}

/**
 * The format implied by an output file's extension, or undefined when it implies none. The longest matching
 * extension wins, so `x.sarif.json` is SARIF (not JSON) and `x.junit.xml` is JUnit.
 */
export function formatFromPath(path: string): string | undefined {
  const name = basename(path).toLowerCase()
  let best: {format: string; length: number} | undefined
  for (const w of WRITERS) {
    for (const ext of w.extensions) {
      // `name.length > ext.length`: a dotfile named just ".json" has no extension (as with path.extname).
      if (name.endsWith(ext) && name.length > ext.length && ext.length > (best?.length ?? 0)) best = {format: w.format, length: ext.length}
    }
  }
  return best?.format
}
