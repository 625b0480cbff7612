/**
 * Batch analysis: findings about several devices at once (keys shared between samples) and a per-model
 * consistency table (samples of one declared model that look different). Works on small per-device digests so
 * a batch runner can stream devices through it: a digest is a few hundred bytes, the device (observations,
 * artifacts) is not kept.
 */
import {ALL_CHECKS} from '../../checks/index.js'
import {type BatchCheck} from '../checks/types.js'
import type {BatchFinding, BatchSummary, Device, ModelConsistency, Observation, Reference, Severity} from '../evidence/types.js'
import {deriveIdentity} from './derive.js'
import {nameKey} from './names.js'
import {type IdentityDigest, type IdentityRecord, P_DEVICE_IDENTITY} from './types.js'

export type BatchAnalysis = BatchSummary

/** A batch check as a profile selected it. */
export interface SelectedBatchCheck {
  check: BatchCheck
  severity: Severity
  references: Reference[]
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const uniqSorted = (items: Iterable<string>) => [...new Set(items)].sort(cmp)

/** Every registered batch check with its default severity and references. */
export function defaultBatchChecks(): SelectedBatchCheck[] {
  return ALL_CHECKS.filter((c): c is BatchCheck => c.scope === 'batch').map((check) => ({check, severity: check.defaultSeverity, references: [...check.references]}))
}

/** The digest of one device: from its `device.identity` observation, or derived on the spot when it has none. */
export function identityDigest(device: Device): IdentityDigest {
  const observation: Observation | undefined = device.observations.find((o) => o.probe === P_DEVICE_IDENTITY && !o.error)
  const r = (observation?.data as IdentityRecord | undefined) ?? deriveIdentity(device.observations)
  const tls = Array.isArray(r.tls) ? r.tls : []
  const ssh = Array.isArray(r.ssh) ? r.ssh : []
  const observed = r.observed ?? {vendors: [], models: [], firmware: []}
  const digest: IdentityDigest = {
    device: device.id,
    tlsKeys: uniqSorted(tls.map((t) => t.spkiSha256).filter(Boolean)),
    sshKeys: uniqSorted(ssh.flatMap((s) => (Array.isArray(s.hostKeys) ? s.hostKeys.map((k) => k.fingerprint) : [])).filter(Boolean)),
    keyTypes: uniqSorted([
      ...tls.map((t) => `tls:${t.keyType}${t.keyBits ? `-${t.keyBits}` : ''}`),
      ...ssh.flatMap((s) => (Array.isArray(s.hostKeys) ? s.hostKeys.map((k) => `ssh:${k.type}${k.bits ? `-${k.bits}` : ''}`) : [])),
    ]),
    services: uniqSorted(device.services.map((s) => s.protocol)),
    observed: {},
  }
  if (device.declared && Object.keys(device.declared).length > 0) digest.declared = {...device.declared}
  if (observation) digest.identityObservation = observation.id
  if (observed.vendors?.length) digest.observed.vendor = observed.vendors.join(' / ')
  if (observed.models?.length) digest.observed.model = observed.models.join(' / ')
  if (observed.firmware?.length) digest.observed.firmware = observed.firmware.join(' / ')
  return digest
}

const ATTRIBUTES: Array<[ModelConsistency['differences'][number]['attribute'], (d: IdentityDigest) => string]> = [
  ['vendor', (d) => d.observed.vendor ?? '(not observed)'],
  ['firmware', (d) => d.observed.firmware ?? '(not observed)'],
  ['keyTypes', (d) => d.keyTypes.join(', ') || '(none)'],
  ['services', (d) => d.services.join(', ') || '(none)'],
]

function modelTable(digests: readonly IdentityDigest[]): ModelConsistency[] {
  const groups = new Map<string, {vendor?: string; model: string; members: IdentityDigest[]}>()
  for (const d of digests) {
    const model = d.declared?.model?.trim()
    if (!model) continue
    const key = `${nameKey(d.declared?.vendor ?? '')}|${nameKey(model)}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = {...(d.declared?.vendor ? {vendor: d.declared.vendor} : {}), model, members: []}))
    g.members.push(d)
  }
  return [...groups.values()]
    .map((g) => {
      const differences: ModelConsistency['differences'] = []
      for (const [attribute, valueOf] of ATTRIBUTES) {
        const byValue = new Map<string, string[]>()
        for (const d of g.members) {
          const v = valueOf(d)
          const list = byValue.get(v)
          if (list) list.push(d.device)
          else byValue.set(v, [d.device])
        }
        if (byValue.size < 2) continue
        const values = [...byValue.entries()]
          .map(([value, devices]) => ({value, devices: devices.sort(cmp)}))
          .sort((a, b) => b.devices.length - a.devices.length || cmp(a.value, b.value))
        differences.push({attribute, values})
      }
      return {...(g.vendor ? {vendor: g.vendor} : {}), model: g.model, samples: g.members.length, devices: g.members.map((d) => d.device).sort(cmp), differences}
    })
    .sort((a, b) => cmp(nameKey(a.vendor ?? ''), nameKey(b.vendor ?? '')) || cmp(nameKey(a.model), nameKey(b.model)))
}

/** Findings of the batch checks plus the per-model consistency table. Pure; keeps only the digests. */
export function analyzeBatch(digests: Iterable<IdentityDigest>, checks: readonly SelectedBatchCheck[] = defaultBatchChecks()): BatchAnalysis {
  const all = [...digests].sort((a, b) => cmp(a.device, b.device))
  const findings: BatchFinding[] = []
  for (const sel of checks) {
    let results
    try {
      results = sel.check.evaluate({digests: all, severity: sel.severity})
    } catch (error) {
      results = [{outcome: 'error' as const, message: `check ${sel.check.id} failed on these digests: ${(error as Error).message}`, devices: [], evidence: []}]
    }
    for (const r of results) {
      findings.push({
        check: sel.check.id,
        title: sel.check.title,
        outcome: r.outcome,
        severity: r.severity ?? sel.severity,
        message: r.message,
        devices: r.devices,
        evidence: r.evidence,
        references: sel.references,
      })
    }
  }
  return {findings, models: modelTable(all)}
}
