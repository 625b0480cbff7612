import {lookup} from 'node:dns/promises'
import {isIP} from 'node:net'

import type {Observation, Service, ServiceProtocol} from '../evidence/types.js'
import {PROTOCOLS} from '../evidence/types.js'
import {P_NET_PORTS, P_NET_SERVICES, type IdentifiedService, type NetServicesData} from '../probes/identify/types.js'
import type {ProbeEmission} from '../probes/types.js'
import {type ConnectionStats, makeConnector} from './connector.js'
import {formatPortRanges} from './ports/port-spec.js'
import {tcpScan, type TcpScanResult} from './ports/tcp-scan.js'
import type {UdpScanResult} from './ports/udp-scan.js'
import {toObservation} from './run-unit.js'
import type {RateLimiter} from './rate-limiter.js'
import type {Semaphore} from './semaphore.js'
import {makeService} from './targets.js'

/** Open ports identified at most: a host answering on thousands of ports (a tarpit, a middlebox accepting every
 *  SYN) must not turn into hours of identification. The rest are listed as not identified (net.services partial). */
export const MAX_IDENTIFIED_PORTS = 64

export interface DiscoveryResult {
  services: Service[]
  observations: Observation[]
  /** Open TCP ports found (0 = nothing answered). */
  openPorts: number
}

export interface DiscoveryOptions {
  /** Ports to scan (sorted) and the text they were given as (--ports / profile tcpPorts). */
  ports: readonly number[]
  portSpec: string
  /** Connect attempts in flight during the port scan. */
  portConcurrency: number
  timeoutMs: number
  /** Per-device cap: service identification holds it, the port scan has its own concurrency. */
  semaphore: Semaphore
  stats: ConnectionStats
  rate?: RateLimiter
  now: () => Date
  signal?: AbortSignal
  /** Default MAX_IDENTIFIED_PORTS. */
  maxIdentified?: number
  /** UDP ports probed (sorted; each with its protocol's request, see udp-requests.ts) and the text they were
   *  given as (--udp-ports / profile udpPorts). Absent: the registered ports of SNMP, SSDP, CoAP, mDNS and NTP. */
  udpPorts?: readonly number[]
  udpPortSpec?: string
}

/** The host pseudo-service that discovery observations belong to. */
export function hostServiceId(host: string): string {
  return `host://${host.includes(':') ? `[${host}]` : host}`
}

/** For a bare host: a TCP connect scan of the given ports, then every open port identified by protocol; each
 *  service sg17scan has a module for joins the scan as if its URI had been given. */
export async function discoverServices(host: string, o: DiscoveryOptions): Promise<DiscoveryResult> {
  // Loaded only when a bare host is scanned: a scan of given URIs never pays for the identification code.
  const [{identifyPort}, {udpScan}, {DEFAULT_UDP_PORTS}] = await Promise.all([import('../probes/identify/identify.js'), import('./ports/udp-scan.js'), import('../probes/identify/udp-requests.js')])
  const collectedAt = o.now().toISOString()
  const service = {id: hostServiceId(host)}
  let address: string
  let family: 4 | 6
  try {
    if (isIP(host)) {
      address = host
      family = isIP(host) as 4 | 6
    } else {
      const r = await lookup(host)
      address = r.address
      family = r.family as 4 | 6
    }
  } catch (error) {
    const e = {code: 'dns', message: `cannot resolve ${host}: ${(error as Error).message}`}
    return {services: [], openPorts: 0, observations: [P_NET_PORTS, P_NET_SERVICES].map((probe) => toObservation(service, {probe, data: {}, error: e}, collectedAt))}
  }
  const scan = await tcpScan(address, family, {
    ports: o.ports,
    concurrency: o.portConcurrency,
    maxTimeoutMs: o.timeoutMs,
    rate: o.rate,
    stats: o.stats,
    signal: o.signal,
  })
  const udpPortSpec = o.udpPortSpec ?? DEFAULT_UDP_PORTS
  const udpPorts = o.udpPorts ?? udpPortSpec.split(',').map(Number)
  // UDP: each port asked with its protocol's own request (no handshake to scan for: a reply is the only sign).
  const udp = await udpScan(address, family, {ports: udpPorts, concurrency: o.portConcurrency, waitMs: Math.min(o.timeoutMs, 2000), rate: o.rate, signal: o.signal})
  const portsEmission = portsObservation(host, address, o.portSpec, scan, {spec: udpPortSpec, result: udp})
  const open = scan.open.map((p) => p.port)
  const connect = makeConnector({host: address, defaultPort: open[0] ?? 0, timeoutMs: o.timeoutMs, signal: o.signal ?? new AbortController().signal, semaphore: o.semaphore, stats: o.stats, rate: o.rate, open: new Set()})
  const greetingWaitMs = Math.min(o.timeoutMs, 1000)
  const replyWaitMs = Math.min(o.timeoutMs, 2000)
  const maxIdentified = o.maxIdentified ?? MAX_IDENTIFIED_PORTS
  const toIdentify = open.slice(0, maxIdentified)
  const identified: IdentifiedService[] = await Promise.all(toIdentify.map((port) => identifyPort({host, port, connect: (p) => connect({port: p}), greetingWaitMs, replyWaitMs, signal: o.signal})))
  const udpReplies: Array<{kind: string; encoding: 'hex'; content: string}> = []
  for (const r of udp.results) {
    if (r.state !== 'open') continue
    identified.push({port: r.port, transport: 'udp', protocol: r.protocol ?? 'unknown', method: r.method ?? 'udp-reply', ...(r.bannerSha256 ? {bannerSha256: r.bannerSha256} : {}), ...(r.banner ? {banner: r.banner} : {})})
    if (r.replyHex) udpReplies.push({kind: `udp-reply-${r.port}`, encoding: 'hex', content: r.replyHex})
  }
  const services: Service[] = []
  const joined: Record<string, string> = {}
  for (const s of identified) {
    const protocol = serviceProtocol(s)
    if (!protocol) continue
    const svc = makeService(protocol, host, s.port)
    services.push(svc)
    joined[s.transport === 'udp' ? `${s.port}/udp` : String(s.port)] = svc.id
  }
  const servicesData: NetServicesData = {host, services: identified, joined}
  const servicesEmission: ProbeEmission = {probe: P_NET_SERVICES, data: servicesData as unknown as Record<string, unknown>, ...(udpReplies.length ? {artifacts: udpReplies} : {})}
  if (portsEmission.partial) servicesEmission.partial = portsEmission.partial
  if (open.length > toIdentify.length) {
    const rest = open.slice(toIdentify.length)
    servicesEmission.partial = {code: 'too-many-open-ports', message: `${open.length} open TCP ports: the first ${maxIdentified} were identified`, missing: [formatPortRanges(rest).text]}
  }
  return {
    services,
    openPorts: open.length,
    observations: [toObservation(service, portsEmission, collectedAt), toObservation(service, servicesEmission, collectedAt)],
  }
}

