import {Args} from '@oclif/core'

import {resolveProfile} from '../../profiles/loader.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ProfilesShow extends BaseCommand {
  static summary = 'Show a profile: its thresholds and the checks it selects with severities and references'
  static examples = ['<%= config.bin %> profiles show itu-t-x1352-baseline', '<%= config.bin %> profiles show ./my-profile.yaml --json']
  static enableJsonFlag = true
  static args = {profile: Args.string({description: 'built-in profile id or path', required: true})}

  async run() {
    const {args} = await this.parse(ProfilesShow)
    const p = resolveProfile(args.profile)
    this.log(`${p.id} v${p.version} — ${p.title}\nsha256 ${p.sha256}\n\n${p.description}\n`)
    this.log(`Thresholds: ${JSON.stringify(p.thresholds)}\n`)
    for (const s of p.checks) {
      const refs = s.references.map((r) => `${r.framework === 'CWE' ? '' : `${r.framework} `}${r.id}${r.clause ? ` ${r.clause}` : ''}`).join('; ')
      this.log(`  ${s.check.id.padEnd(34)} ${s.severity.padEnd(8)} ${refs}`)
    }
    return {
      id: p.id, version: p.version, title: p.title, description: p.description, sha256: p.sha256, intrusive: p.intrusive, thresholds: p.thresholds,
      checks: p.checks.map((s) => ({id: s.check.id, severity: s.severity, references: s.references})),
    }
  }
}
