import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dbFlag, dbLocation} from '../../cli/db-flags.js'
import {toTable} from '../../db/format.js'
import {openStore} from '../../db/open.js'
import {type FirmwareHistory, modelHistory} from '../../db/queries.js'

export default class DbHistory extends BaseCommand {
  static summary = "One model's history: every firmware version seen, its verdicts, and which checks started or stopped failing"

  static examples = ['<%= config.bin %> db history AC-410', '<%= config.bin %> db history AC-410 --vendor Acme --json']

  static enableJsonFlag = true

  static args = {model: Args.string({description: 'model (case-insensitive)', required: true})}

  static flags = {...dbFlag, vendor: Flags.string({description: 'only this vendor'})}

  async run(): Promise<FirmwareHistory[]> {
    const {args, flags} = await this.parse(DbHistory)
    const store = await openStore(dbLocation(flags.db))
    let history: FirmwareHistory[]
    try {
      history = await modelHistory(store, args.model, flags.vendor)
    } finally {
      await store.close()
    }
    if (history.length === 0) this.log(`No device results of model ${args.model} in the store.`)
    else {
      this.log(
        toTable(history, [
          {header: 'firmware', value: (h) => h.firmware ?? '(unknown)'},
          {header: 'first seen', value: (h) => h.firstSeen.slice(0, 10)},
          {header: 'devices', value: (h) => h.devices},
          {header: 'pass', value: (h) => h.verdicts.pass},
          {header: 'fail', value: (h) => h.verdicts.fail},
          {header: 'incomplete', value: (h) => h.verdicts.incomplete},
          {header: 'newly failing', value: (h) => h.newlyFailing.join(' ')},
          {header: 'fixed', value: (h) => h.fixed.join(' ')},
        ]).trimEnd(),
      )
    }
    return history
  }
}
