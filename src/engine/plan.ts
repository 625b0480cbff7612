import type {Service} from '../evidence/types.js'
import type {Profile, SelectedCheck} from '../profiles/loader.js'
import {isServiceCheck} from '../checks/types.js'
import {type ProbeEntry, unitFor} from './probe-registry.js'

export interface ServicePlan {
  service: Service
  /** Selected service checks that apply to this service's protocol. */
  checks: SelectedCheck[]
  /** Checks skipped because they are intrusive and intrusive testing is off. */
  skippedIntrusive: SelectedCheck[]
  /** Each unit once, however many checks read its observations (registry entries: the scan loads their code). */
  units: ProbeEntry[]
}

/** From the profile's checks, derive which probe units each service needs. Device and batch checks are judged
 *  per device / per batch, but the service observations they are derived from (`sources`) are collected here. */
export function planService(service: Service, profile: Profile, intrusive: boolean): ServicePlan {
  const allowIntrusive = intrusive || profile.intrusive
  const applicable = profile.checks.filter((s) => isServiceCheck(s.check) && s.check.protocols.includes(service.protocol))
  const checks = applicable.filter((s) => allowIntrusive || !s.check.intrusive)
  const skippedIntrusive = applicable.filter((s) => !allowIntrusive && s.check.intrusive)
  const units = new Map<string, ProbeEntry>()
  const add = (probe: string) => {
    const unit = unitFor(probe, service.protocol)
    if (unit) units.set(unit.id, unit)
  }
  for (const {check} of checks) for (const probe of check.reads) add(probe)
  for (const {check} of profile.checks) {
    if (!isServiceCheck(check) && (allowIntrusive || !check.intrusive)) for (const probe of check.sources) add(probe)
  }
  return {service, checks, skippedIntrusive, units: [...units.values()]}
}

/** Selected checks of one scope other than service (device or batch), intrusive ones left out unless allowed. */
export function planScope(profile: Profile, scope: 'device' | 'batch', intrusive: boolean): SelectedCheck[] {
  const allowIntrusive = intrusive || profile.intrusive
  return profile.checks.filter((s) => s.check.scope === scope && (allowIntrusive || !s.check.intrusive))
}
