import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'

import type {DeclaredIdentity, Device, Finding, Observation, Report, Service, Severity} from '../evidence/types.js'
import {SCHEMA_VERSION, TOOL_NAME, toolVersion} from '../evidence/version.js'
import type {CommunityCandidate} from '../probes/snmp/dataset.js'
import type {SnmpV3Credential} from '../probes/snmp/v3-credentials.js'
import {ConfigError} from '../profiles/errors.js'
import {type Profile, resolveProfile} from '../profiles/loader.js'
import {discoverServices} from './discovery.js'
import {judge} from './judge.js'
import {planService} from './plan.js'
import {PROBE_UNITS} from './probe-registry.js'
import {runUnit} from './run-unit.js'
import {Semaphore} from './semaphore.js'
import {parseTarget} from './targets.js'
import {deviceVerdict, summarize} from './verdict.js'

export interface ScanOptions {
  /** Built-in profile id, a path to a profile YAML, or a loaded profile. Default itu-t-x1352-baseline. */
  profile?: string | Profile
  /** Bound on each network step (connect, each reply), ms. Default 5000. */
  timeoutMs?: number
  /** Whole budget of one probe unit on one service, ms. Default 12 × timeoutMs. */
  probeBudgetMs?: number
  /** Simultaneous connections to one device. Default 2: embedded devices fall over under parallel handshakes. */
  maxConnectionsPerDevice?: number
  /** Devices scanned at once. Default 8. */
  concurrency?: number
  /** Extra trust anchors: PEM texts and/or files holding PEM certificates. */
  caCertificates?: string[]
  caFiles?: string[]
  /** SNMPv3 users to test (keys read from environment variables by loadSnmpV3Credentials). */
  snmpV3Credentials?: readonly SnmpV3Credential[]
  /** A lab's own SNMP communities, tried before the default dataset. */
  snmpCommunities?: readonly CommunityCandidate[]
  /** Allow intrusive checks (logins, writes). */
  intrusive?: boolean
  /** Lowest severity of a failed finding that fails the device. Default medium. */
  failOn?: Severity
  /** The command line to record (secrets already redacted by the caller). */
  commandLine?: string
  now?: () => Date
  signal?: AbortSignal
  log?: (message: string) => void
  /** Called as each device finishes (progress output). */
  onDevice?: (device: Device) => void
}

export interface DeviceSpec {
  /** Service URIs (tls://host:port …) or bare hosts. */
  targets: string[]
  name?: string
  /** Declared vendor/model/firmware/serial (inventory); recorded on the device and given to probes. */
  declared?: DeclaredIdentity
  tags?: string[]
}

/** Scans the services given as one device (the library form of `sg17scan scan URI…`). */
export async function scan(options: ScanOptions & {targets: string[]; deviceName?: string}): Promise<Report> {
  return scanDevices([{targets: options.targets, name: options.deviceName}], options)
}

