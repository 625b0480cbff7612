import {Args, Flags} from '@oclif/core'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {readReportFile} from '../../cli/report-file.js'
import {sha256Hex} from '../../evidence/ids.js'
import {mergeReports, type MergePreference} from '../../evidence/merge.js'
import {redactCommandLine} from '../../evidence/redact.js'
import {SEVERITIES, type Severity} from '../../evidence/types.js'
import {assertValidReport} from '../../evidence/validate.js'
import {ConfigError} from '../../profiles/errors.js'
import {jsonWriter} from '../../writers/json.js'

export default class ReportMerge extends BaseCommand {
  static summary = 'Merge native JSON reports of one profile into one report'

  static description = `Devices are unioned by id. A device id found in several reports with identical content is kept once; with different content it is a conflict: the merge exits 1 listing the conflicts and writes nothing, unless --prefer first (keep the device from the earliest report given) or --prefer newest (from the report whose run finished last) resolves it.

Each input is re-verified first (as 'report verify' does): an input that contradicts itself is refused (exit 2). All reports must use the identical profile (id, version, sha256), and be judged by the same tool build (version, git commit or package) with the same data files, otherwise exit 2 (--allow-mixed-builds merges different builds anyway, with a warning). The summary and device verdicts are recomputed with --fail-on (default: the first report's). The merged run id is derived from the inputs' run ids; it starts at the earliest start and ends at the latest finish. run.sources keeps each input's provenance (file SHA-256, run id, tool build, profile, command lines, data digests, devices contributed).`

  static examples = [
    '<%= config.bin %> report merge camera.json gateway.json -o lab.json',
    '<%= config.bin %> report merge monday.json tuesday.json --prefer newest -o week.json',
  ]

  static strict = false

  static args = {
    reports: Args.string({description: 'native JSON report files (two or more)', required: true}),
  }

  static flags = {
    output: Flags.string({char: 'o', description: 'write the merged report to FILE instead of stdout'}),
    prefer: Flags.string({description: 'resolve a device id present with different content: keep it from the first report given or the newest run', options: ['first', 'newest']}),
    'fail-on': Flags.string({description: 'lowest failed severity that fails a device (default: from the first report)', options: [...SEVERITIES]}),
    'allow-mixed-builds': Flags.boolean({description: 'merge reports judged by different tool builds or data files (each keeps its build in run.sources)', default: false}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(ReportMerge)
    const files = argv as string[]
    if (files.length < 2) throw new ConfigError(`give two or more reports to merge (got ${files.length})`)
    const inputs = files.map((file) => ({name: file, report: readReportFile(file), ...(file === '-' ? {} : {sha256: sha256Hex(readFileSync(file))})}))
    const {report, conflicts, mixedBuilds} = mergeReports(inputs, {
      allowMixedBuilds: flags['allow-mixed-builds'],
      ...(flags.prefer ? {prefer: flags.prefer as MergePreference} : {}),
      ...(flags['fail-on'] ? {failOn: flags['fail-on'] as Severity} : {}),
      commandLine: redactCommandLine(['sg17scan', ...(this.id ?? 'report:merge').split(':'), ...this.argv]),
    })
    for (const m of mixedBuilds) this.logToStderr(`Warning: different build or data: ${m} (--allow-mixed-builds)`)
    for (const c of conflicts) {
      const what = `device ${c.deviceId}: different content in ${c.inputs.join(', ')} (${c.fields.join(', ')})`
      this.logToStderr(c.kept ? `Warning: ${what}; kept the one from ${c.kept} (--prefer ${flags.prefer})` : `Conflict: ${what}`)
    }
    if (!report) {
      this.logToStderr(`Error: ${conflicts.length} conflicting device${conflicts.length === 1 ? '' : 's'}; nothing written. Give --prefer first or --prefer newest to choose.`)
      this.exit(1)
      return
    }
    assertValidReport(report)
    const text = jsonWriter.write(report)
    if (flags.output) {
      const path = resolve(flags.output)
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(path, text)
      this.log(`Merged ${inputs.length} reports (${report.devices.length} devices): ${path}`)
    } else {
      process.stdout.write(text)
    }
  }
}
