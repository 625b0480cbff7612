import {basename} from 'node:path'

import {ConfigError} from '../profiles/errors.js'
import {csvWriter} from './csv.js'
import {htmlWriter} from './html.js'
import {jsonWriter} from './json.js'
import {jsonlWriter} from './jsonl.js'
import {junitWriter} from './junit.js'
import {mdWriter} from './md.js'
import {oscalWriter} from './oscal.js'
import {requirementsCsvWriter} from './requirements-csv.js'
import {sarifWriter} from './sarif.js'
import type {Writer} from './types.js'

/** Output formats. */
export const WRITERS: readonly Writer[] = [jsonWriter, jsonlWriter, csvWriter, sarifWriter, junitWriter, mdWriter, oscalWriter, htmlWriter, requirementsCsvWriter]

export function writerFor(format: string): Writer {
  const writer = WRITERS.find((w) => w.format === format)
  if (!writer) throw new ConfigError(`unknown format '${format}' (available: ${WRITERS.map((w) => w.format).join(', ')})`)
  return writer
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
