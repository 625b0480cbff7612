import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dbFlag, dbLocation} from '../../cli/db-flags.js'
import {readFlagFile} from '../../cli/report-file.js'
import {type IngestOutcome, type IngestRefusal, ingestPath, type IngestTarget} from '../../db/ingest.js'
import {openStore} from '../../db/open.js'
import {parseCertificates} from '../../evidence/sign.js'
import {ConfigError} from '../../profiles/errors.js'

export default class DbIngest extends BaseCommand {
  static summary = 'Verify reports, evidence bundles or batch output directories and store them in the conformity database'

  static description = `Each input is verified before anything of it is stored: a bundle with 'report verify' (hashes, schema, artifacts, signature; with --trust, the signer chain), a report against the schema, and both for self-contradiction (a device verdict its findings do not give, a summary that does not count its devices, evidence naming no observation, an artifact whose hash is not its content's). A refused input is listed with every reason and nothing of it is stored.

Each input is one transaction. The same report ingested again (alone, in a bundle, pretty-printed or not) is a duplicate and adds nothing. Every run keeps the SHA-256 of the raw report.json and, for bundles, of manifest.json.

Exit codes: 0 every input stored or already there · 1 an input was refused · 2 usage error (bad --db, --period, unreadable --trust).`

  static examples = [
    '<%= config.bin %> db ingest evidence/ --lab "Lab A" --campaign MS-2026 --period 2026-01-01..2026-12-31',
    '<%= config.bin %> db ingest run1/ run2/ report.json --db postgres://sg17scan@db.lab.example/conformity',
  ]

  static strict = false
  static enableJsonFlag = true

  static args = {
    inputs: Args.string({description: 'report files, bundle directories or batch output directories', required: true}),
  }

  static flags = {
    ...dbFlag,
    lab: Flags.string({description: 'lab that ran the scans (default: the bundle manifest lab name)'}),
    campaign: Flags.string({description: 'campaign the runs belong to (created on first use)'}),
    period: Flags.string({description: 'campaign period START..END (YYYY-MM-DD..YYYY-MM-DD)'}),
    'campaign-notes': Flags.string({description: 'campaign notes, e.g. sampling method'}),
    trust: Flags.string({description: 'PEM trust anchors: bundles must be signed by a chain leading to one; repeatable', multiple: true}),
  }

  async run(): Promise<Array<IngestOutcome | IngestRefusal>> {
    const {argv, flags} = await this.parse(DbIngest)
    const inputs = argv as string[]
    const target: IngestTarget = {...(flags.lab ? {lab: flags.lab} : {})}
    if (flags.period || flags['campaign-notes']) {
      if (!flags.campaign) throw new ConfigError('--period and --campaign-notes describe a campaign: give --campaign NAME too')
    }
    if (flags.campaign) {
      const period = flags.period ? parsePeriod(flags.period) : {}
      target.campaign = {name: flags.campaign, ...period, ...(flags['campaign-notes'] ? {notes: flags['campaign-notes']} : {})}
    }
    const trust = (flags.trust ?? []).map((file) => {
      const pem = readFlagFile('--trust', file)
      parseCertificates(pem, `--trust ${file}`)
      return pem
    })
    const store = await openStore(dbLocation(flags.db))
    const results: Array<IngestOutcome | IngestRefusal> = []
    try {
      for (const input of inputs) {
        const result = await ingestPath(store, input, target, {trust})
        results.push(result)
        if (result.status === 'refused') {
          this.logToStderr(`REFUSED    ${input}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}, nothing stored`)
          for (const p of result.problems.slice(0, 20)) this.logToStderr(`  ${p}`)
          if (result.problems.length > 20) this.logToStderr(`  … ${result.problems.length - 20} more`)
        } else {
          const what = result.status === 'stored' ? `${result.devices} devices, ${result.findings} findings` : 'already in the store, nothing added'
          this.log(`${result.status.padEnd(10)} ${input}: ${what} (report sha256 ${result.reportSha256.slice(0, 16)}…)`)
        }
      }
    } finally {
      await store.close()
    }
    const refused = results.filter((r) => r.status === 'refused').length
    this.log(`${store.location}: ${results.filter((r) => r.status === 'stored').length} stored, ${results.filter((r) => r.status === 'duplicate').length} duplicate, ${refused} refused`)
    if (refused > 0) process.exitCode = 1
    return results
  }
}

function parsePeriod(value: string): {periodStart: string; periodEnd: string} {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value)
  if (!m || Number.isNaN(Date.parse(m[1]!)) || Number.isNaN(Date.parse(m[2]!))) throw new ConfigError(`--period ${value}: expected START..END, e.g. 2026-01-01..2026-12-31`)
  if (m[1]! > m[2]!) throw new ConfigError(`--period ${value}: the start is after the end`)
  return {periodStart: m[1]!, periodEnd: m[2]!}
}
