import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {readFlagFile} from '../../cli/report-file.js'
import {parseCertificates} from '../../evidence/sign.js'
import {verifyBundle, type VerifyResult} from '../../evidence/verify.js'

export default class ReportVerify extends BaseCommand {
  static summary = 'Verify an evidence bundle: file hashes, report schema, artifacts, signature and (with --trust) the signer chain'

  static description = `Checks a directory written by 'sg17scan report bundle': every file listed in manifest.json exists with its sha256 and size, no file was added, report.json matches the schema and its artifacts match their files, manifest.sig verifies with the key in signer.json and, with --trust, the signer's certificate chain leads to one of the given anchors.

Exit codes: 0 verified · 1 a problem was found (each printed on its own line, naming the file) · 2 usage error (no such directory, unreadable --trust file). An unsigned bundle verifies (integrity only) unless --trust is given.`

  static examples = ['<%= config.bin %> report verify evidence/', '<%= config.bin %> report verify evidence/ --trust lab-root-ca.pem --json']

  static enableJsonFlag = true

  static args = {
    dir: Args.string({description: 'bundle directory', required: true}),
  }

  static flags = {
    trust: Flags.string({description: 'PEM file of trust anchors for the signer certificate; repeatable', multiple: true}),
  }

  async run(): Promise<VerifyResult> {
    const {args, flags} = await this.parse(ReportVerify)
    const trust = (flags.trust ?? []).map((file) => {
      const pem = readFlagFile('--trust', file)
      parseCertificates(pem, `--trust ${file}`)
      return pem
    })
    const result = verifyBundle(args.dir, trust.length > 0 ? {trust} : {})
    if (result.ok) {
      const who = result.signer
        ? `signed ${result.signer.algorithm} by ${result.signer.subject ?? `key ${result.signer.keyFingerprint}`}${result.signer.trusted ? ' (trusted)' : ''}`
        : 'NOT signed: integrity only'
      this.log(`OK: ${args.dir}: ${result.manifest?.files ?? 0} files verified, ${who}`)
    } else {
      this.logToStderr(`FAILED: ${args.dir}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`)
      for (const problem of result.problems) this.logToStderr(`  ${problem}`)
      process.exitCode = 1
    }
    return result
  }
}
