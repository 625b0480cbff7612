import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'

import {dataFiles, runInputs, toolInfo} from '../evidence/provenance.js'
import type {DeclaredIdentity, Device, Finding, InputFileRef, Observation, Report, Service, Severity} from '../evidence/types.js'
import {SCHEMA_VERSION, toolVersion} from '../evidence/version.js'
import {loginContext, loginPolicy} from '../probes/cred/policy.js'
import type {LabCredential} from '../probes/cred/types.js'
import type {CommunityCandidate} from '../probes/snmp/dataset.js'
import type {SnmpV3Credential} from '../probes/snmp/v3-credential-file.js'
import {ConfigError} from '../profiles/errors.js'
import {type Profile, resolveProfile} from '../profiles/loader.js'
import {parsePortSpec, validatePortSpec} from './ports/port-spec.js'
import {analyzeBatch, identityDigest, type SelectedBatchCheck} from '../identity/batch.js'
import {deviceServiceId, identityEmission} from '../identity/derive.js'
import {exposureEmission} from '../exposure/derive.js'
import {P_DEVICE_EXPOSURE} from '../exposure/types.js'
import {judge, judgeDevice} from './judge.js'
import {planScope, planService} from './plan.js'
import {PROBE_UNITS} from './probe-registry.js'
import {runUnit, toObservation} from './run-unit.js'
import {Semaphore} from './semaphore.js'
import {type ParsedTarget, parseTarget} from './targets.js'
import type {RateLimiter} from './rate-limiter.js'
import {deviceCoverage} from './coverage.js'
import {deviceVerdict, summarize, withBatch} from './verdict.js'
import type {RecordedDeclaration} from '../declaration/types.js'
import {assessDevice, refreshBatchRequirements} from '../requirements/assess.js'
import {compareLikeLocale} from '../util/collate.js'

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
  /** A lab's own login credentials (--credentials), tried as the `lab` list. Secrets: reported by id only. */
  loginCredentials?: readonly LabCredential[]
  /** Pause between login attempts, ms; overrides the profile's thresholds.credentials.loginDelayMs. */
  loginDelayMs?: number
  /** Allow intrusive checks (logins, writes). */
  intrusive?: boolean
  /** Lowest severity of a failed finding that fails the device. Default medium. */
  failOn?: Severity
  /** The command line to record (secrets already redacted by the caller). */
  commandLine?: string
  /** The user's result-changing files by digest (provenance.ts inputFiles), recorded in run.inputs with the
   *  digests of caFiles. */
  inputs?: InputFileRef[]
  now?: () => Date
  signal?: AbortSignal
  log?: (message: string) => void
  /** Global limit on new TCP connections per second (--rate), shared by all devices. */
  rate?: RateLimiter
  /** TCP ports scanned on a bare host (--ports); default: the profile's thresholds.tcpPorts (all 65,535). */
  tcpPorts?: string
  /** UDP ports probed on a bare host (--udp-ports); default: the profile's thresholds.udpPorts. */
  udpPorts?: string
  /** Connect attempts in flight during a bare host's port scan (--port-concurrency). Default 64. */
  portConcurrency?: number
  /** Called as each device finishes (progress output). */
  onDevice?: (device: Device) => void
}

/** Port-scan connect attempts in flight for one bare host (its own cap; the per-device cap is for handshakes). */
export const DEFAULT_PORT_CONCURRENCY = 64

export interface DeviceSpec {
  /** Service URIs (tls://host:port …) or bare hosts. */
  targets: string[]
  /** The device id to record verbatim (inventory ids); otherwise derived from name or hosts. */
  id?: string
  name?: string
  /** Declared vendor/model/firmware/serial (inventory); recorded on the device and given to probes. */
  declared?: DeclaredIdentity
  tags?: string[]
  /** Per-device profile override (inventory `profile`); recorded on the device when it differs from the run's. */
  profile?: Profile
  /** The device's own SNMP communities (inventory credentialsRef), tried before options.snmpCommunities. */
  snmpCommunities?: readonly CommunityCandidate[]
  /** The device's own login credentials (inventory loginsRef), tried before options.loginCredentials. */
  loginCredentials?: readonly LabCredential[]
  /** The manufacturer's declaration (--declaration, inventory `declaration`): recorded on the device, its
   *  identity fills what `declared` leaves open, and the profile's requirement rules read it. */
  declaration?: RecordedDeclaration
  /** Services the manufacturer declares (inventory `services`): svc.exposed.undeclared compares with them. */
  declaredServices?: readonly string[]
}

/** What a streamed run did, for the report's `run` section. */
export interface StreamRunInfo {
  startedAt: string
  finishedAt: string
  profile: Profile
  statistics: NonNullable<Report['run']['statistics']>
  devicesScanned: number
}

