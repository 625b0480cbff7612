import {Args, Flags} from '@oclif/core'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {ConfigError} from '../../profiles/errors.js'
import {formatFromPath, loadWriter, WRITERS} from '../../writers/index.js'
import {BaseCommand} from '../../cli/base-command.js'
import {readReportFile} from '../../cli/report-file.js'

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
    const writer = await loadWriter(format)
    const report = readReportFile(args.report)
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
