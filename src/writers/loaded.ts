import {ConfigError} from '../profiles/errors.js'
import {formatFromPath, WRITERS as ENTRIES} from './index.js'
import type {Writer} from './types.js'

// Every writer of the registry (src/writers/index.ts), loaded: for code that writes or checks every format (tests,
// tools). Commands load only the formats they write, through the registry.
export {formatFromPath}

/** Every output format's writer, in registry order. */
export const WRITERS: readonly Writer[] = await Promise.all(ENTRIES.map((e) => e.load()))

export function writerFor(format: string): Writer {
  const writer = WRITERS.find((w) => w.format === format)
  if (!writer) throw new ConfigError(`unknown format '${format}' (available: ${WRITERS.map((w) => w.format).join(', ')})`)
  return writer
}
