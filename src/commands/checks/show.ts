import {Args} from '@oclif/core'

import {checkById} from '../../../checks/index.js'
import {ConfigError} from '../../profiles/errors.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ChecksShow extends BaseCommand {
  static summary = 'Describe one check: condition, severity, observations it reads, references'
  static examples = ['<%= config.bin %> checks show tls.cipher.weak']
  static enableJsonFlag = true
  static args = {id: Args.string({description: 'check id', required: true})}

  async run() {
    const {args} = await this.parse(ChecksShow)
    const check = checkById(args.id)
    if (!check) throw new ConfigError(`unknown check '${args.id}' (see 'sg17scan checks list')`)
    const {evaluate: _evaluate, ...meta} = check
    this.log(`${check.id} — ${check.title}`)
    const scope =
      check.scope === 'device' ? 'evaluated once per device' : check.scope === 'batch' ? 'evaluated once per batch of devices' : `applies to ${check.protocols.join(', ')}`
    this.log(`  family ${check.family} · default severity ${check.defaultSeverity} · intrusive ${check.intrusive ? 'yes' : 'no'} · ${scope}`)
    this.log(`  reads: ${check.reads.join(', ')}`)
    if (check.scope === 'device' || check.scope === 'batch') this.log(`  derived from: ${check.sources.join(', ')}`)
    for (const [name, c] of Object.entries(check.conditions ?? {})) {
      this.log(`  condition ${name}: ${c.description} (default severity ${c.defaultSeverity}; profile: checks[].conditions)`)
    }
    this.log(`\n${check.description}\n\nRemediation: ${check.remediation}\n\nReferences:`)
    for (const r of check.references) this.log(`  ${r.framework.padEnd(16)} ${r.id}${r.clause ? ` ${r.clause}` : ''}`)
    return meta
  }
}
