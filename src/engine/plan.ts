import type {Service} from '../evidence/types.js'
import type {Profile, SelectedCheck} from '../profiles/loader.js'
import type {ProbeUnit} from '../probes/types.js'
import {unitFor} from './probe-registry.js'

export interface ServicePlan {
  service: Service
  /** Selected checks that apply to this service's protocol. */
  checks: SelectedCheck[]
  /** Checks skipped because they are intrusive and intrusive testing is off. */
  skippedIntrusive: SelectedCheck[]
  /** Each unit once, however many checks read its observations. */
  units: ProbeUnit[]
}

/** From the profile's checks, derive which probe units each service needs. */
export function planService(service: Service, profile: Profile, intrusive: boolean): ServicePlan {
  const applicable = profile.checks.filter((s) => s.check.protocols.includes(service.protocol))
  const allowIntrusive = intrusive || profile.intrusive
  const checks = applicable.filter((s) => allowIntrusive || !s.check.intrusive)
  const skippedIntrusive = applicable.filter((s) => !allowIntrusive && s.check.intrusive)
  const units = new Map<string, ProbeUnit>()
  for (const {check} of checks) {
    for (const probe of check.reads) {
      const unit = unitFor(probe, service.protocol)
      if (unit) units.set(unit.id, unit)
    }
  }
  return {service, checks, skippedIntrusive, units: [...units.values()]}
}
