import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {BUNDLE_SIGNING_FLAGS, labFromFlags, signerFromFlags} from '../../cli/bundle-flags.js'
import {readReportFile} from '../../cli/report-file.js'
import {BUNDLE_WRITERS, writeBundle} from '../../evidence/bundle.js'

export default class ReportBundle extends BaseCommand {
  static summary = 'Write a verifiable (optionally signed) evidence bundle directory from a native JSON report'

  static description = `Reads a report written by 'sg17scan scan -o report.json' (an invalid report exits 2) and writes into --out DIR (new or empty):

  report.json                                the native report
  artifacts/<observation id>/<i>-<kind>.<ext>  each raw artifact, its stored content as text (.pem .hex .b64 .txt), so its sha256 in report.json re-verifies
  ${BUNDLE_WRITERS.map((w) => w.path).join(', ')}
  manifest.json                              sha256 and size of every file, lab details, run id, profile, tool build; signedAt when signed
  signer.json, manifest.sig                  with --sign-key: the public key (and --sign-cert chain) and a base64 signature over the exact manifest.json bytes

The same report and options give byte-identical bundles, except a signed bundle's signedAt (the signing time) and an ECDSA signature (randomized). Check a bundle with 'sg17scan report verify DIR' (--trust CA.pem to check who signed; an unsigned bundle exits 5 unless --allow-unsigned).`

  static examples = [
    '<%= config.bin %> report bundle report.json --out evidence/',
    '<%= config.bin %> report bundle report.json --out evidence/ --sign-key lab-ed25519.pem --sign-cert lab-chain.pem --lab-name "ACME Test Lab" --operator "J. Doe" --accreditation-id ISO17025-1234',
  ]

  static enableJsonFlag = true

  static args = {
    report: Args.string({description: 'native JSON report file (- for stdin)', required: true}),
  }

  static flags = {
    out: Flags.string({description: 'bundle directory to create (must be new or empty)', required: true}),
    ...BUNDLE_SIGNING_FLAGS,
  }

  async run() {
    const {args, flags} = await this.parse(ReportBundle)
    // Key and certificate first: a bad key fails before anything is written.
    const signer = signerFromFlags(flags)
    const report = readReportFile(args.report)
    const result = writeBundle(report, flags.out, {lab: labFromFlags(flags), signer})
    this.log(`Bundle: ${result.dir} (${result.manifest.files.length} files${signer ? `, signed ${signer.algorithm}` : ', not signed'})`)
    return {
      dir: result.dir,
      signed: result.signed,
      algorithm: signer?.algorithm,
      runId: result.manifest.runId,
      files: result.files,
    }
  }
}