/** Scans the services given as one device (the library form of `sg17scan scan URI…`). */
export async function scan(options: ScanOptions & {targets: string[]; deviceName?: string}): Promise<Report> {
  return scanDevices([{targets: options.targets, name: options.deviceName}], options)
}

/** Scans several devices and returns one report (devices kept in input order). */
export async function scanDevices(specs: DeviceSpec[], options: ScanOptions = {}): Promise<Report> {
  // Parse every target before any network I/O: a typo fails fast with exit 2.
  for (const spec of specs) parseSpecTargets(spec)
  if (options.tcpPorts !== undefined) validatePortSpec(options.tcpPorts)
  if (options.udpPorts !== undefined) validatePortSpec(options.udpPorts, '--udp-ports')
  const devices: Device[] = new Array(specs.length)
  const scanning = scanStream(specs, options, (device, index) => {
    devices[index] = device
  })
  // The report's provenance (the tool's commit, every data set's SHA-256: ~3 ms of reading and hashing) is read
  // once the probes have started and wait on the network, instead of after the last answer.
  setImmediate(() => {
    try {
      toolInfo()
      dataFiles()
    } catch {
      // read again (and any error raised there) when the report is built
    }
  })
  const info = await scanning
  const failOn = options.failOn ?? 'medium'
  const batchChecks = planScope(info.profile, 'batch', options.intrusive ?? false) as SelectedBatchCheck[]
  // Keys shared between devices and per-model consistency: only meaningful across several devices.
  const batch = devices.length > 1 && batchChecks.length > 0 ? analyzeBatch(devices.map(identityDigest), batchChecks) : undefined
  // The shared-key requirements read the batch findings about each device: derived again now the batch is known.
  for (const [i, device] of devices.entries()) devices[i] = refreshBatchRequirements(device, batch ? {summary: batch, devices: devices.length} : undefined)
  const inputs = runInputs(options)
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: toolInfo(),
    run: {
      id: randomUUID(),
      startedAt: info.startedAt,
      finishedAt: info.finishedAt,
      commandLine: options.commandLine ?? '',
      profile: profileRef(info.profile),
      statistics: info.statistics,
      data: dataFiles(),
      ...(inputs.length > 0 ? {inputs} : {}),
    },
    devices,
    ...(batch ? {batch} : {}),
    summary: withBatch(summarize(devices, failOn), batch),
  }
}

/**
 * Scans devices as they come from `specs` (an iterable or async iterable, read lazily) and hands each finished
 * device to `onDevice` (awaited; its index is the spec's position). Nothing is kept once a device is handed
 * over, so memory stays flat however many devices pass through: the batch journal is built on this.
 */
