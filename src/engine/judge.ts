import type {Finding, Observation, Service} from '../evidence/types.js'
import type {SelectedCheck} from '../profiles/loader.js'
import type {Thresholds} from '../profiles/thresholds.js'
import {unitFor} from './probe-registry.js'

/** Evaluates one selected check against a service's observations. Pure: no I/O. */
export function judge(sel: SelectedCheck, service: Service, observations: Observation[], thresholds: Thresholds, now: Date): Finding {
  const {check} = sel
  const base = {check: check.id, title: check.title, severity: sel.severity, service: service.id, references: sel.references}
  const byProbe: Record<string, Observation> = {}
  for (const o of observations) if (o.service === service.id) byProbe[o.probe] = o
  // A check that spans protocols (e.g. banner version disclosure over SSH, Telnet and FTP) reads, for each
  // service, only the probes that exist for that service's protocol.
  const applicable = check.reads.filter((probe) => unitFor(probe, service.protocol))
  const required = applicable.length > 0 ? applicable : [...check.reads]
  const read = required.map((probe) => byProbe[probe])
  const missing = required.filter((_, i) => !read[i])
  if (missing.length > 0) {
    return {...base, outcome: 'not_tested', message: `no probe in this version collects ${missing.join(', ')}`, evidence: []}
  }
  const failed = read.filter((o) => o.error)
  if (failed.length > 0) {
    const reasons = [...new Set(failed.map((o) => `${o.error!.code}: ${o.error!.message}`))]
    return {...base, outcome: 'error', message: reasons.join('; '), evidence: failed.map((o) => o.id)}
  }
  try {
    const result = check.evaluate({service, observations: byProbe, thresholds, now, severity: sel.severity})
    return {
      ...base,
      outcome: result.outcome,
      severity: result.severity ?? sel.severity,
      message: result.message,
      evidence: result.evidence ?? read.map((o) => o.id),
    }
  } catch (error) {
    return {
      ...base,
      outcome: 'error',
      message: `check ${check.id} failed on these observations: ${(error as Error).message}`,
      evidence: read.map((o) => o.id),
    }
  }
}
