/**
 * Attaches requirement verdicts to finished devices: builds each device's rule inputs from the report (findings,
 * recorded declaration, services seen, the batch findings about it) and runs the evaluator. Called once the
 * batch analysis is known, so the shared-key requirements can read it.
 */
import type {BatchSummary, Device, Observation, RequirementResult} from '../evidence/types.js'
import {exposureEmission} from '../exposure/derive.js'
import type {ExposureData} from '../exposure/types.js'
import {P_NET_PORTS, P_NET_SERVICES} from '../probes/identify/types.js'
import {identityDigest} from '../identity/batch.js'
import {evaluateRequirement, evaluateRequirements} from './evaluate.js'
import type {BatchContext, ObservedService, ObservedServices, RequirementDef} from './types.js'

/** Every TCP port: a discovery of fewer leaves the services-vs-declared comparison open (an undeclared service can
 *  listen on any port, and the functional test of 5.6-1 / GEC-2 is a scan of the device as it ships). */
const ALL_TCP = 65535

/**
 * The services the scan saw on a device: the attack-surface view (src/exposure/derive.ts) of the services it
 * probed (given as targets or joined from discovery) plus every open port the bare-host discovery found
 * (`net.ports`, identified or not, from `net.services`; TCP and the UDP services discovery identified).
 * `complete` only when a TCP discovery covered every port without being cut short: then an undeclared TCP
 * service would have been seen. UDP has no handshake to scan for: only the discovery's UDP service probes
 * (and UDP services given as targets) are seen, which the scope says.
 */
export function observedServices(device: Device): ObservedServices {
  const exposure = exposureEmission(device.services, device.observations, undefined)
  const exposed = Array.isArray((exposure.data as Partial<ExposureData>).exposed) ? (exposure.data as unknown as ExposureData).exposed : []
  const services: ObservedService[] = exposed.map((s) => ({port: s.port, transport: s.transport === 'udp' ? 'udp' : 'tcp', protocol: s.protocol, source: s.id}))
  const scans = device.observations.filter((o) => o.probe === P_NET_PORTS)
  const identification = device.observations.filter((o) => o.probe === P_NET_SERVICES)
  const evidence = [...scans, ...identification].map((o) => o.id)
  const tcpScans = scans.filter((o) => transportOf(o.data) === 'tcp')
  const udpScans = scans.filter((o) => transportOf(o.data) === 'udp')
  const udpSeen = services.filter((s) => s.transport === 'udp')
  const udpText = `UDP: ${udpScans.length > 0 ? `${udpScans.map(scanText).join('; ')}; ` : ''}only services answering the discovery's UDP probes or given as targets are seen${udpSeen.length ? ` (seen: ${udpSeen.map((s) => `${s.protocol} ${s.port}/udp`).join(', ')})` : ''}`
  if (tcpScans.length === 0) {
    return {services, complete: false, evidence, scope: 'no port discovery ran', method: `only the services given as targets were probed, no port discovery ran (scan the bare host for a discovery of every TCP port)`}
  }
  const gaps = tcpScans.flatMap((o) => {
    if (o.error) return [`the TCP discovery failed (${o.error.code}: ${o.error.message})`]
    const scanned = Number(o.data.scanned ?? 0)
    if (o.partial) return [`the TCP discovery was cut short (${o.partial.message}${o.partial.missing?.length ? `; not scanned: ${o.partial.missing.join(', ')}` : ''})`]
    if (scanned < ALL_TCP) return [`the TCP discovery covered ${scanned} of ${ALL_TCP} ports (${String(o.data.requested ?? '?')})`]
    return []
  })
  const tcpText = `TCP: ${tcpScans.map(scanText).join('; ')}`
  const scope = `${tcpText}; ${udpText}`
  if (gaps.length > 0) return {services, complete: false, evidence, scope, method: `${gaps.join('; ')}: scan every TCP port (--ports 1-65535, the default for a bare host)`}
  return {services, complete: true, evidence, scope, method: `a discovery covered every TCP port (${scope})`}
}

function transportOf(data: Record<string, unknown>): 'tcp' | 'udp' {
  return data.transport === 'udp' || data.protocol === 'udp' ? 'udp' : 'tcp'
}

/** "connect scan of 1-65535 (65535 ports, 2 open) on 127.0.0.1". */
function scanText(o: Observation): string {
  if (o.error) return `discovery of ${String(o.data.host ?? o.service)} failed`
  const open = Array.isArray(o.data.open) ? o.data.open.length : 0
  return `${String(o.data.method ?? 'scan')} scan of ${String(o.data.requested ?? '?')} (${Number(o.data.scanned ?? 0)} ports, ${open} open) on ${String(o.data.address ?? o.data.host ?? '?')}`
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
