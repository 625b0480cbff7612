import {Args, Flags} from '@oclif/core'
import {existsSync} from 'node:fs'

import {BaseCommand} from '../../cli/base-command.js'
import {readFlagFile} from '../../cli/report-file.js'
import {parseCertificates} from '../../evidence/sign.js'
import {isBundleDir, verifyBundle, verifyReportFile, type VerifyResult} from '../../evidence/verify.js'
import {ConfigError} from '../../profiles/errors.js'

export default class ReportVerify extends BaseCommand {
  static summary = 'Verify a report or an evidence bundle: consistency (evidence, ids, verdicts, exit code), file hashes, signature, signer'

  static description = `A REPORT file (native JSON): checks it against the schema and recomputes everything derived — every evidence id resolves to an observation of the same device, every finding's service is one of its device's, each observation id from its content (artifacts' SHA-256 included), device verdicts, batch findings, the summary and the exit code from the findings and the report's fail-on. The first contradiction is named first.

A BUNDLE directory written by 'sg17scan report bundle': the same for its report.json, plus every file listed in manifest.json exists with its sha256 and size, no file was added, manifest.json is in the exact form sg17scan writes, manifest.sig verifies over the exact manifest.json bytes (no normalisation), the signer's certificates were valid at the signing time recorded in the signed manifest and, with --trust, the chain leads to one of the given anchors.

Exit codes: 0 verified (a bundle signed by a --trust signer; a consistent report; an unsigned bundle with --allow-unsigned) · 1 a problem was found (each printed on its own line, naming the file) · 2 usage error · 4 signature valid, signer unknown (give --trust) · 5 bundle not signed: only its internal consistency was checked (give --allow-unsigned to accept).`

  static examples = [
    '<%= config.bin %> report verify report.json',
    '<%= config.bin %> report verify evidence/ --trust lab-root-ca.pem',
    '<%= config.bin %> report verify evidence/ --allow-unsigned --json',
  ]

  static enableJsonFlag = true

  static args = {
    target: Args.string({description: 'native JSON report file or bundle directory', required: true}),
  }

  static flags = {
    trust: Flags.string({description: 'PEM file of trust anchors for the signer certificate; repeatable', multiple: true}),
    'allow-unsigned': Flags.boolean({description: 'accept an unsigned bundle (exit 0) although only its internal consistency can be checked', default: false}),
  }

  async run(): Promise<VerifyResult> {
    const {args, flags} = await this.parse(ReportVerify)
    const trust = (flags.trust ?? []).map((file) => {
      const pem = readFlagFile('--trust', file)
      parseCertificates(pem, `--trust ${file}`)
      return pem
    })
    if (!existsSync(args.target)) throw new ConfigError(`${args.target}: no such report file or bundle directory`)
    const bundle = isBundleDir(args.target)
    if (!bundle && trust.length > 0) throw new ConfigError('--trust checks the signer of a bundle; a bare report is not signed')
    const result = bundle
      ? verifyBundle(args.target, {...(trust.length > 0 ? {trust} : {}), allowUnsigned: flags['allow-unsigned']})
      : verifyReportFile(args.target)
    if (result.ok) {
      const who = result.signer ? `signed ${result.signer.algorithm} by ${result.signer.subject ?? `key ${result.signer.keyFingerprint}`}` : ''
      const line: Record<Exclude<VerifyResult['status'], 'failed'>, string> = {
        trusted: `verified: ${result.manifest?.files ?? 0} files, ${who}, signer trusted (--trust), signed at ${result.manifest?.signedAt}`,
        'signer-unknown': `signature valid, signer UNKNOWN: ${result.manifest?.files ?? 0} files, ${who}, signed at ${result.manifest?.signedAt}; give --trust CA.pem to check who signed`,
        unsigned: `NOT signed: only internal consistency was checked (${result.manifest?.files ?? 0} files); nothing proves manifest.json${flags['allow-unsigned'] ? ' (accepted: --allow-unsigned)' : '; --allow-unsigned accepts it'}`,
        consistent: 'consistent: no contradiction (a bare report: nothing proves who wrote it)',
      }
      const text = `${result.exitCode === 0 ? 'OK' : 'NOT VERIFIED'}: ${args.target}: ${line[result.status as Exclude<VerifyResult['status'], 'failed'>]}`
      if (result.exitCode === 0) this.log(text)
      else this.logToStderr(text)
      for (const note of result.notes.filter((n) => !/^(not signed|signer unknown)/.test(n))) this.log(`  note: ${note}`)
    } else {
      this.logToStderr(`FAILED: ${args.target}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; first: ${result.problems[0]}`)
      for (const problem of result.problems) this.logToStderr(`  ${problem}`)
      for (const note of result.notes) this.logToStderr(`  note: ${note}`)
    }
    process.exitCode = result.exitCode
    return result
  }
}
