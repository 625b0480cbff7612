import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dbFlag, dbLocation, filterFlags, filterOf} from '../../cli/db-flags.js'
import {type Column, shortSha, toCsv, toTable} from '../../db/format.js'
import {openStore} from '../../db/open.js'
import {countDevices, type DeviceResultRow, queryDevices} from '../../db/queries.js'

export default class DbQuery extends BaseCommand {
  static summary = 'List stored device results by vendor, model, firmware, check, requirement, verdict, campaign, lab and date'

  static description = `One row per device result (a device in one run), newest run first. With --check, only devices with a finding of that check, and its outcome (filter it with --outcome). Output: a table (default), --csv (RFC 4180) or --json.`

  static examples = [
    '<%= config.bin %> db query --vendor Acme --model AC-410',
    '<%= config.bin %> db query --check ssh.kex.weak --outcome fail --campaign MS-2026 --csv > weak-kex.csv',
    '<%= config.bin %> db query --lab "Lab A" --since 2026-01-01 --until 2026-03-31 --json',
  ]

  static enableJsonFlag = true

  static flags = {
    ...dbFlag,
    ...filterFlags,
    csv: Flags.boolean({description: 'print CSV instead of a table', exclusive: ['json']}),
    limit: Flags.integer({description: 'at most N rows', default: 1000, min: 1}),
  }

  async run(): Promise<{total: number; rows: DeviceResultRow[]}> {
    const {flags} = await this.parse(DbQuery)
    const filter = filterOf(flags)
    const store = await openStore(dbLocation(flags.db))
    try {
      const [rows, total] = await Promise.all([queryDevices(store, filter, flags.limit), countDevices(store, filter)])
      const columns: Array<Column<DeviceResultRow>> = [
        {header: 'date', value: (r) => r.date.slice(0, 10)},
        {header: 'lab', value: (r) => r.lab},
        {header: 'campaign', value: (r) => r.campaign},
        {header: 'vendor', value: (r) => r.vendor},
        {header: 'model', value: (r) => r.model},
        {header: 'firmware', value: (r) => r.firmware},
        {header: 'device', value: (r) => r.device},
        {header: 'verdict', value: (r) => r.verdict},
        {header: 'failed', value: (r) => r.failed},
        ...(filter.check ? [{header: filter.check, value: (r: DeviceResultRow) => r.outcome}] : []),
        {header: 'report', value: (r) => (flags.csv ? r.reportSha256 : shortSha(r.reportSha256))},
      ]
      if (flags.csv) process.stdout.write(toCsv(rows, columns))
      else if (!this.jsonEnabled()) {
        process.stdout.write(toTable(rows, columns))
        this.log(`${rows.length} of ${total} device result${total === 1 ? '' : 's'}`)
      }
      return {total, rows}
    } finally {
      await store.close()
    }
  }
}
