import {Args, Flags} from '@oclif/core'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import type {Report} from '../../evidence/types.js'
import {validateReport} from '../../evidence/validate.js'
import {ConfigError} from '../../profiles/errors.js'
import {formatFromPath, writerFor, WRITERS} from '../../writers/index.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ReportConvert extends BaseCommand {
  static summary = 'Convert a native JSON evidence report to another format (nothing is re-probed)'

  // One line per paragraph: oclif wraps help text itself.
  static description = `Reads a report written by 'sg17scan scan -o report.json', checks it against schemas/report.schema.json (an invalid report exits 2 listing the problems) and writes it in another format: to stdout, or to -o FILE (the format then follows the extension unless --format is given: .sarif/.sarif.json, .junit.xml/.xml, .csv, .jsonl, .md).

Formats:
${WRITERS.map((w) => `  ${w.format.padEnd(6)} ${w.description}`).join('\n')}`

  static examples = [
    '<%= config.bin %> report convert report.json --format sarif -o report.sarif',
    '<%= config.bin %> report convert report.json -o results.junit.xml',
    '<%= config.bin %> report convert report.json --format md >> "$GITHUB_STEP_SUMMARY"',
  ]

  static args = {
    report: Args.string({description: 'native JSON report file (- for stdin)', required: true}),
  }

  static flags = {
    format: Flags.string({char: 'f', description: `output format: ${WRITERS.map((w) => w.format).join(', ')}`}),
    output: Flags.string({char: 'o', description: 'write to FILE instead of stdout'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ReportConvert)
    const format = flags.format ?? (flags.output ? formatFromPath(flags.output) : undefined)
    if (!format) {
      throw new ConfigError(
        `give --format (${WRITERS.map((w) => w.format).join(', ')})${flags.output ? ` : the extension of ${flags.output} implies none` : ''}`,
      )
    }
    const writer = writerFor(format)
    const report = readReport(args.report)
    const text = writer.write(report)
    if (flags.output) {
      const path = resolve(flags.output)
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(path, text)
      this.log(`Report (${writer.format}): ${path}`)
    } else {
      process.stdout.write(text)
    }
  }
}

function readReport(file: string): Report {
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
