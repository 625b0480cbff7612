import type {Writer} from './types.js'

export const jsonWriter: Writer = {
  format: 'json',
  extensions: ['.json'],
  description: 'the native evidence report (schemas/report.schema.json)',
  write: (report) => `${JSON.stringify(report, null, 2)}\n`,
}
