/**
 * The services-vs-declared rule (EN 303 645 5.6-1 / 5.6-5, EN 18031-1 GEC-2, X.1352 8.4 security management) on
 * the attack-surface evidence: observedServices() reads the discovery's net.ports / net.services observations (TCP,
 * and UDP entries), and the rule passes only when a discovery covered every TCP port. Before, observedServices()
 * read only the services probed and never called a list complete: the rule could not pass.
 */
import {describe, expect, it} from 'vitest'

import {portsObservation} from '../../src/engine/discovery.js'
import {toObservation} from '../../src/engine/run-unit.js'
import type {Declaration} from '../../src/declaration/types.js'
import type {Device, Finding, Observation, Service} from '../../src/evidence/types.js'
import type {NetServicesData} from '../../src/probes/identify/types.js'
import {observedServices} from '../../src/requirements/assess.js'
import {evaluateRequirement} from '../../src/requirements/evaluate.js'
import type {RequirementDef} from '../../src/requirements/types.js'

const HOST = '192.0.2.7'
const HOST_SERVICE = {id: `host://${HOST}`}
const AT = '2026-01-02T03:04:05.000Z'

/** net.ports as the discovery writes it: `open` ports out of `spec` (every other port closed), optionally cut short. */
function netPorts(open: number[], spec = '1-65535', notScanned: number[] = []): Observation {
  const all: number[] = []
  const [lo, hi] = spec.split('-').map(Number) as [number, number]
  for (let p = lo; p <= (hi ?? lo); p++) if (!notScanned.includes(p)) all.push(p)
  const result = {
    open: open.map((port) => ({port, reason: 'syn-ack'})),
    closed: all.filter((p) => !open.includes(p)),
    filtered: [],
    notScanned,
    reasons: {'syn-ack': open.length, 'conn-refused': all.length - open.length},
    timing: {attempts: all.length, retried: 0, rttSamples: 1, finalTimeoutMs: 100, durationMs: 1},
  }
  return toObservation(HOST_SERVICE, portsObservation(HOST, HOST, spec, result), AT)
}

function netServices(services: NetServicesData['services'], joined: Record<string, string>): Observation {
  const data: NetServicesData = {host: HOST, services, joined}
  return toObservation(HOST_SERVICE, {probe: 'net.services', data: data as unknown as Record<string, unknown>}, AT)
}

const svc = (protocol: Service['protocol'], port: number, transport: Service['transport'] = 'tcp'): Service => ({id: `${protocol}://${HOST}:${port}`, protocol, host: HOST, port, transport})

function device(services: Service[], observations: Observation[], findings: Finding[] = []): Device {
  return {id: 'd1', services, observations, findings, verdict: 'pass'} as unknown as Device
}

const DECLARED: Declaration = {
  identity: {vendor: 'Acme', model: 'GW-1'},
  services: [
    {port: 443, transport: 'tcp', protocol: 'tls', purpose: 'API', enabledByDefault: true},
    {port: 22, transport: 'tcp', protocol: 'ssh', purpose: 'CLI', enabledByDefault: true},
  ],
}
const RULE: RequirementDef = {standard: 'ETSI EN 303 645', id: '5.6-1', title: 'T', level: 'mandatory', checks: ['svc.exposed.undeclared'], declaration: ['services'], rule: 'declared-services'}
const judge = (d: Device, declaration: Declaration = DECLARED) => evaluateRequirement(RULE, {findings: d.findings, observations: d.observations, declaration, observedServices: observedServices(d)})

const discovered = (extra: number[] = [], spec = '1-65535', notScanned: number[] = []) => {
  const open = [22, 443, ...extra].filter((p) => !notScanned.includes(p))
  return device([svc('ssh', 22), svc('tls', 443)], [
    netPorts(open, spec, notScanned),
    netServices([{port: 22, protocol: 'ssh', method: 'greeting'}, {port: 443, protocol: 'tls', method: 'tls-handshake'}, ...extra.map((port) => ({port, protocol: 'unknown' as const, method: 'none' as const}))], {'22': svc('ssh', 22).id, '443': svc('tls', 443).id}),
  ])
}

