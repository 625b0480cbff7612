import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {readFlagFile, readReportFile} from '../../cli/report-file.js'
import {BUNDLE_WRITERS, writeBundle} from '../../evidence/bundle.js'
import {loadSigner, type Signer} from '../../evidence/sign.js'

export default class ReportBundle extends BaseCommand {
  static summary = 'Write a verifiable (optionally signed) evidence bundle directory from a native JSON report'

  static description = `Reads a report written by 'sg17scan scan -o report.json' (an invalid report exits 2) and writes into --out DIR (new or empty):

  report.json                                the native report
  artifacts/<observation id>/<i>-<kind>.<ext>  each raw artifact, its stored content as text (.pem .hex .b64 .txt), so its sha256 in report.json re-verifies
  ${BUNDLE_WRITERS.map((w) => w.path).join(', ')}
  manifest.json                              sha256 and size of every file, lab details, run id, profile
  signer.json, manifest.sig                  with --sign-key: the public key (and --sign-cert chain) and a base64 signature over manifest.json

The same report and options give byte-identical bundles (an ECDSA signature excepted: ECDSA is randomized). Check a bundle with 'sg17scan report verify DIR'.`

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
    'sign-key': Flags.string({description: 'private key PEM (PKCS#8, unencrypted): Ed25519 or ECDSA P-256'}),
    'sign-cert': Flags.string({description: 'X.509 certificate chain PEM for --sign-key, leaf first', dependsOn: ['sign-key']}),
    'lab-name': Flags.string({description: 'testing laboratory name, recorded in manifest.json'}),
    operator: Flags.string({description: 'person who ran the tests, recorded in manifest.json'}),
    'accreditation-id': Flags.string({description: 'laboratory accreditation id (e.g. ISO/IEC 17025), recorded in manifest.json'}),
  }

  async run() {
    const {args, flags} = await this.parse(ReportBundle)
    // Key and certificate first: a bad key fails before anything is written.
    let signer: Signer | undefined
    if (flags['sign-key']) {
      signer = loadSigner({
        keyPem: readFlagFile('--sign-key', flags['sign-key']),
        keySource: `--sign-key ${flags['sign-key']}`,
        ...(flags['sign-cert'] ? {certPem: readFlagFile('--sign-cert', flags['sign-cert']), certSource: `--sign-cert ${flags['sign-cert']}`} : {}),
      })
    }
    const report = readReportFile(args.report)
    const result = writeBundle(report, flags.out, {
      lab: {name: flags['lab-name'], operator: flags.operator, accreditationId: flags['accreditation-id']},
      signer,
    })
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
