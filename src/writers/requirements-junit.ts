/** JUnit: one extra test suite per device with requirements — a test case per requirement (fail → failure,
 *  inconclusive → error, not applicable / not assessed remotely → skipped), its reason and what decided it. */
import type {Device, Report, RequirementResult} from '../evidence/types.js'
import {decidedByText, requirementKey, VERDICT_LABEL} from './requirements.js'

export interface JunitCounts {
  tests: number
  failures: number
  errors: number
  skipped: number
}

export function requirementCounts(devices: readonly Device[]): JunitCounts {
  const all = devices.flatMap((d) => d.requirements ?? [])
  const n = (...v: RequirementResult['verdict'][]) => all.filter((r) => v.includes(r.verdict)).length
  return {tests: all.length, failures: n('fail'), errors: n('inconclusive'), skipped: n('not_applicable', 'not_assessed_remotely')}
}

export function requirementSuites(
  report: Report,
  h: {attrs: (pairs: Array<[string, string | number]>) => string; countAttrs: (c: JunitCounts) => string; xmlText: (s: string) => string; label: (d: Device) => string},
): string[] {
  const lines: string[] = []
  for (const d of report.devices) {
    if (!d.requirements?.length) continue
    lines.push(`  <testsuite${h.attrs([['name', `${h.label(d)} requirements`]])}${h.countAttrs(requirementCounts([d]))}>`)
    for (const r of d.requirements) {
      const open = `    <testcase${h.attrs([['classname', `${h.label(d)}.${r.standard}`], ['name', r.id]])}`
      const body = h.xmlText([r.reason, `requirement: ${requirementKey(r)} — ${r.title}`, `verdict: ${r.verdict} (rule ${r.rule})`, `decided by: ${decidedByText(r)}`].join('\n'))
      if (r.verdict === 'pass') lines.push(`${open}/>`)
      else if (r.verdict === 'fail') lines.push(`${open}>\n      <failure${h.attrs([['message', r.reason], ['type', r.level ?? 'requirement']])}>${body}</failure>\n    </testcase>`)
      else if (r.verdict === 'inconclusive') lines.push(`${open}>\n      <error${h.attrs([['message', r.reason], ['type', 'inconclusive']])}>${body}</error>\n    </testcase>`)
      else lines.push(`${open}>\n      <skipped${h.attrs([['message', `${VERDICT_LABEL[r.verdict]}: ${r.reason}`]])}/>\n    </testcase>`)
    }
    lines.push('  </testsuite>')
  }
  return lines
}