/** Scans several devices and returns one report. */
export async function scanDevices(specs: DeviceSpec[], options: ScanOptions = {}): Promise<Report> {
  const now = options.now ?? (() => new Date())
  const startedAt = now().toISOString()
  const started = performance.now()
  const profile = typeof options.profile === 'object' ? options.profile : resolveProfile(options.profile)
  const failOn = options.failOn ?? 'medium'
  const timeoutMs = options.timeoutMs ?? 5000
  const ca = [...(options.caCertificates ?? []), ...(options.caFiles ?? []).map(readCaFile)]
  // Parse every target before any network I/O: a typo fails fast with exit 2.
  const parsed = specs.map((spec) => {
    if (spec.targets.length === 0) throw new ConfigError('no targets given')
    return {spec, targets: spec.targets.map(parseTarget)}
  })
  const stats = {connections: 0}
  let probeUnits = 0
  let peakConnectionsPerDevice = 0
  const devices: Device[] = new Array(parsed.length)
  const limit = Math.max(1, options.concurrency ?? 8)
  let next = 0
  const worker = async () => {
    while (next < parsed.length) {
      const index = next++
      const {spec, targets} = parsed[index]
      const semaphore = new Semaphore(Math.max(1, options.maxConnectionsPerDevice ?? 2))
      const services: Service[] = []
      const observations: Observation[] = []
      const findings: Finding[] = []
      for (const t of targets) {
        if (t.kind === 'service') {
          if (!services.some((s) => s.id === t.service.id)) services.push(t.service)
          continue
        }
        const found = await discoverServices(t.host, {timeoutMs, semaphore, stats, now, signal: options.signal})
        observations.push(found.observation)
        for (const s of found.services) if (!services.some((x) => x.id === s.id)) services.push(s)
        if (found.services.length === 0) {
          findings.push(engineFinding('scan.reachability', 'Device reachable', t.host, 'error', `no default port of ${t.host} accepted a TCP connection`, [found.observation.id]))
        }
      }
      await Promise.all(
        services.map(async (service) => {
          const plan = planService(service, profile, options.intrusive ?? false)
          const serviceObservations = (
            await Promise.all(
              plan.units.map((unit) => {
                probeUnits++
                return runUnit(unit, {
                  service,
                  targetName: service.host,
                  timeoutMs,
                  budgetMs: options.probeBudgetMs ?? timeoutMs * 12,
                  semaphore,
                  stats,
                  caCertificates: ca,
                  intrusive: (options.intrusive ?? false) || profile.intrusive,
                  declared: spec.declared,
                  credentials: {snmpV3: options.snmpV3Credentials, snmpCommunities: options.snmpCommunities},
                  now,
                  signal: options.signal,
                  log: options.log ?? (() => {}),
                })
              }),
            )
          ).flat()
          observations.push(...serviceObservations)
          const judgedAt = now()
          for (const sel of plan.checks) findings.push(judge(sel, service, serviceObservations, profile.thresholds, judgedAt))
          for (const sel of plan.skippedIntrusive) {
            // Listed, but not a gap: deviceVerdict ignores intrusive checks left out by policy.
            findings.push({
              check: sel.check.id, title: sel.check.title, outcome: 'not_tested', severity: sel.severity, service: service.id,
              message: 'intrusive check: enable with --intrusive or in the profile', evidence: [], references: sel.references,
            })
          }
          if (plan.checks.length === 0 && plan.skippedIntrusive.length === 0) {
            findings.push(engineFinding('scan.coverage', 'Service covered by the profile', service.id, 'not_tested',
              `no check of profile ${profile.id} applies to ${service.protocol} services in sg17scan ${toolVersion()} (${PROBE_UNITS.some((u) => u.protocols.includes(service.protocol)) ? 'the profile selects none of them' : `${service.protocol.toUpperCase()} module not implemented yet`})`, []))
          }
        }),
      )
      services.sort((a, b) => a.id.localeCompare(b.id))
      observations.sort((a, b) => a.service.localeCompare(b.service) || a.probe.localeCompare(b.probe))
      findings.sort((a, b) => a.service.localeCompare(b.service) || a.check.localeCompare(b.check))
      const device: Device = {
        id: deviceId(spec, services, targets),
        ...(spec.name ? {name: spec.name} : {}),
        ...(spec.declared && Object.keys(spec.declared).length ? {declared: spec.declared} : {}),
        ...(spec.tags?.length ? {tags: spec.tags} : {}),
        services,
        observations,
        findings,
        verdict: deviceVerdict(findings, failOn),
      }
      devices[index] = device
      peakConnectionsPerDevice = Math.max(peakConnectionsPerDevice, semaphore.peak)
      options.onDevice?.(device)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, parsed.length)}, worker))
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: {name: TOOL_NAME, version: toolVersion()},
    run: {
      id: randomUUID(),
      startedAt,
      finishedAt: now().toISOString(),
      commandLine: options.commandLine ?? '',
      profile: {id: profile.id, version: profile.version, sha256: profile.sha256},
      statistics: {connections: stats.connections, peakConnectionsPerDevice, probeUnits, durationMs: Math.round(performance.now() - started)},
    },
    devices,
    summary: summarize(devices, failOn),
  }
}

function engineFinding(check: string, title: string, service: string, outcome: Finding['outcome'], message: string, evidence: string[]): Finding {
  return {check, title, outcome, severity: 'info', service, message, evidence, references: []}
}

function deviceId(spec: DeviceSpec, services: Service[], targets: ReturnType<typeof parseTarget>[]): string {
  if (spec.name) return spec.name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'device'
  const hosts = [...new Set(targets.map((t) => (t.kind === 'host' ? t.host : t.service.host)))]
  return hosts.join('+')
}

function readCaFile(file: string): string {
  try {
    const pem = readFileSync(file, 'utf8')
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it')
    return pem
  } catch (error) {
    throw new ConfigError(`--ca ${file}: ${(error as Error).message}`)
  }
}
