import {checkById} from '../../checks/index.js'
import {type BatchSummary, type Device, type Finding, OUTCOMES, type Outcome, type ReportSummary, SEVERITIES, type Severity, type Verdict} from '../evidence/types.js'

export const EXIT = {compliant: 0, finding: 1, usage: 2, incomplete: 3} as const

/** severity rank: critical 4 … info 0 */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s)
}

export function isBlocking(f: Pick<Finding, 'outcome' | 'severity'>, failOn: Severity): boolean {
  return f.outcome === 'fail' && severityRank(f.severity) >= severityRank(failOn)
}

/** An intrusive check left out because intrusive testing was not enabled: a policy choice, listed in the report
 *  but not a gap in what was asked for. Derived from the data, so `report merge` recomputes the same verdict. */
export function skippedByPolicy(f: Finding): boolean {
  return f.outcome === 'not_tested' && checkById(f.check)?.intrusive === true
}

/** A selected check that gives no answer: errored, not tested (other than by policy), or looked and could not
 *  tell (inconclusive). Any of them keeps a device from passing. */
export function isGap(f: Finding): boolean {
  return f.outcome === 'error' || f.outcome === 'inconclusive' || (f.outcome === 'not_tested' && !skippedByPolicy(f))
}

/** fail: a failed finding at/above failOn; incomplete: something could not be tested, could not be told
 *  (inconclusive), or nothing was tested; pass: everything selected was tested and nothing at/above failOn failed. */
export function deviceVerdict(findings: Finding[], failOn: Severity): Verdict {
  if (findings.some((f) => isBlocking(f, failOn))) return 'fail'
  const tested = findings.some((f) => f.outcome === 'pass' || f.outcome === 'fail')
  if (!tested || findings.some(isGap)) return 'incomplete'
  return 'pass'
}

export function summarize(devices: Device[], failOn: Severity): ReportSummary {
  const verdicts: Record<Verdict, number> = {pass: 0, fail: 0, incomplete: 0}
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  for (const d of devices) {
    verdicts[d.verdict]++
    for (const f of d.findings) {
      outcomes[f.outcome]++
      if (f.outcome === 'fail') failedBySeverity[f.severity]++
    }
  }
  const exitCode =
    verdicts.fail > 0 ? EXIT.finding : verdicts.incomplete > 0 || devices.length === 0 ? EXIT.incomplete : EXIT.compliant
  return {devices: devices.length, verdicts, outcomes, failedBySeverity, failOn, exitCode}
}

/** A failed batch finding at/above failOn (e.g. one private key on several devices) fails the run as a device
 *  finding would: exit 1. Device verdicts and counts stay those of the devices. */
export function withBatch(summary: ReportSummary, batch: BatchSummary | undefined): ReportSummary {
  const blocking = batch?.findings.some((f) => isBlocking(f, summary.failOn)) ?? false
  return blocking && summary.exitCode !== EXIT.finding ? {...summary, exitCode: EXIT.finding} : summary
}