/** The sg17scan service protocol an identified port joins as, if sg17scan has a module for it. */
export function serviceProtocol(s: IdentifiedService): ServiceProtocol | undefined {
  return (PROTOCOLS as readonly string[]).includes(s.protocol) ? (s.protocol as ServiceProtocol) : undefined
}

const REASON_TEXT: Record<string, string> = {
  'syn-ack': 'the TCP handshake completed (connect accepted)',
  'conn-refused': 'connection refused (RST)',
  reset: 'connection reset',
  'no-response': 'no answer within the adaptive timeout, after a retry with twice that wait',
  'host-unreach': 'ICMP host unreachable',
  'udp-response': 'a reply to the protocol request',
  'port-unreach': 'ICMP port unreachable (ECONNREFUSED on a connected UDP socket)',
  'net-unreach': 'ICMP network unreachable',
}

/** `net.ports`: every open port with how it was decided; closed and filtered ports as compact ranges. Timing
 *  (which differs run to run) goes into an artifact, so the observation id stays stable. */
export function portsObservation(host: string, address: string, portSpec: string, r: TcpScanResult, udp?: {spec: string; result: UdpScanResult}): ProbeEmission {
  const group = (ports: number[], reasons: string[]) => {
    const f = formatPortRanges(ports)
    const why = Object.fromEntries(Object.entries(r.reasons).filter(([k]) => reasons.includes(k)).map(([k, n]) => [REASON_TEXT[k] ?? k, n]))
    return {count: ports.length, ranges: f.text, ...(f.truncated ? {rangesTruncated: true} : {}), reasons: why}
  }
  const data = {
    host,
    address,
    transport: 'tcp',
    method: 'connect',
    requested: portSpec,
    scanned: r.open.length + r.closed.length + r.filtered.length,
    open: r.open.map((p) => ({port: p.port, state: 'open', reason: REASON_TEXT[p.reason] ?? p.reason})),
    closed: group(r.closed, ['conn-refused', 'reset']),
    filtered: group(r.filtered, Object.keys(r.reasons).filter((k) => k !== 'conn-refused' && k !== 'reset')),
    ...(udp ? {udp: udpPortsData(udp.spec, udp.result)} : {}),
  }
  const emission: ProbeEmission = {
    probe: P_NET_PORTS,
    data,
    artifacts: [{kind: 'port-scan-timing', encoding: 'utf8', content: JSON.stringify(r.timing)}],
  }
  if (r.notScanned.length > 0) {
    emission.partial = {code: 'budget', message: `${r.notScanned.length} of ${r.notScanned.length + data.scanned} ports were not scanned (scan cancelled)`, missing: [formatPortRanges(r.notScanned).text]}
  } else if (udp && udp.result.notScanned.length > 0) {
    emission.partial = {code: 'budget', message: `${udp.result.notScanned.length} UDP ports were not probed (scan cancelled)`, missing: [`udp/${formatPortRanges(udp.result.notScanned).text}`]}
  }
  return emission
}

/** The UDP part of `net.ports`: open ports (with what answered), open|filtered (silent after 3 transmissions)
 *  and closed (ICMP port unreachable) as compact ranges. */
function udpPortsData(spec: string, u: UdpScanResult) {
  const of = (state: string) => u.results.filter((x) => x.state === state).map((x) => x.port)
  const ranges = (ports: number[]) => ({count: ports.length, ranges: formatPortRanges(ports).text})
  return {
    transport: 'udp',
    method: 'protocol-request',
    requested: spec,
    scanned: u.results.length,
    open: u.results.filter((x) => x.state === 'open').map((x) => ({port: x.port, state: 'open', reason: REASON_TEXT['udp-response'], protocol: x.protocol})),
    openFiltered: {...ranges(of('open|filtered')), reason: 'no answer after 3 transmissions (a silent service or a filter)'},
    closed: {...ranges(of('closed')), reason: REASON_TEXT['port-unreach']},
  }
}