export async function scanStream(
  specs: Iterable<DeviceSpec> | AsyncIterable<DeviceSpec>,
  options: ScanOptions,
  onDevice: (device: Device, index: number) => void | Promise<void>,
): Promise<StreamRunInfo> {
  const now = options.now ?? (() => new Date())
  const startedAt = now().toISOString()
  const started = performance.now()
  const profile = typeof options.profile === 'object' ? options.profile : resolveProfile(options.profile)
  const failOn = options.failOn ?? 'medium'
  const timeoutMs = options.timeoutMs ?? 5000
  // Checked before any network I/O, expanded only where a bare host's discovery needs the list.
  validatePortSpec(profile.thresholds.tcpPorts, `profile ${profile.id} thresholds.tcpPorts`)
  const ca = [...(options.caCertificates ?? []), ...(options.caFiles ?? []).map(readCaFile)]
  const stats = {connections: 0}
  let probeUnits = 0
  let peakConnectionsPerDevice = 0
  let count = 0
  const iterator = Symbol.asyncIterator in specs ? specs[Symbol.asyncIterator]() : (specs as Iterable<DeviceSpec>)[Symbol.iterator]()
  // One shared cursor: a worker takes the next spec only when it is free, so the input is read lazily.
  let done = false
  const take = async (): Promise<{spec: DeviceSpec; index: number} | undefined> => {
    if (done) return undefined
    const r = await iterator.next()
    if (r.done) {
      done = true
      return undefined
    }
    return {spec: r.value, index: count++}
  }
  const worker = async () => {
    for (let item = await take(); item; item = await take()) {
      const {spec: given, index} = item
      const spec = withDeclaredIdentity(given)
      const targets = parseSpecTargets(spec)
      const deviceProfile = spec.profile ?? profile
      const semaphore = new Semaphore(Math.max(1, options.maxConnectionsPerDevice ?? 2))
      // One login budget per device, shared by all its services (default 20 guesses in all).
      const login = loginContext(loginPolicy(deviceProfile.thresholds.credentials, {delayMs: options.loginDelayMs}))
      const services: Service[] = []
      const observations: Observation[] = []
      const findings: Finding[] = []
      for (const t of targets) {
        if (t.kind === 'service') {
          if (!services.some((s) => s.id === t.service.id)) services.push(t.service)
          continue
        }
        const portSpec = options.tcpPorts ?? deviceProfile.thresholds.tcpPorts
        // Loaded for a bare host only: a scan of service URIs needs neither the port scanner nor its worker threads.
        const {discoverServices} = await import('./discovery.js')
        const found = await discoverServices(t.host, {
          ports: parsePortSpec(portSpec, options.tcpPorts ? '--ports' : `profile ${deviceProfile.id} thresholds.tcpPorts`),
          portSpec,
          ...udpPortsOf(options, deviceProfile),
          portConcurrency: Math.max(1, options.portConcurrency ?? DEFAULT_PORT_CONCURRENCY),
          timeoutMs,
          semaphore,
          stats,
          rate: options.rate,
          now,
          signal: options.signal,
        })
        observations.push(...found.observations)
        for (const s of found.services) if (!services.some((x) => x.id === s.id)) services.push(s)
        if (found.services.length === 0) {
          const why = found.openPorts === 0 ? `no TCP port of ${t.host} in ${portSpec} accepted a connection` : `${found.openPorts} open TCP port(s) of ${t.host}, none identified as a protocol sg17scan tests (see net.services)`
          findings.push(engineFinding('scan.reachability', 'Device reachable', t.host, 'error', why, found.observations.map((x) => x.id)))
        }
      }
      const snmpCommunities = spec.snmpCommunities ? [...spec.snmpCommunities, ...(options.snmpCommunities ?? [])] : options.snmpCommunities
      const logins = spec.loginCredentials ? [...spec.loginCredentials, ...(options.loginCredentials ?? [])] : options.loginCredentials
      await Promise.all(
        services.map(async (service) => {
          const plan = planService(service, deviceProfile, options.intrusive ?? false)
          const serviceObservations = (
            await Promise.all(
              plan.units.map(async (entry) => {
                probeUnits++
                // Only the families this service needs are loaded (see probe-registry.ts).
                const unit = await entry.load()
                return runUnit(unit, {
                  service,
                  targetName: service.host,
                  timeoutMs,
                  budgetMs: Math.max(options.probeBudgetMs ?? timeoutMs * 12, unit.budgetMs?.({timeoutMs, login, credentials: {snmpCommunities}}) ?? 0),
                  semaphore,
                  stats,
                  rate: options.rate,
                  caCertificates: ca,
                  intrusive: (options.intrusive ?? false) || deviceProfile.intrusive,
                  declared: spec.declared,
                  credentials: {snmpV3: options.snmpV3Credentials, snmpCommunities, logins},
                  login,
                  now,
                  signal: options.signal,
                  log: options.log ?? (() => {}),
                })
              }),
            )
          ).flat()
          observations.push(...serviceObservations)
          const judgedAt = now()
          for (const sel of plan.checks) findings.push(judge(sel, service, serviceObservations, deviceProfile.thresholds, judgedAt))
          for (const sel of plan.skippedIntrusive) {
            // Listed, but not a gap: deviceVerdict ignores intrusive checks left out by policy.
            findings.push({
              check: sel.check.id, title: sel.check.title, outcome: 'not_tested', severity: sel.severity, service: service.id,
              message: 'intrusive check: enable with --intrusive or in the profile', evidence: [], references: sel.references,
            })
          }
          // Intrusive checks left out by policy do not cover a service: without a non-intrusive check it is a gap.
          if (plan.checks.length === 0) {
            const onlyIntrusive = plan.skippedIntrusive.length > 0 ? `; only intrusive checks apply (${plan.skippedIntrusive.map((c) => c.check.id).join(', ')})` : ''
            findings.push(engineFinding('scan.coverage', 'Service covered by the profile', service.id, 'not_tested',
              `no check of profile ${deviceProfile.id} applies to ${service.protocol} services in sg17scan ${toolVersion()} (${PROBE_UNITS.some((u) => u.protocols.includes(service.protocol)) ? 'the profile selects none of them' : `${service.protocol.toUpperCase()} module not implemented yet`}${onlyIntrusive})`, []))
          }
        }),
      )
      const id = spec.id ?? deviceId(spec, services, targets)
      const deviceChecks = planScope(deviceProfile, 'device', options.intrusive ?? false)
      const batchChecks = planScope(deviceProfile, 'batch', options.intrusive ?? false)
      if (deviceChecks.length > 0 || batchChecks.length > 0) {
        // Identity and exposure are derived from what the service probes saw: observations of the device, not of
        // a service.
        const serviceId = deviceServiceId(id)
        const declared = Object.values(spec.declared ?? {}).some((v) => typeof v === 'string' && v.trim() !== '')
        const emission = identityEmission(observations, {declared})
        const derived: Observation[] = []
        if (emission) derived.push(toObservation({id: serviceId}, emission, now().toISOString()))
        if (deviceChecks.some((sel) => sel.check.reads.includes(P_DEVICE_EXPOSURE))) {
          derived.push(toObservation({id: serviceId}, exposureEmission(services, observations, spec.declaredServices ?? declaredServiceList(spec.declaration)), now().toISOString()))
        }
        observations.push(...derived)
        const judgedAt = now()
        for (const sel of deviceChecks) {
          // A check whose derived observation could not be made (no identity source, nothing declared) is left out,
          // as before exposure existed.
          if (!sel.check.reads.every((probe) => derived.some((o) => o.probe === probe))) continue
          findings.push(judgeDevice(sel, {id, serviceId, ...(spec.declared ? {declared: spec.declared} : {})}, derived, deviceProfile.thresholds, judgedAt))
        }
      }
      // Ordered as by localeCompare, without setting up ICU collation (src/util/collate.ts).
      services.sort((a, b) => compareLikeLocale(a.id, b.id))
      observations.sort((a, b) => compareLikeLocale(a.service, b.service) || compareLikeLocale(a.probe, b.probe))
      findings.sort((a, b) => compareLikeLocale(a.service, b.service) || compareLikeLocale(a.check, b.check))
      const device: Device = {
        id,
        ...(spec.name ? {name: spec.name} : {}),
        ...(spec.declared && Object.keys(spec.declared).length ? {declared: spec.declared} : {}),
        ...(spec.tags?.length ? {tags: spec.tags} : {}),
        ...(deviceProfile.sha256 !== profile.sha256 || deviceProfile.id !== profile.id ? {profile: profileRef(deviceProfile)} : {}),
        services,
        observations,
        findings,
        verdict: deviceVerdict(findings, failOn),
        ...(spec.declaration ? {declaration: spec.declaration} : {}),
      }
      // Requirement verdicts of a whole-standard profile; those reading the batch are refreshed once it is known.
      if (deviceProfile.requirements.length > 0) device.requirements = assessDevice(device, deviceProfile.requirements)
      device.coverage = deviceCoverage(device)
      peakConnectionsPerDevice = Math.max(peakConnectionsPerDevice, semaphore.peak)
      await onDevice(device, index)
      options.onDevice?.(device)
    }
  }
  const limit = Math.max(1, options.concurrency ?? 8)
  await Promise.all(Array.from({length: limit}, worker))
  return {
    startedAt,
    finishedAt: now().toISOString(),
    profile,
    statistics: {connections: stats.connections, peakConnectionsPerDevice, probeUnits, durationMs: Math.round(performance.now() - started)},
    devicesScanned: count,
  }
}

