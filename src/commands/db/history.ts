import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dbFlag, dbLocation} from '../../cli/db-flags.js'
import {toTable} from '../../db/format.js'
import {openStore} from '../../db/open.js'
import {type FirmwareHistory, modelHistory} from '../../db/history.js'

export default class DbHistory extends BaseCommand {
  static summary = "One model's history: every firmware version seen, its verdicts, and what changed from the previous one (report diff)"

  static description = `Each firmware version of the model (oldest first), with its device verdicts. From the second on, the stored report.json of the run that first showed it and that of the previous firmware (the bytes ingest verified), cut down to this model's devices, are compared by 'report diff': checks newly failing and fixed, devices matched/added/removed, device verdict changes and requirement verdict changes. --json gives the whole comparison.`

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
          {header: 'verdict changes', value: (h) => (h.changes ? h.changes.verdictChanges.map((v) => `${v.device} ${v.from}→${v.to}`).join(', ') : '')},
          {header: 'requirement changes', value: (h) => (h.changes ? h.changes.requirementChanges.map((v) => `${v.device} ${v.requirement} ${v.from}→${v.to}`).join(', ') : '')},
        ]).trimEnd(),
      )
      for (const h of history) if (h.unavailable) this.log(`${h.firmware ?? '(unknown)'}: ${h.unavailable}`)
    }
    return history
  }
}
