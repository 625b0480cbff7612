/**
 * Attaches requirement verdicts to finished devices: builds each device's rule inputs from the report (findings,
 * recorded declaration, services seen, the batch findings about it) and runs the evaluator. Called once the
 * batch analysis is known, so the shared-key requirements can read it.
 */
import type {BatchSummary, Device, RequirementResult} from '../evidence/types.js'
import {identityDigest} from '../identity/batch.js'
import {evaluateRequirement, evaluateRequirements} from './evaluate.js'
import type {BatchContext, ObservedServices, RequirementDef} from './types.js'

/**
 * The services the scan saw on a device. Today these are the services it probed (targets given, or the default
 * ports a bare-host discovery found open): never a complete port scan, so `complete` is false. A full port
 * discovery observation can be read here later and set `complete`.
 */
export function observedServices(device: Device): ObservedServices {
  const discovery = device.observations.filter((o) => o.probe === 'discovery.tcp-ports' && !o.error)
  return {
    services: device.services.map((s) => ({port: s.port, transport: s.transport, protocol: s.protocol, source: s.id})),
    complete: false,
    evidence: discovery.map((o) => o.id),
    method: discovery.length > 0 ? 'only the default ports of a bare host were probed, no full port discovery ran' : 'only the services given as targets were probed, no port discovery ran',
  }
}

/** The batch findings about `device` and how many peers it was compared with. */
export function batchContext(device: Device, batch: BatchSummary, deviceCount: number): BatchContext {
  const digest = identityDigest(device)
  const model = batch.models.find((m) => m.devices.includes(device.id))
  return {
    findings: batch.findings.filter((f) => f.devices.length === 0 || f.devices.includes(device.id)),
    otherDevices: Math.max(0, deviceCount - 1),
    sameModelPeers: model ? model.samples - 1 : 0,
    keys: digest.tlsKeys.length + digest.sshKeys.length,
  }
}

export function assessDevice(device: Device, defs: readonly RequirementDef[], batch?: {summary: BatchSummary; devices: number}): RequirementResult[] {
  return evaluateRequirements(defs, {
    findings: device.findings,
    observations: device.observations,
    ...(device.declaration ? {declaration: device.declaration} : {}),
    observedServices: observedServices(device),
    ...(batch ? {batch: batchContext(device, batch.summary, batch.devices)} : {}),
  })
}

/** A copy of `device` with its requirement table (unchanged when the profile lists no requirements). */
export function withRequirements(device: Device, defs: readonly RequirementDef[], batch?: {summary: BatchSummary; devices: number}): Device {
  if (defs.length === 0) return device
  return {...device, requirements: assessDevice(device, defs, batch)}
}

/**
 * Re-derives the requirements that read the batch (rule shared-keys) once the batch analysis is known: a device
 * is assessed when it finishes (journaled with its table), the batch only when every device has. The definition
 * is rebuilt from the result itself (rule, checks), so a journal, a merge or a saved report can be refreshed
 * without the profile file.
 */
export function refreshBatchRequirements(device: Device, batch: {summary: BatchSummary; devices: number} | undefined): Device {
  if (!batch || !device.requirements?.some((r) => r.rule === 'shared-keys')) return device
  const context = batchContext(device, batch.summary, batch.devices)
  return {
    ...device,
    requirements: device.requirements.map((r) =>
      r.rule !== 'shared-keys'
        ? r
        : evaluateRequirement(
            {standard: r.standard, id: r.id, title: r.title, ...(r.level ? {level: r.level} : {}), checks: r.decidedBy.checks, declaration: [], rule: 'shared-keys'},
            {findings: device.findings, ...(device.declaration ? {declaration: device.declaration} : {}), observedServices: observedServices(device), batch: context},
          ),
    ),
  }
}
