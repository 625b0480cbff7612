/**
 * What a device's verdict covers, derived from its findings and observations alone (so every writer, `report
 * merge` and `report verify` get the same statement): per check, whether it ran to completion, was partial
 * (inconclusive, or judged on a partial observation) or was not tested (error, not tested — an intrusive check
 * left out by policy is said so), and why; per service, the counts. "pass" then always comes with what it covers.
 */
import type {Device, DeviceCoverage, Finding, Observation} from '../evidence/types.js'
import {skippedByPolicy} from './verdict.js'

export type {CoverageStatus, DeviceCoverage} from '../evidence/types.js'

/** Reasons are finding messages: keep the statement readable and bounded. */
const MAX_REASON = 200

function clip(s: string): string {
  return s.length <= MAX_REASON ? s : `${s.slice(0, MAX_REASON - 1)}…`
}

/** One finding's coverage: complete, partial or not tested, with the reason when it is not complete. */
export function findingCoverage(f: Finding, partialById: ReadonlyMap<string, Observation>): {status: DeviceCoverage['status']; reason?: string} {
  if (f.outcome === 'not_tested') return {status: 'not-tested', reason: skippedByPolicy(f) ? 'intrusive check, not enabled (policy)' : clip(f.message)}
  if (f.outcome === 'error') return {status: 'not-tested', reason: clip(f.message)}
  if (f.outcome === 'inconclusive') return {status: 'partial', reason: clip(f.message)}
  const partial = f.evidence.map((id) => partialById.get(id)).find((o) => o !== undefined)
  if (partial?.partial) return {status: 'partial', reason: clip(`${partial.probe} is partial (${partial.partial.code}: ${partial.partial.message})`)}
  return {status: 'complete'}
}

export function deviceCoverage(device: Pick<Device, 'services' | 'findings' | 'observations'>): DeviceCoverage {
  const partialById = new Map(device.observations.filter((o) => o.partial).map((o) => [o.id, o]))
  const services = new Map<string, DeviceCoverage['services'][number]>()
  for (const s of device.services) services.set(s.id, {service: s.id, status: 'complete', complete: 0, partial: 0, notTested: 0})
  const partial: DeviceCoverage['partial'] = []
  const notTested: DeviceCoverage['notTested'] = []
  let complete = 0
  let skipped = 0
  // Intrusive checks left out by policy are listed, but are no gap in what was asked for (as in the verdict).
  const skippedBy = new Map<string, number>()
  for (const f of device.findings) {
    const c = findingCoverage(f, partialById)
    let svc = services.get(f.service)
    if (!svc) services.set(f.service, (svc = {service: f.service, status: 'complete', complete: 0, partial: 0, notTested: 0}))
    if (c.status === 'complete') {
      complete++
      svc.complete++
    } else if (c.status === 'partial') {
      partial.push({check: f.check, service: f.service, reason: c.reason!})
      svc.partial++
    } else {
      if (skippedByPolicy(f)) {
        skipped++
        skippedBy.set(f.service, (skippedBy.get(f.service) ?? 0) + 1)
      }
      notTested.push({check: f.check, service: f.service, reason: c.reason!})
      svc.notTested++
    }
  }
  for (const svc of services.values()) {
    const gaps = svc.notTested - (skippedBy.get(svc.service) ?? 0)
    svc.status = svc.complete === 0 && svc.partial === 0 ? 'not-tested' : svc.partial > 0 || gaps > 0 ? 'partial' : 'complete'
  }
  const gaps = partial.length + notTested.length - skipped
  const status: DeviceCoverage['status'] = complete === 0 && partial.length === 0 ? 'not-tested' : gaps > 0 ? 'partial' : 'complete'
  // The statement counts network services; device-level checks (identity) have a pseudo-service of their own.
  const real = new Set(device.services.map((s) => s.id))
  const named = [...services.values()].filter((s) => real.has(s.service))
  return {status, statement: statement(status, named, complete, partial, notTested, skipped), checks: {complete, partial: partial.length, notTested: notTested.length, skippedByPolicy: skipped}, services: [...services.values()], partial, notTested}
}

function statement(
  status: DeviceCoverage['status'],
  services: DeviceCoverage['services'],
  complete: number,
  partial: DeviceCoverage['partial'],
  notTested: DeviceCoverage['notTested'],
  skipped: number,
): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`
  const fully = services.filter((s) => s.status === 'complete').map((s) => s.service)
  const parts = [`${n(complete, 'check')} ran to completion`]
  if (partial.length) parts.push(`${partial.length} partial (${partial.slice(0, 3).map((p) => p.check).join(', ')}${partial.length > 3 ? ' …' : ''})`)
  const gaps = notTested.length - skipped
  if (gaps > 0) parts.push(`${gaps} not tested (${notTested.filter((x) => !x.reason.startsWith('intrusive check, not enabled')).slice(0, 3).map((x) => x.check).join(', ')}${gaps > 3 ? ' …' : ''})`)
  if (skipped) parts.push(`${skipped} intrusive not enabled`)
  const head = status === 'complete' ? 'Complete coverage' : status === 'partial' ? 'Partial coverage' : 'Nothing tested'
  return `${head} of ${n(services.length, 'service')}${fully.length && fully.length < services.length ? ` (complete: ${fully.join(', ')})` : ''}: ${parts.join('; ')}.`
}
