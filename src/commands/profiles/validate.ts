import {Args} from '@oclif/core'

import {loadProfileFile} from '../../profiles/loader.js'
import {coverageLine, requirementCoverage} from '../../requirements/coverage.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ProfilesValidate extends BaseCommand {
  static summary = 'Validate a profile file; errors name the file, line and field (exit 2)'
  static examples = ['<%= config.bin %> profiles validate ./my-profile.yaml']
  static enableJsonFlag = true
  static args = {file: Args.string({description: 'profile YAML file', required: true})}

  async run() {
    const {args} = await this.parse(ProfilesValidate)
    const p = loadProfileFile(args.file)
    const requirements = p.requirements.length > 0 ? `, ${coverageLine(requirementCoverage(p.requirements))}` : ''
    this.log(`${args.file}: valid profile ${p.id} v${p.version} (${p.checks.length} checks${requirements})`)
    return {valid: true, id: p.id, version: p.version, checks: p.checks.length, requirements: p.requirements.length, sha256: p.sha256}
  }
}
