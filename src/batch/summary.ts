import {EXIT, summarize} from '../engine/verdict.js'
import type {Device, ReportSummary, Severity} from '../evidence/types.js'

/** summarize() one device at a time: the batch report's summary without holding the devices. */
export class SummaryAccumulator {
  private total: ReportSummary

  constructor(private readonly failOn: Severity) {
    this.total = summarize([], failOn)
  }

  add(device: Device): void {
    const one = summarize([device], this.failOn)
    const t = this.total
    t.devices++
    for (const k of Object.keys(one.verdicts) as Array<keyof typeof one.verdicts>) t.verdicts[k] += one.verdicts[k]
    for (const k of Object.keys(one.outcomes) as Array<keyof typeof one.outcomes>) t.outcomes[k] += one.outcomes[k]
    for (const k of Object.keys(one.failedBySeverity) as Array<keyof typeof one.failedBySeverity>) t.failedBySeverity[k] += one.failedBySeverity[k]
  }

  /** Same exit rule as summarize(). */
  result(): ReportSummary {
    const t = this.total
    t.exitCode = t.verdicts.fail > 0 ? EXIT.finding : t.verdicts.incomplete > 0 || t.devices === 0 ? EXIT.incomplete : EXIT.compliant
    return t
  }
}
