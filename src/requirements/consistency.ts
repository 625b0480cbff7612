/**
 * `report verify`: requirement verdicts are derived, never written by hand, so each one is derived again from
 * the report (its findings, the recorded declaration, the services and the batch) with the rule the result names,
 * and a verdict that differs is a contradiction. The definition is rebuilt from the result (rule, checks).
 */
import {REQUIREMENT_RULES, type RequirementRule} from './types.js'
import type {Report} from '../evidence/types.js'
import {batchContext, observedServices} from './assess.js'
import {evaluateRequirement} from './evaluate.js'

export function requirementContradictions(report: Report): {problems: string[]; notes: string[]} {
  const problems: string[] = []
  const notes: string[] = []
  report.devices.forEach((device, d) => {
    device.requirements?.forEach((r, i) => {
      if (!(REQUIREMENT_RULES as readonly string[]).includes(r.rule)) {
        notes.push(`devices[${d}] (${device.id}).requirements[${i}]: rule '${r.rule}' is unknown to this build; not recomputed`)
        return
      }
      const again = evaluateRequirement(
        {standard: r.standard, id: r.id, title: r.title, ...(r.level ? {level: r.level} : {}), checks: r.decidedBy.checks, declaration: [], rule: r.rule as RequirementRule},
        {
          findings: device.findings,
          observations: device.observations,
          ...(device.declaration ? {declaration: device.declaration} : {}),
          observedServices: observedServices(device),
          ...(report.batch ? {batch: batchContext(device, report.batch, report.devices.length)} : {}),
        },
      )
      if (again.verdict !== r.verdict) {
        problems.push(`devices[${d}] (${device.id}).requirements[${i}] (${r.standard} ${r.id}): says ${r.verdict}, its findings and declaration give ${again.verdict} (rule ${r.rule})`)
      }
    })
  })
  return {problems, notes}
}
