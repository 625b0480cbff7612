/**
 * The rule behind every verdict: `pass` means "we looked and it was fine". For EVERY registered check (service,
 * device and batch scope), fed an empty, an errored or a partial observation for any of its reads, no check may
 * return `pass` — neither the check function itself nor the whole judge path. A new check is covered the day it
 * is registered: nothing here lists checks by hand.
 */
import {describe, expect, it} from 'vitest'

import {ALL_CHECKS} from '../../checks/index.js'
import type {AnyCheck, BatchCheck, Check, DeviceCheck} from '../../src/checks/types.js'
import {isServiceCheck} from '../../src/checks/types.js'
import {judge, judgeDevice} from '../../src/engine/judge.js'
import {unitFor} from '../../src/engine/probe-registry.js'
import type {Observation, Service, ServiceProtocol} from '../../src/evidence/types.js'
import {identityDigest} from '../../src/identity/batch.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {PARTIAL_PAYLOADS} from '../helpers/partial-payloads.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const PORTS: Record<ServiceProtocol, number> = {tls: 443, https: 443, ssh: 22, snmp: 161, http: 80, telnet: 23, ftp: 21, mqtt: 1883, mqtts: 8883, rtsp: 554, coap: 5683, ssdp: 1900, ntp: 123}

function serviceFor(protocol: ServiceProtocol): Service {
  return {id: `${protocol}://192.0.2.77:${PORTS[protocol]}`, protocol, host: '192.0.2.77', port: PORTS[protocol], transport: ['snmp', 'coap', 'ssdp', 'ntp'].includes(protocol) ? 'udp' : 'tcp'}
}

function obs(serviceId: string, probe: string, data: Record<string, unknown>, extra: Partial<Observation> = {}): Observation {
  return {id: `obs-${probe}`, service: serviceId, probe, collectedAt: NOW.toISOString(), data, artifacts: [], ...extra}
}

const ERRORED = {code: 'timeout', message: 'no answer within 5000 ms'}
const PARTIAL = {code: 'budget', message: 'the probe budget ran out', missing: ['everything after the first step']}

const selection = (check: AnyCheck) => ({check, severity: check.defaultSeverity, references: [...check.references]})

/** Payloads to feed one read: empty, and what its probe emits when it stopped early (test/helpers/partial-payloads.ts). */
function payloadsFor(probe: string): Array<[string, Record<string, unknown>]> {
  return [['empty', {}], ...(PARTIAL_PAYLOADS[probe] ?? []).map((p, i): [string, Record<string, unknown>] => [`partial #${i + 1}`, p])]
}

const serviceChecks = ALL_CHECKS.filter(isServiceCheck)
const deviceChecks = ALL_CHECKS.filter((c): c is DeviceCheck => c.scope === 'device')
const batchChecks = ALL_CHECKS.filter((c): c is BatchCheck => c.scope === 'batch')

describe('every registered check is covered', () => {
  it('has service, device and batch checks, and a partial payload for every probe a check reads', () => {
    expect(serviceChecks.length + deviceChecks.length + batchChecks.length).toBe(ALL_CHECKS.length)
    expect(deviceChecks.length).toBeGreaterThan(0)
    expect(batchChecks.length).toBeGreaterThan(0)
    const reads = new Set(ALL_CHECKS.flatMap((c) => c.reads))
    for (const probe of reads) expect(PARTIAL_PAYLOADS[probe], `test/helpers/partial-payloads.ts has no entry for ${probe}`).toBeDefined()
  })
})

describe.each(serviceChecks.flatMap((c) => c.protocols.map((p) => [c.id, p, c] as const)))('%s on %s', (_id, protocol, check: Check) => {
  const service = serviceFor(protocol)
  const input = (observations: Record<string, Observation>) => ({service, observations, thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity})
  const allEmpty = () => Object.fromEntries(check.reads.map((r) => [r, obs(service.id, r, {})]))

  it('the check function does not pass on empty data (data: {}) for every read', () => {
    const r = check.evaluate(input(allEmpty()))
    expect(r.outcome, r.message).not.toBe('pass')
  })

  it.each(check.reads.map((r) => [r]))('the check function does not pass on empty or stopped-early data of %s', (probe) => {
    for (const [label, data] of payloadsFor(probe)) {
      const r = check.evaluate(input({...allEmpty(), [probe]: obs(service.id, probe, data)}))
      expect(r.outcome, `${label}: ${r.message}`).not.toBe('pass')
    }
  })

  // The judge gives a service only the reads some probe collects for its protocol (see judge.ts).
  const ownReads = check.reads.filter((r) => unitFor(r, protocol))
  it.each((ownReads.length ? ownReads : [...check.reads]).map((r) => [r]))('the judge does not pass when %s errored or is partial', (probe) => {
    const base = Object.values(allEmpty())
    const errored = judge(selection(check), service, base.map((o) => (o.probe === probe ? {...o, error: ERRORED} : o)), DEFAULT_THRESHOLDS, NOW)
    expect(errored.outcome).not.toBe('pass')
    for (const [label, data] of payloadsFor(probe)) {
      const partial = judge(selection(check), service, base.map((o) => (o.probe === probe ? {...o, data, partial: PARTIAL} : o)), DEFAULT_THRESHOLDS, NOW)
      expect(partial.outcome, `${label}: ${partial.message}`).not.toBe('pass')
    }
  })
})

describe.each(deviceChecks.map((c) => [c.id, c] as const))('device check %s', (_id, check) => {
  const serviceId = 'device:d1'
  const run = (observations: Observation[]) => judgeDevice(selection(check), {id: 'd1', serviceId, declared: {vendor: 'Acme', model: 'X1'}}, observations, DEFAULT_THRESHOLDS, NOW)

  it('does not pass on empty data, errored or partial observations', () => {
    const direct = check.evaluate({deviceId: 'd1', declared: {vendor: 'Acme', model: 'X1'}, observations: Object.fromEntries(check.reads.map((r) => [r, obs(serviceId, r, {})])), thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity})
    expect(direct.outcome, direct.message).not.toBe('pass')
    for (const probe of check.reads) {
      expect(run([obs(serviceId, probe, {}, {error: ERRORED})]).outcome).not.toBe('pass')
      for (const [, data] of payloadsFor(probe)) expect(run([obs(serviceId, probe, data, {partial: PARTIAL})]).outcome).not.toBe('pass')
    }
  })
})

describe.each(batchChecks.map((c) => [c.id, c] as const))('batch check %s', (_id, check) => {
  it('does not pass on devices whose identity observation is empty, errored or partial', () => {
    const device = (id: string, o: Observation) => ({id, services: [], observations: [o], findings: [], verdict: 'incomplete' as const})
    for (const extra of [{}, {error: ERRORED}, {partial: PARTIAL}]) {
      const digests = ['d1', 'd2'].map((id) => identityDigest(device(id, obs(`device:${id}`, 'device.identity', {}, extra))))
      for (const r of check.evaluate({digests, severity: check.defaultSeverity})) expect(r.outcome, r.message).not.toBe('pass')
    }
    expect(check.evaluate({digests: [], severity: check.defaultSeverity}).map((r) => r.outcome)).not.toContain('pass')
  })
})
