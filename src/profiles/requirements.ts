/**
 * Checks on a profile's `requirements:` the schema cannot express: unique ids, checks that exist and that the
 * profile selects, rules that have what they read. Each problem names file:line and the field.
 */
import {checkById} from '../../checks/index.js'
import type {RequirementDef} from '../requirements/types.js'

const NEEDS_CHECKS = new Set(['checks', 'checks+declared-crypto', 'password-scheme', 'shared-keys', 'checks-fail-only'])

export function requirementProblems(
  defs: readonly RequirementDef[],
  selectedChecks: ReadonlySet<string>,
  locate: (index: number, field?: string) => string,
  hasStandard: boolean,
): string[] {
  const problems: string[] = []
  if (defs.length > 0 && !hasStandard) problems.push(`${locate(0)} /standard: a profile with requirements names its standard (standard: {name, source})`)
  const seen = new Map<string, number>()
  defs.forEach((d, i) => {
    const first = seen.get(d.id)
    if (first !== undefined) problems.push(`${locate(i, 'id')} /requirements/${i}/id: '${d.id}' is already listed at ${locate(first, 'id')}`)
    else seen.set(d.id, i)
    d.checks.forEach((id, k) => {
      const check = checkById(id)
      if (!check) problems.push(`${locate(i, `checks/${k}`)} /requirements/${i}/checks/${k}: unknown check '${id}' (see 'sg17scan checks list')`)
      else if (!selectedChecks.has(id)) problems.push(`${locate(i, `checks/${k}`)} /requirements/${i}/checks/${k}: check '${id}' is not selected by this profile's checks:`)
      else if (d.rule === 'shared-keys' && check.scope !== 'batch') problems.push(`${locate(i, `checks/${k}`)} /requirements/${i}/checks/${k}: rule shared-keys reads batch checks; '${id}' is a ${check.scope ?? 'service'} check`)
    })
    if (d.notRemote !== undefined && d.rule !== 'documentation' && d.rule !== 'checks-fail-only') problems.push(`${locate(i, 'notRemote')} /requirements/${i}/notRemote: only a requirement with rule documentation or checks-fail-only is (partly) not assessed remotely`)
    if (d.rule === 'documentation' && d.checks.length > 0) problems.push(`${locate(i, 'rule')} /requirements/${i}/rule: rule documentation decides without tests, so it lists no checks`)
    // A test case belongs to its requirement: TS 103 701 numbers them <provision>-<sequence> (5.1-1-2).
    d.testCases?.forEach((t, k) => {
      if (!t.id.startsWith(`${d.id}-`)) problems.push(`${locate(i, `testCases/${k}/id`)} /requirements/${i}/testCases/${k}/id: test case '${t.id}' is not one of requirement '${d.id}' (expected ${d.id}-<n>)`)
    })
    if (NEEDS_CHECKS.has(d.rule) && d.checks.length === 0) problems.push(`${locate(i, 'rule')} /requirements/${i}/rule: rule ${d.rule} derives the verdict from checks: list them under checks:`)
  })
  return problems
}
