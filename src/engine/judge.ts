import type {CheckResult} from '../checks/types.js'
import {isServiceCheck} from '../checks/types.js'
import type {DeclaredIdentity, Finding, Observation, Service, Severity} from '../evidence/types.js'
import type {SelectedCheck} from '../profiles/loader.js'
import type {Thresholds} from '../profiles/thresholds.js'
import {unitFor} from './probe-registry.js'

/** Evaluates one selected service check against a service's observations. Pure: no I/O. */
export function judge(sel: SelectedCheck, service: Service, observations: Observation[], thresholds: Thresholds, now: Date): Finding {
  const {check} = sel
  if (!isServiceCheck(check)) throw new Error(`judge: ${check.id} is a ${check.scope} check, not a service check`)
  const byProbe: Record<string, Observation> = {}
  for (const o of observations) if (o.service === service.id) byProbe[o.probe] = o
  // A check that spans protocols (e.g. banner version disclosure over SSH, Telnet and FTP) reads, for each
  // service, only the probes that exist for that service's protocol.
  const applicable = check.reads.filter((probe) => unitFor(probe, service.protocol))
  const required = applicable.length > 0 ? applicable : [...check.reads]
  return judgeWith(sel, service.id, byProbe, required, () => check.evaluate({service, observations: byProbe, thresholds, now, severity: sel.severity}))
}

/** Evaluates one selected device-scope check against the device-level observations (e.g. `device.identity`). */
export function judgeDevice(
  sel: SelectedCheck,
  device: {id: string; serviceId: string; declared?: DeclaredIdentity},
  observations: Observation[],
  thresholds: Thresholds,
  now: Date,
): Finding {
  const {check} = sel
  if (check.scope !== 'device') throw new Error(`judgeDevice: ${check.id} is not a device check`)
  const byProbe: Record<string, Observation> = {}
  for (const o of observations) if (o.service === device.serviceId) byProbe[o.probe] = o
  return judgeWith(sel, device.serviceId, byProbe, [...check.reads], () =>
    check.evaluate({deviceId: device.id, ...(device.declared ? {declared: device.declared} : {}), observations: byProbe, thresholds, now, severity: sel.severity}),
  )
}

/** Missing observation → not_tested, failed observation → error, else the check's result (a throw → error). */
function judgeWith(sel: SelectedCheck, serviceId: string, byProbe: Record<string, Observation>, required: string[], evaluate: () => CheckResult): Finding {
  const {check} = sel
  const base = {check: check.id, title: check.title, severity: sel.severity, service: serviceId, references: sel.references}
  const read = required.map((probe) => byProbe[probe])
  const missing = required.filter((_, i) => !read[i])
  if (missing.length > 0) {
    return {...base, outcome: 'not_tested', message: `no probe in this version collects ${missing.join(', ')}`, evidence: []}
  }
  const present = read as Observation[]
  const failed = present.filter((o) => o.error)
  if (failed.length > 0) {
    const reasons = [...new Set(failed.map((o) => `${o.error!.code}: ${o.error!.message}`))]
    return {...base, outcome: 'error', message: reasons.join('; '), evidence: failed.map((o) => o.id)}
  }
  try {
    const result = evaluate()
    const evidence = result.evidence ?? present.map((o) => o.id)
    // No pass without positive evidence from a complete observation: what a partial one did not show may be
    // exactly what would fail. A fail found in what was seen stands.
    const partial = present.filter((o) => o.partial)
    if (result.outcome === 'pass' && partial.length > 0) {
      const reasons = [...new Set(partial.map((o) => `${o.probe} is partial (${o.partial!.code}: ${o.partial!.message})`))]
      return {...base, outcome: 'inconclusive', message: `${result.message} — but ${reasons.join('; ')}`, evidence}
    }
    const rule = conditionSeverity(sel, result.condition)
    return {
      ...base,
      outcome: result.outcome,
      severity: rule?.severity ?? result.severity ?? sel.severity,
      message: rule ? `${result.message} [severity ${rule.severity}: condition ${result.condition}, ${rule.source === 'profile' ? 'set by the profile' : "the check's default"}]` : result.message,
      evidence,
      ...(rule ? {severityRule: {condition: result.condition!, source: rule.source}} : {}),
    }
  } catch (error) {
    return {
      ...base,
      outcome: 'error',
      message: `check ${check.id} failed on these observations: ${(error as Error).message}`,
      evidence: present.map((o) => o.id),
    }
  }
}

/** The severity a reported condition takes: the profile's mapping, else the condition's default on the check. */
function conditionSeverity(sel: SelectedCheck, condition: string | undefined): {severity: Severity; source: 'profile' | 'check'} | undefined {
  if (condition === undefined) return undefined
  const fromProfile = sel.conditionSeverities?.[condition]
  if (fromProfile) return {severity: fromProfile, source: 'profile'}
  const own = sel.check.conditions?.[condition]
  if (own) return {severity: own.defaultSeverity, source: 'check'}
  return undefined
}
