import {Args, Flags} from '@oclif/core'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {loadDiffInput} from '../../cli/diff-input.js'
import {readFlagFile} from '../../cli/report-file.js'
import {diffReports} from '../../evidence/diff/index.js'
import {parseCertificates} from '../../evidence/sign.js'
import {SEVERITIES, type Severity} from '../../evidence/types.js'
import {ConfigError} from '../../profiles/errors.js'
import {DIFF_FORMATS, type DiffFormat, diffFormatFromPath, renderDiff} from '../../writers/diff/index.js'

export default class ReportDiff extends BaseCommand {
  static summary = 'Compare two reports or bundles (before → after): new, fixed and changed findings, observation changes'

  static description = `A and B are native JSON reports, batch output directories (their report.json) or evidence bundles (verified first; one that does not verify is refused). Devices are paired by id, else by identity (declared serial, leaf certificate, TLS key, SSH host key, SNMP engine id); services by id, else protocol and port, else protocol. Lists findings new (B fails, A did not), fixed (A failed, B passes or the service is gone), changed outcome or severity, and observation changes: services appeared/vanished, TLS protocols/suites/groups, certificate or key, SSH algorithms/host keys/auth methods, SNMP communities accepted (by dataset id), banners, firmware.

Exit codes: 0 no new failure at or above --fail-on in B · 1 B has one (a CI gate for firmware releases) · 2 bad input (unreadable or invalid report, a bundle that does not verify, bad flag). JSON output: schemas/report-diff.schema.json.`

  static examples = [
    '<%= config.bin %> report diff fw-1.4.json fw-1.5.json --fail-on high',
    '<%= config.bin %> report diff evidence-2025/ evidence-2026/ --trust lab-root.pem -o diff.html -o diff.json',
    '<%= config.bin %> report diff before.json after.json --format md >> "$GITHUB_STEP_SUMMARY"',
  ]

  static args = {
    a: Args.string({description: 'before: report.json, batch output directory or bundle directory', required: true}),
    b: Args.string({description: 'after: report.json, batch output directory or bundle directory', required: true}),
  }

  static flags = {
    'fail-on': Flags.string({description: 'lowest severity of a new failure in B that makes the exit code 1', options: [...SEVERITIES], default: 'medium'}),
    format: Flags.string({char: 'f', description: `output format (${DIFF_FORMATS.join(', ')}); without -o printed on stdout; with -o the format of a file whose extension names none`, options: [...DIFF_FORMATS]}),
    output: Flags.string({char: 'o', description: 'write to FILE (format from the extension: .json, .md, .html, .txt); repeatable', multiple: true}),
    trust: Flags.string({description: 'PEM trust anchors for bundle signers (passed to the bundle verifier); repeatable', multiple: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ReportDiff)
    const trust = (flags.trust ?? []).map((file) => {
      const pem = readFlagFile('--trust', file)
      parseCertificates(pem, `--trust ${file}`)
      return pem
    })
    const verifyOptions = trust.length > 0 ? {trust} : {}
    const diff = diffReports(loadDiffInput(args.a, verifyOptions), loadDiffInput(args.b, verifyOptions), flags['fail-on'] as Severity)
    const outputs = (flags.output ?? []).map((file) => {
      const format = diffFormatFromPath(file) ?? (flags.format as DiffFormat | undefined)
      if (!format) throw new ConfigError(`-o ${file}: the extension names no format (.json, .md, .html, .txt): add --format`)
      return {file, format}
    })
    if (outputs.length === 0) {
      process.stdout.write(renderDiff(diff, (flags.format as DiffFormat | undefined) ?? 'console'))
    } else {
      for (const {file, format} of outputs) {
        const path = resolve(file)
        mkdirSync(dirname(path), {recursive: true})
        writeFileSync(path, renderDiff(diff, format))
      }
      process.stdout.write(renderDiff(diff, 'console'))
      for (const {file, format} of outputs) this.log(`Diff (${format}): ${resolve(file)}`)
    }
    process.exitCode = diff.summary.exitCode
  }
}
