import {readFileSync} from 'node:fs'

import type {Report} from '../evidence/types.js'
import {validateReport} from '../evidence/validate.js'
import {ConfigError} from '../profiles/errors.js'

/** Reads and schema-checks a native JSON report (- for stdin); every problem is a ConfigError (exit 2). */
export function readReportFile(file: string): Report {
  let text: string
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read report ${file}: ${(error as Error).message}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${file} is not JSON: ${(error as Error).message}`)
  }
  const problems = validateReport(data)
  if (problems.length > 0) throw new ConfigError(`${file} is not a valid sg17scan report (schemas/report.schema.json)`, problems)
  return data as Report
}

/** A text file the user named with a flag, or a ConfigError naming the flag. */
export function readFlagFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`${flag} ${file}: cannot read: ${(error as Error).message}`)
  }
}
