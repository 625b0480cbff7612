import {extname} from 'node:path'

import {ConfigError} from '../profiles/errors.js'
import {jsonWriter} from './json.js'
import type {Writer} from './types.js'

/** Output formats; later issues add sarif, junit, oscal, csv, html, md here. */
export const WRITERS: readonly Writer[] = [jsonWriter]

export function writerFor(format: string): Writer {
  const writer = WRITERS.find((w) => w.format === format)
  if (!writer) throw new ConfigError(`unknown format '${format}' (available: ${WRITERS.map((w) => w.format).join(', ')})`)
  return writer
}

/** The format implied by an output file's extension, or undefined when it implies none. */
export function formatFromPath(path: string): string | undefined {
  const ext = extname(path).toLowerCase()
  return WRITERS.find((w) => w.extensions.includes(ext))?.format
}