/** The declaration's services as the exposure comparison lists them (`tcp/443`), when the inventory gives none. */
function declaredServiceList(declaration: RecordedDeclaration | undefined): string[] | undefined {
  return declaration?.services?.map((s) => `${s.transport}/${s.port}`)
}

export function profileRef(profile: Profile): {id: string; version: string; sha256: string} {
  return {id: profile.id, version: profile.version, sha256: profile.sha256}
}

/** The declaration's identity fills the fields the inventory (or --device-name run) left undeclared, so the
 *  identity check compares the declared firmware with what the device shows. */
function withDeclaredIdentity(spec: DeviceSpec): DeviceSpec {
  const fromDeclaration = spec.declaration?.identity
  if (!fromDeclaration) return spec
  const declared: DeclaredIdentity = {...fromDeclaration, ...spec.declared}
  return Object.keys(declared).length > 0 ? {...spec, declared} : spec
}

/** The UDP ports a bare host's discovery probes: --udp-ports, else the profile's udpPorts. */
function udpPortsOf(options: ScanOptions, profile: Profile): {udpPorts: number[]; udpPortSpec: string} {
  const udpPortSpec = options.udpPorts ?? profile.thresholds.udpPorts
  return {udpPortSpec, udpPorts: parsePortSpec(udpPortSpec, options.udpPorts !== undefined ? '--udp-ports' : `profile ${profile.id} thresholds.udpPorts`)}
}

function parseSpecTargets(spec: DeviceSpec): ParsedTarget[] {
  if (spec.targets.length === 0) throw new ConfigError(`no targets given${spec.id ? ` for device ${spec.id}` : ''}`)
  return spec.targets.map(parseTarget)
}

function engineFinding(check: string, title: string, service: string, outcome: Finding['outcome'], message: string, evidence: string[]): Finding {
  return {check, title, outcome, severity: 'info', service, message, evidence, references: []}
}

function deviceId(spec: DeviceSpec, services: Service[], targets: ParsedTarget[]): string {
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
