/**
 * Finding changes between the two sides of one device pair, keyed by (check, service) with B's services
 * translated to A's names. Only what a reviewer must look at is listed:
 *   new       B fails, A did not (or A had no such finding: a new service, a new device);
 *   fixed     A failed, B passes / finds it not applicable, or B no longer has the service — never when B's
 *             outcome is error/inconclusive/not_tested: "we could not tell" is not a fix;
 *   outcome   the outcome changed otherwise (pass → inconclusive, fail → error …, or a failure B no longer
 *             judges on a service it still has);
 *   severity  both fail, at a different severity (a profile change, or a condition that got worse).
 * `gate` marks a failure B has at or above failOn that A did not have at or above failOn.
 */
import {isBlocking} from '../../engine/verdict.js'
import type {Device, Finding, Severity} from '../types.js'
import type {FindingChange, FindingSide} from './types.js'

const FIXED_OUTCOMES = new Set(['pass', 'not_applicable'])

const side = (f: Finding): FindingSide => ({outcome: f.outcome, severity: f.severity, message: f.message, service: f.service})

function keyed(findings: readonly Finding[], serviceKey: (service: string) => string): Map<string, Finding> {
  const byKey = new Map<string, Finding>()
  for (const f of findings) {
    const key = `${f.check}\u0000${serviceKey(f.service)}`
    if (!byKey.has(key)) byKey.set(key, f)
  }
  return byKey
}

/**
 * `bToA` names B's services as A's; an unpaired B service keeps a B-only key. `a` undefined = a device only B
 * has (all its failures are new); `b` undefined = a device B lacks (nothing is claimed fixed: it was not tested).
 */
export function diffFindings(a: Device | undefined, b: Device | undefined, bToA: ReadonlyMap<string, string>, failOn: Severity): FindingChange[] {
  if (!b) return []
  const inA = keyed(a?.findings ?? [], (s) => `a:${s}`)
  const inB = keyed(b.findings, (s) => (bToA.has(s) ? `a:${bToA.get(s)}` : `b:${s}`))
  const changes: FindingChange[] = []
  for (const [key, fb] of inB) {
    const fa = inA.get(key)
    const change = classify(fa, fb)
    if (!change) continue
    changes.push({
      change,
      check: fb.check,
      title: fb.title,
      service: fb.service,
      ...(fa ? {a: side(fa)} : {}),
      b: side(fb),
      gate: isBlocking(fb, failOn) && !(fa && isBlocking(fa, failOn)),
    })
  }
  if (a) {
    const stillThere = new Set(bToA.values())
    for (const [key, fa] of inA) {
      if (inB.has(key) || fa.outcome !== 'fail') continue
      // Gone with its service: fixed. The service is still there but the check no longer judged it (another
      // profile): an outcome change to nothing, not a fix.
      const change = stillThere.has(fa.service) ? 'outcome' : 'fixed'
      changes.push({change, check: fa.check, title: fa.title, service: fa.service, a: side(fa), gate: false})
    }
  }
  return changes
}

function classify(fa: Finding | undefined, fb: Finding): FindingChange['change'] | undefined {
  if (fb.outcome === 'fail' && fa?.outcome !== 'fail') return 'new'
  if (!fa) return undefined
  if (fa.outcome === 'fail' && fb.outcome !== 'fail') return FIXED_OUTCOMES.has(fb.outcome) ? 'fixed' : 'outcome'
  if (fa.outcome !== fb.outcome) return 'outcome'
  if (fa.outcome === 'fail' && fa.severity !== fb.severity) return 'severity'
  return undefined
}
