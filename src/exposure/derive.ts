/**
 * One device-level view of the exposed services: the services scanned (given or discovered), open ports without
 * a module (from net.services), and which of them are cleartext management/data protocols. Pure.
 */
import {UDP_PROTOCOLS} from '../engine/targets.js'
import type {Observation, Service} from '../evidence/types.js'
import type {NetServicesData} from '../probes/identify/types.js'
import type {ProbeEmission} from '../probes/types.js'
import {type ExposedService, type ExposureData, P_DEVICE_EXPOSURE} from './types.js'
import {compareLikeLocale} from '../util/collate.js'

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function dataOf(observations: readonly Observation[], service: string, probe: string): Record<string, unknown> | undefined {
  const o = observations.find((x) => x.service === service && x.probe === probe && !x.error)
  return o && isRecord(o.data) ? o.data : undefined
}

/** Why a service is a cleartext protocol, from what its probes saw; undefined when it is not (or unknown). */
export function insecureReason(protocol: string, service: string, observations: readonly Observation[]): string | undefined {
  switch (protocol) {
    case 'telnet':
      return 'Telnet: login and session in cleartext'
    case 'ftp': {
      const ftp = dataOf(observations, service, 'ftp.session')
      return ftp?.authTls === true ? undefined : 'FTP without AUTH TLS: credentials and files in cleartext'
    }
    case 'mqtt':
      return 'MQTT without TLS'
    case 'rtsp':
      return 'RTSP without TLS'
    case 'tftp':
      return 'TFTP: no authentication, cleartext'
    case 'snmp': {
      const c = dataOf(observations, service, 'snmp.communities')
      const accepted = Array.isArray(c?.accepted) ? c.accepted : []
      const versions = [...new Set(accepted.filter(isRecord).map((a) => String(a.version)))].sort()
      return accepted.length > 0 ? `SNMP ${versions.join('/')} answered (community strings in cleartext)` : undefined
    }
    default:
      return undefined
  }
}

/** Does a declared entry (URI `proto://host:port`, `proto:port`, `proto`, `tcp/PORT`, `udp/PORT`) cover `s`? */
export function declares(entry: string, s: Pick<ExposedService, 'protocol' | 'port' | 'transport'>): boolean {
  const e = entry.trim().toLowerCase()
  const uri = /^([a-z][a-z0-9+.-]*):\/\/(?:\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(e)
  if (uri) return uri[2] !== undefined ? Number(uri[2]) === s.port && (UDP_PROTOCOLS.includes(uri[1]) ? 'udp' : 'tcp') === s.transport : uri[1] === s.protocol
  const tp = /^(tcp|udp)\/(\d+)$/.exec(e)
  if (tp) return tp[1] === s.transport && Number(tp[2]) === s.port
  const pp = /^([a-z][a-z0-9+.-]*):(\d+)$/.exec(e)
  if (pp) return Number(pp[2]) === s.port && (UDP_PROTOCOLS.includes(pp[1]) || pp[1] === 'mdns' ? 'udp' : 'tcp') === s.transport
  return e === s.protocol
}

export function exposureEmission(services: readonly Service[], observations: readonly Observation[], declared: readonly string[] | undefined): ProbeEmission {
  // Nothing seen at all (every given service unreachable, no discovery): no view of the device to judge.
  const seen = observations.filter((o) => services.some((s) => s.id === o.service) || o.probe === 'net.ports')
  if (seen.length > 0 && seen.every((o) => o.error)) {
    const reasons = [...new Set(seen.map((o) => `${o.error!.code}: ${o.error!.message}`))]
    return {probe: P_DEVICE_EXPOSURE, data: {}, error: {code: 'unreachable', message: `no service of the device could be observed (${reasons.join('; ')})`}}
  }
  const exposed = new Map<string, ExposedService>()
  const notes: string[] = []
  for (const s of services) {
    const insecure = insecureReason(s.protocol, s.id, observations)
    exposed.set(`${s.transport}/${s.port}`, {id: s.id, protocol: s.protocol, port: s.port, transport: s.transport, ...(insecure ? {insecure} : {})})
  }
  const portScans = observations.filter((o) => o.probe === 'net.ports')
  // Open ports discovery did not identify (too many open ports) are exposed all the same.
  const unidentified = (o: Observation) => (Array.isArray(o.data.open) ? o.data.open : []).filter(isRecord).map((p) => Number(p.port))
  for (const o of observations.filter((x) => x.probe === 'net.services' && !x.error)) {
    const d = o.data as unknown as NetServicesData
    for (const s of Array.isArray(d.services) ? d.services : []) {
      const transport = s.transport ?? 'tcp'
      if (exposed.has(`${transport}/${s.port}`)) continue
      const insecure = insecureReason(s.protocol, '', observations)
      exposed.set(`${transport}/${s.port}`, {id: `${transport}://${d.host.includes(':') ? `[${d.host}]` : d.host}:${s.port}`, protocol: s.protocol, port: s.port, transport, ...(insecure ? {insecure} : {})})
    }
  }
  for (const o of portScans.filter((x) => !x.error)) {
    const host = String(o.data.host ?? '')
    for (const port of unidentified(o)) {
      if (!exposed.has(`tcp/${port}`)) exposed.set(`tcp/${port}`, {id: `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`, protocol: 'unidentified', port, transport: 'tcp'})
    }
  }
  const complete = portScans.filter((o) => !o.error && !o.partial && o.data.requested === '1-65535')
  const discovered = portScans.length > 0 && complete.length === portScans.length
  if (portScans.length === 0) notes.push('no port discovery ran (service URIs were given): only those services are listed')
  else if (!discovered) notes.push('the port scan did not cover every TCP port (narrowed by --ports, cut short or failed): other services may be exposed')
  for (const o of portScans.filter((x) => !x.error)) {
    const udp = isRecord(o.data.udp) ? o.data.udp : undefined
    if (!udp) continue
    const silent = isRecord(udp.openFiltered) && typeof udp.openFiltered.ranges === 'string' && udp.openFiltered.ranges !== '' ? `; no answer (open|filtered) on ${udp.openFiltered.ranges}` : ''
    notes.push(`UDP discovery asked ports ${String(udp.requested)} with their protocols' requests (NTP, SNMP, SSDP, mDNS, CoAP)${silent}; other UDP services (TFTP …) are not discovered`)
  }
  if (!portScans.some((o) => !o.error && isRecord(o.data.udp))) notes.push('no UDP discovery ran: UDP services (SNMP, NTP, SSDP, mDNS, CoAP, TFTP) are listed only when given as URIs')
  const data: ExposureData = {
    discovered,
    declared: declared ? [...declared] : null,
    exposed: [...exposed.values()].sort((a, b) => compareLikeLocale(a.transport, b.transport) || a.port - b.port),
    notes,
  }
  return {probe: P_DEVICE_EXPOSURE, data: data as unknown as Record<string, unknown>}
}