describe('observedServices: the attack surface the discovery saw', () => {
  it('a full TCP discovery makes the list complete and records the range covered', () => {
    const seen = observedServices(discovered())
    expect(seen.complete).toBe(true)
    expect(seen.services.map((s) => `${s.protocol} ${s.port}/${s.transport}`)).toEqual(['ssh 22/tcp', 'tls 443/tcp'])
    expect(seen.scope).toContain('connect scan of 1-65535 (65535 ports, 2 open)')
    expect(seen.evidence).toHaveLength(2)
  })

  it('open ports the identification did not name are services seen all the same', () => {
    const d = discovered()
    // 64 open ports identified at most: an open port beyond is in net.ports only.
    d.observations[0] = netPorts([22, 443, 8081])
    expect(observedServices(d).services.map((s) => `${s.protocol} ${s.port}/${s.transport}`)).toContain('unidentified 8081/tcp')
  })

  it('UDP services from the discovery (transport udp) are seen and compared with the declaration', () => {
    const d = discovered()
    d.observations[1] = netServices([{port: 22, protocol: 'ssh', method: 'greeting'}, {port: 443, protocol: 'tls', method: 'tls-handshake'}, {port: 5683, transport: 'udp', protocol: 'coap', method: 'coap-get'}], {})
    const seen = observedServices(d)
    expect(seen.services).toContainEqual(expect.objectContaining({port: 5683, transport: 'udp', protocol: 'coap'}))
    expect(seen.scope).toContain('seen: coap 5683/udp')
    const r = judge(d)
    expect(r.verdict).toBe('fail')
    expect(r.reason).toContain('coap on 5683/udp is not declared')
    const declared = judge(d, {...DECLARED, services: [...DECLARED.services!, {port: 5683, transport: 'udp', protocol: 'coap', purpose: 'sensor API', enabledByDefault: true}]})
    expect(declared.verdict).toBe('pass')
  })

  it('a UDP net.ports observation (another transport) does not make or break the TCP completeness', () => {
    const d = discovered()
    const udp = toObservation(HOST_SERVICE, {probe: 'net.ports', data: {host: HOST, address: HOST, transport: 'udp', method: 'udp-probe', requested: '53,123,161,5353', scanned: 4, open: [{port: 123, state: 'open', reason: 'reply'}]}}, AT)
    d.observations.push(udp)
    const seen = observedServices(d)
    expect(seen.complete).toBe(true)
    expect(seen.scope).toContain('UDP: udp-probe scan of 53,123,161,5353 (4 ports, 1 open)')
  })

  it('only given targets (no discovery): not complete, says so', () => {
    const seen = observedServices(device([svc('ssh', 22), svc('tls', 443)], []))
    expect(seen.complete).toBe(false)
    expect(seen.services).toHaveLength(2)
    expect(seen.method).toContain('no port discovery ran')
  })
})

describe('declared-services on the discovery', () => {
  it('passes when a full TCP discovery saw only declared services (failing-before: never passed)', () => {
    const r = judge(discovered())
    expect(r.verdict).toBe('pass')
    expect(r.reason).toContain('1-65535')
    expect(r.decidedBy.declaration).toEqual(['services'])
  })

  it('an open port not declared fails, naming port and protocol', () => {
    const r = judge(discovered([8081]))
    expect(r.verdict).toBe('fail')
    expect(r.reason).toContain('unknown on 8081/tcp is not declared')
  })

  it('a discovery of fewer ports, or one cut short, is inconclusive and names what was covered', () => {
    const narrow = judge(discovered([], '1-1024'))
    expect(narrow.verdict).toBe('inconclusive')
    expect(narrow.reason).toContain('covered 1024 of 65535 ports (1-1024)')
    const cut = judge(discovered([], '1-65535', [60000, 60001]))
    expect(cut.verdict).toBe('inconclusive')
    expect(cut.reason).toContain('cut short')
    expect(cut.reason).toContain('60000-60001')
  })

  it('a failed discovery is inconclusive', () => {
    const d = discovered()
    d.observations[0] = {...d.observations[0]!, error: {code: 'dns', message: 'cannot resolve'}}
    expect(judge(d).verdict).toBe('inconclusive')
  })

  it('a declared enabled service not seen is named, not failed (these requirements limit exposure)', () => {
    const r = judge(discovered(), {...DECLARED, services: [...DECLARED.services!, {port: 80, transport: 'tcp', protocol: 'http', purpose: 'redirect', enabledByDefault: true}]})
    expect(r.verdict).toBe('pass')
    expect(r.reason).toContain('declared enabled by default but not seen')
    expect(r.reason).toContain('services[2] http 80/tcp')
  })

  it('a service declared disabled by default that answers fails', () => {
    const r = judge(discovered(), {...DECLARED, services: [DECLARED.services![0]!, {...DECLARED.services![1]!, enabledByDefault: false}]})
    expect(r.verdict).toBe('fail')
    expect(r.reason).toContain('services[1] declares it disabled by default')
  })

  it('cites the svc.exposed.undeclared finding of the same comparison', () => {
    const finding: Finding = {check: 'svc.exposed.undeclared', title: 't', outcome: 'pass', severity: 'medium', service: 'device://d1', message: 'm', evidence: ['obs-x'], references: []}
    const d = discovered()
    d.findings.push(finding)
    expect(judge(d).decidedBy.findings).toEqual(['svc.exposed.undeclared@device://d1'])
  })
})
