import {Flags} from '@oclif/core'

import {ALL_CHECKS} from '../../../checks/index.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ChecksList extends BaseCommand {
  static summary = 'List the check modules this version implements'
  static examples = ['<%= config.bin %> checks list', '<%= config.bin %> checks list --family tls --json']
  static enableJsonFlag = true
  static flags = {
    family: Flags.string({description: 'only checks of this family (tls, ssh, cred, svc, snmp, pii, http, identity)'}),
  }

  async run() {
    const {flags} = await this.parse(ChecksList)
    const checks = ALL_CHECKS.filter((c) => !flags.family || c.family === flags.family)
    const width = Math.max(...checks.map((c) => c.id.length), 5)
    this.log(`${'CHECK'.padEnd(width)}  SEVERITY  INTRUSIVE  TITLE`)
    for (const c of checks) this.log(`${c.id.padEnd(width)}  ${c.defaultSeverity.padEnd(8)}  ${(c.intrusive ? 'yes' : 'no').padEnd(9)}  ${c.title}`)
    return checks.map(({evaluate: _evaluate, ...meta}) => meta)
  }
}
