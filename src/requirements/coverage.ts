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
  /** Conformance-assessment test cases the profile names (TS 103 701 for EN 303 645); absent when it names none. */
  testCases?: {
    cases: number
    conceptualUnits: number
    functionalUnits: number
    /** Functional units of the network-testable requirements: the most a network test can supply evidence for. */
    functionalUnitsNetworkTestable: number
  }
}

/** How much of a standard the profile's network tests cover. */
export function requirementCoverage(defs: readonly RequirementDef[]): RequirementCoverage {
  return {
    requirements: defs.length,
    networkTestable: defs.filter((d) => d.rule !== 'documentation').length,
    decidedByChecks: defs.filter((d) => DECIDED_BY_CHECKS.has(d.rule)).length,
    mandatory: defs.filter((d) => d.level === 'mandatory').length,
    recommended: defs.filter((d) => d.level === 'recommended').length,
    ...(defs.some((d) => d.testCases?.length) ? {testCases: testCaseCoverage(defs)} : {}),
  }
}

/** 5.3-10-1 is both conceptual and functional: its unit c is the functional one (as tcsfw reads TS 103 701). */
function unitKinds(t: {kind: string; units: string[]}): {conceptual: number; functional: number} {
  if (t.kind === 'conceptual') return {conceptual: t.units.length, functional: 0}
  if (t.kind === 'functional') return {conceptual: 0, functional: t.units.length}
  const functional = t.units.filter((u) => u === 'c').length
  return {conceptual: t.units.length - functional, functional}
}

function testCaseCoverage(defs: readonly RequirementDef[]): NonNullable<RequirementCoverage['testCases']> {
  const out = {cases: 0, conceptualUnits: 0, functionalUnits: 0, functionalUnitsNetworkTestable: 0}
  for (const d of defs) {
    for (const t of d.testCases ?? []) {
      const k = unitKinds(t)
      out.cases++
      out.conceptualUnits += k.conceptual
      out.functionalUnits += k.functional
      if (d.rule !== 'documentation') out.functionalUnitsNetworkTestable += k.functional
    }
  }
  return out
}

/** "109 test cases: 102 functional units (37 of them in network-testable requirements), 124 conceptual units". */
export function testCaseLine(c: RequirementCoverage): string | undefined {
  const t = c.testCases
  if (!t) return undefined
  return `${t.cases} test cases: ${t.functionalUnits} functional units (${t.functionalUnitsNetworkTestable} of them in network-testable requirements), ${t.conceptualUnits} conceptual units`
}

export function coverageLine(c: RequirementCoverage): string {
  return `${c.requirements} requirements, ${c.networkTestable} network-testable, ${c.decidedByChecks} decided by checks`
}
