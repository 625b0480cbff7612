import {Flags} from '@oclif/core'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {dbFlag, dbLocation, filterFlags, filterOf} from '../../cli/db-flags.js'
import {conformityCsv, conformityDocument} from '../../db/conformity.js'
import {openStore} from '../../db/open.js'
import {conformityList} from '../../db/queries.js'
import {ConfigError} from '../../profiles/errors.js'

export default class DbExport extends BaseCommand {
  static summary = 'Export the product conformity list (JSON per schemas/conformity.schema.json, or CSV)'

  static description = `One entry per device result: vendor, model, firmware, profile (id, version, sha256), verdict, date, lab, campaign, device, and the SHA-256 of the report (and bundle manifest) it comes from. The filters of 'db query' apply.`

  static examples = ['<%= config.bin %> db export --conformity -o conformity.json', '<%= config.bin %> db export --conformity --format csv --campaign MS-2026 -o ms-2026.csv']

  static flags = {
    ...dbFlag,
    ...filterFlags,
    conformity: Flags.boolean({description: 'export the conformity list (the only export so far)', required: true}),
    format: Flags.string({description: 'json or csv (default: from the -o extension, else json)', options: ['json', 'csv']}),
    output: Flags.string({char: 'o', description: 'write to FILE instead of stdout'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(DbExport)
    const format = flags.format ?? (flags.output?.toLowerCase().endsWith('.csv') ? 'csv' : 'json')
    if (flags.output && flags.format && !flags.output.toLowerCase().endsWith(`.${flags.format}`)) {
      throw new ConfigError(`-o ${flags.output}: the extension does not match --format ${flags.format}`)
    }
    const store = await openStore(dbLocation(flags.db))
    let text: string
    let count: number
    try {
      const entries = await conformityList(store, filterOf(flags))
      count = entries.length
      text = format === 'csv' ? conformityCsv(entries) : `${JSON.stringify(conformityDocument(entries), null, 2)}\n`
    } finally {
      await store.close()
    }
    if (flags.output) {
      const path = resolve(flags.output)
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(path, text)
      this.log(`Conformity list (${format}, ${count} entries): ${path}`)
    } else process.stdout.write(text)
  }
}
