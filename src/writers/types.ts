import type {Report} from '../evidence/types.js'

/** A writer is a pure function of the report: nothing re-probes, and the same report gives the same bytes. */
export interface Writer {
  format: string
  /** File extensions that select this format with -o FILE. */
  extensions: readonly string[]
  description: string
  write(report: Report): string
}
