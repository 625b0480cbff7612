import {Args, Flags} from '@oclif/core'

import {resolveProfile} from '../../profiles/loader.js'
import {coverageLine, requirementCoverage, testCaseLine} from '../../requirements/coverage.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ProfilesShow extends BaseCommand {
  static summary = 'Show a profile: its thresholds and the checks it selects with severities and references'
  static examples = [
    '<%= config.bin %> profiles show itu-t-x1352-baseline',
    '<%= config.bin %> profiles show ./my-profile.yaml --json',
    '<%= config.bin %> profiles show etsi-en-303-645 --requirements',
  ]
  static enableJsonFlag = true
  static args = {profile: Args.string({description: 'built-in profile id or path', required: true})}
  static flags = {
    requirements: Flags.boolean({description: 'list the standard\'s requirements (rule, checks, declaration items) and the coverage: N requirements, M network-testable, K decided by checks'}),
  }

  async run() {
    const {args, flags} = await this.parse(ProfilesShow)
    const p = resolveProfile(args.profile)
    const coverage = requirementCoverage(p.requirements)
    if (flags.requirements) {
      if (p.requirements.length === 0) this.log(`${p.id}: lists no requirements (a check-only profile)`)
      else {
        this.log(`${p.id} v${p.version} — ${p.standard?.name ?? ''}${p.standard?.version ? ` ${p.standard.version}` : ''} (ids from ${p.standard?.source ?? '?'})`)
        this.log(`Coverage: ${coverageLine(coverage)} (${coverage.mandatory} mandatory, ${coverage.recommended} recommended)`)
        const tests = testCaseLine(coverage)
        if (tests) this.log(`Test cases (docs/standards.md names the source): ${tests}`)
        this.log('')
        for (const r of p.requirements) {
          const cases = r.testCases?.length ? `test cases: ${r.testCases.map((t) => `${t.id} ${t.kind} (${t.units.join('')})`).join(', ')}` : ''
          const what = [r.checks.length ? `checks: ${r.checks.join(', ')}` : '', r.declaration.length ? `declaration: ${r.declaration.join(', ')}` : '', cases].filter(Boolean).join(' · ')
          this.log(`  ${r.id.padEnd(12)} ${(r.level ?? '-').padEnd(11)} ${r.rule.padEnd(22)} ${r.title}${what ? `\n  ${''.padEnd(47)}${what}` : ''}`)
        }
      }
    } else {
      this.log(`${p.id} v${p.version} — ${p.title}\nsha256 ${p.sha256}\n\n${p.description}\n`)
      this.log(`Thresholds: ${JSON.stringify(p.thresholds)}\n`)
      for (const s of p.checks) {
        const refs = s.references.map((r) => `${r.framework === 'CWE' ? '' : `${r.framework} `}${r.id}${r.clause ? ` ${r.clause}` : ''}`).join('; ')
        this.log(`  ${s.check.id.padEnd(34)} ${s.severity.padEnd(8)} ${refs}`)
      }
      if (p.requirements.length > 0) this.log(`\nRequirements of ${p.standard?.name}: ${coverageLine(coverage)} (profiles show ${args.profile} --requirements)`)
    }
    return {
      id: p.id, version: p.version, title: p.title, description: p.description, sha256: p.sha256, intrusive: p.intrusive, thresholds: p.thresholds,
      checks: p.checks.map((s) => ({id: s.check.id, severity: s.severity, references: s.references})),
      ...(p.standard ? {standard: p.standard} : {}),
      ...(p.requirements.length > 0 ? {requirements: p.requirements, coverage} : {}),
    }
  }
}
