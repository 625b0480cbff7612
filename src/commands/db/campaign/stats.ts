import {Args} from '@oclif/core'

import {BaseCommand} from '../../../cli/base-command.js'
import {dbFlag, dbLocation} from '../../../cli/db-flags.js'
import {toTable} from '../../../db/format.js'
import {openStore} from '../../../db/open.js'
import {type CampaignStats, campaignStats} from '../../../db/queries.js'

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`

export default class DbCampaignStats extends BaseCommand {
  static summary = 'Campaign statistics: devices, failure rate per check, requirement and vendor/model, keys shared across units'

  static description = `Failure rate per check = devices failing it / devices with a pass or fail finding of it. Per requirement (reports with requirement verdicts) = fail / (pass + fail). A key shared by several units (distinct declared serials) is a clone or counterfeit signal.`

  static examples = ['<%= config.bin %> db campaign stats MS-2026', '<%= config.bin %> db campaign stats MS-2026 --json']

  static enableJsonFlag = true

  static args = {name: Args.string({description: 'campaign name', required: true})}

  static flags = {...dbFlag}

  async run(): Promise<CampaignStats> {
    const {args, flags} = await this.parse(DbCampaignStats)
    const store = await openStore(dbLocation(flags.db))
    let stats: CampaignStats
    try {
      stats = await campaignStats(store, args.name)
    } finally {
      await store.close()
    }
    const c = stats.campaign
    const period = c.periodStart || c.periodEnd ? ` (${c.periodStart ?? '…'} to ${c.periodEnd ?? '…'})` : ''
    this.log(`Campaign ${c.name}${period}${c.notes ? `: ${c.notes}` : ''}`)
    this.log(`${stats.runs} runs, ${stats.devices} device results, ${stats.products} products; pass ${stats.verdicts.pass}, fail ${stats.verdicts.fail}, incomplete ${stats.verdicts.incomplete} (failure rate ${pct(stats.failureRate)})`)
    this.log('\nPer check:')
    this.log(toTable(stats.checks, [
      {header: 'check', value: (r) => r.check},
      {header: 'tested', value: (r) => r.tested},
      {header: 'failed', value: (r) => r.failed},
      {header: 'rate', value: (r) => pct(r.rate)},
    ]).trimEnd())
    if (stats.requirements.length > 0) {
      this.log('\nPer requirement:')
      this.log(toTable(stats.requirements, [
        {header: 'standard', value: (r) => r.standard},
        {header: 'requirement', value: (r) => r.requirement},
        {header: 'assessed', value: (r) => r.assessed},
        {header: 'failed', value: (r) => r.failed},
        {header: 'rate', value: (r) => pct(r.rate)},
      ]).trimEnd())
    }
    this.log('\nPer vendor/model:')
    this.log(toTable(stats.models, [
      {header: 'vendor', value: (r) => r.vendor},
      {header: 'model', value: (r) => r.model},
      {header: 'devices', value: (r) => r.devices},
      {header: 'failed', value: (r) => r.failed},
      {header: 'rate', value: (r) => pct(r.rate)},
    ]).trimEnd())
    this.log(stats.sharedKeys.length === 0 ? '\nKeys shared across units: none' : '\nKeys shared across units:')
    if (stats.sharedKeys.length > 0) {
      this.log(toTable(stats.sharedKeys, [
        {header: 'kind', value: (r) => r.kind},
        {header: 'fingerprint', value: (r) => r.fingerprint.slice(0, 24)},
        {header: 'units', value: (r) => r.devices},
        {header: 'models', value: (r) => r.models.join('; ')},
        {header: 'devices', value: (r) => r.names.join(' ')},
      ]).trimEnd())
    }
    return stats
  }
}
