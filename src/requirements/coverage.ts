import {DECIDED_BY_CHECKS, type RequirementDef} from './types.js'

export interface RequirementCoverage {
  /** Requirements the profile lists. */
  requirements: number
  /** With a network-testable part (a rule other than documentation). */
  networkTestable: number
  /** Whose rule reaches pass or fail from network tests alone, without a declaration item. */
  decidedByChecks: number
  mandatory: number
  recommended: number
}

/** How much of a standard the profile's network tests cover. */
export function requirementCoverage(defs: readonly RequirementDef[]): RequirementCoverage {
  return {
    requirements: defs.length,
    networkTestable: defs.filter((d) => d.rule !== 'documentation').length,
    decidedByChecks: defs.filter((d) => DECIDED_BY_CHECKS.has(d.rule)).length,
    mandatory: defs.filter((d) => d.level === 'mandatory').length,
    recommended: defs.filter((d) => d.level === 'recommended').length,
  }
}

export function coverageLine(c: RequirementCoverage): string {
  return `${c.requirements} requirements, ${c.networkTestable} network-testable, ${c.decidedByChecks} decided by checks`
}
