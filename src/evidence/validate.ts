import type {Report} from './types.js'
import {formatSchemaErrors, schemaValidator} from '../util/schema.js'

/** Validates a report against schemas/report.schema.json; returns the problems (empty when valid). */
export function validateReport(report: unknown): string[] {
  const validate = schemaValidator('report')
  return validate(report) ? [] : formatSchemaErrors(validate.errors)
}

export function assertValidReport(report: unknown): asserts report is Report {
  const problems = validateReport(report)
  if (problems.length > 0) throw new Error(`report does not match schemas/report.schema.json:\n${problems.join('\n')}`)
}
