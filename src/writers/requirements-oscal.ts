/**
 * OSCAL findings for requirement verdicts: one finding per device × requirement whose target is the requirement
 * (an objective), linked to the observations behind the findings that decided it. OSCAL's target status knows
 * only satisfied / not-satisfied: pass → satisfied; every other verdict → not-satisfied with the verdict as the
 * reason token (not_applicable, inconclusive, not_assessed_remotely, fail), and as a prop.
 */
import type {Device, Report} from '../evidence/types.js'
import {requirementKey} from './requirements.js'

export interface OscalHelpers {
  uuidFrom: (...parts: string[]) => string
  token: (value: string) => string
  prop: (name: string, value: string, cls?: string) => object
  markupLine: (value: string) => string
  markdown: (value: string) => string
  observationUuid: (device: Device, observationId: string) => string
}

export function requirementFindings(report: Report, h: OscalHelpers): object[] {
  // Observation id → uuid over every device: a batch finding's evidence is the identity of several devices.
  const anywhere = new Map<string, string>()
  for (const d of report.devices) for (const o of d.observations) if (!anywhere.has(o.id)) anywhere.set(o.id, h.observationUuid(d, o.id))
  const batchEvidence = new Map<string, string[]>()
  for (const f of report.batch?.findings ?? []) batchEvidence.set(`batch:${f.check}`, [...(batchEvidence.get(`batch:${f.check}`) ?? []), ...f.evidence])
  return report.devices.flatMap((d) => {
    const own = new Map(d.observations.map((o) => [o.id, h.observationUuid(d, o.id)]))
    return (d.requirements ?? []).map((r) => {
      const evidence = r.decidedBy.findings.flatMap((ref) => {
        if (ref.startsWith('batch:')) return (batchEvidence.get(ref) ?? []).flatMap((id) => (anywhere.has(id) ? [anywhere.get(id)!] : []))
        const at = ref.indexOf('@')
        const f = d.findings.find((x) => x.check === ref.slice(0, at) && x.service === ref.slice(at + 1))
        return (f?.evidence ?? []).flatMap((id) => (own.has(id) ? [own.get(id)!] : []))
      })
      const related = [...new Set(evidence)].map((uuid) => ({'observation-uuid': uuid}))
      return {
        uuid: h.uuidFrom('requirement-finding', d.id, r.standard, r.id),
        title: h.markupLine(`${requirementKey(r)}: ${r.title}`),
        description: h.markdown(r.reason === '' ? r.title : r.reason),
        props: [
          h.prop('requirement-standard', r.standard),
          h.prop('requirement-id', r.id),
          h.prop('requirement-verdict', r.verdict),
          h.prop('requirement-rule', r.rule),
          ...(r.level ? [h.prop('requirement-level', r.level)] : []),
          h.prop('device-id', d.id),
          ...r.decidedBy.findings.map((ref) => h.prop('decided-by-finding', ref)),
          ...r.decidedBy.declaration.map((item) => h.prop('decided-by-declaration', item)),
        ],
        target: {
          type: 'objective-id',
          'target-id': h.token(`req-${r.standard}-${r.id}`),
          status: {state: r.verdict === 'pass' ? 'satisfied' : 'not-satisfied', reason: h.token(r.verdict)},
        },
        ...(related.length > 0 ? {'related-observations': related} : {}),
      }
    })
  })
}
