import type {Writer} from './types.js'

/**
 * JSON Lines: one line per device (the device object, observations and artifacts included, preceded by the
 * run id that ties the lines of one report together). JSON.stringify leaves U+2028/U+2029 raw; they are valid
 * JSON but some line splitters break on them, so they are escaped to keep one device per physical line.
 */
export const jsonlWriter: Writer = {
  format: 'jsonl',
  extensions: ['.jsonl'],
  description: 'JSON Lines: one device per line with the report run id, for streaming',
  write: (report) =>
    report.devices
      .map((device) => `${JSON.stringify({reportRunId: report.run.id, ...device}).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}\n`)
      .join(''),
}
