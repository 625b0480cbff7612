/**
 * Pairing devices and services of two reports. A device is the same device when it has the same id, else when
 * one identity value names exactly one unpaired device on each side — declared serial number, then leaf
 * certificate, TLS key, SSH host key, SNMP engine id (in that order: the most specific first). A value found on
 * several devices (a key shared by clones) pairs nothing: it does not say which device is which.
 * Services pair by id, else by protocol and port (the device moved address), else by protocol when it is the
 * only one of its kind left on each side (the port changed, e.g. a lab on ephemeral ports).
 */
import {deriveIdentity, deviceServiceId} from '../../identity/derive.js'
import {type IdentityRecord, P_DEVICE_IDENTITY} from '../../identity/types.js'
import type {Device, Service} from '../types.js'
import type {MatchBasis} from './types.js'

export interface DevicePair {
  a?: Device
  b?: Device
  matchedBy?: MatchBasis
  matchedOn?: string
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)

/** The device's identity record: its `device.identity` observation, else derived from its observations. */
export function identityOf(device: Device): IdentityRecord {
  const observation = device.observations.find((o) => o.probe === P_DEVICE_IDENTITY && !o.error)
  const record = observation?.data as Partial<IdentityRecord> | undefined
  if (record && Array.isArray(record.tls) && Array.isArray(record.ssh)) return record as IdentityRecord
  return deriveIdentity(device.observations)
}

const IDENTITY_BASES: ReadonlyArray<{basis: Exclude<MatchBasis, 'id'>; values: (d: Device, r: IdentityRecord) => string[]}> = [
  {basis: 'serial', values: (d) => (d.declared?.serial?.trim() ? [d.declared.serial.trim()] : [])},
  {basis: 'certificate', values: (_d, r) => r.tls.map((t) => t.certSha256)},
  {basis: 'tls-key', values: (_d, r) => r.tls.map((t) => t.spkiSha256)},
  {basis: 'ssh-host-key', values: (_d, r) => r.ssh.flatMap((s) => (Array.isArray(s.hostKeys) ? s.hostKeys.map((k) => k.fingerprint) : []))},
  {basis: 'snmp-engine-id', values: (_d, r) => (Array.isArray(r.snmp) ? r.snmp.map((s) => s.engineId ?? '') : [])},
]

function index(devices: Iterable<Device>, valuesOf: (d: Device) => string[]): Map<string, Set<string>> {
  const byValue = new Map<string, Set<string>>()
  for (const d of devices) {
    for (const v of new Set(valuesOf(d).filter(Boolean))) {
      let ids = byValue.get(v)
      if (!ids) byValue.set(v, (ids = new Set()))
      ids.add(d.id)
    }
  }
  return byValue
}

/** Pairs of (A, B) devices, then A-only (removed) and B-only (added) devices, in B's order then A's. */
export function matchDevices(a: readonly Device[], b: readonly Device[]): DevicePair[] {
  const leftA = new Map(a.map((d) => [d.id, d]))
  const leftB = new Map(b.map((d) => [d.id, d]))
  const pairOf = new Map<string, DevicePair>()
  for (const d of b) {
    const other = leftA.get(d.id)
    if (!other) continue
    pairOf.set(d.id, {a: other, b: d, matchedBy: 'id', matchedOn: d.id})
    leftA.delete(d.id)
    leftB.delete(d.id)
  }
  const identities = new Map<Device, IdentityRecord>()
  const identity = (d: Device) => {
    let r = identities.get(d)
    if (!r) identities.set(d, (r = identityOf(d)))
    return r
  }
  for (const {basis, values} of IDENTITY_BASES) {
    if (leftA.size === 0 || leftB.size === 0) break
    const valuesOf = (d: Device) => values(d, identity(d))
    const inA = index(leftA.values(), valuesOf)
    const inB = index(leftB.values(), valuesOf)
    for (const d of [...leftB.values()]) {
      for (const value of [...new Set(valuesOf(d))].sort(cmp)) {
        const as = inA.get(value)
        const bs = inB.get(value)
        if (!as || as.size !== 1 || !bs || bs.size !== 1) continue
        const other = leftA.get([...as][0]!)
        if (!other) continue
        pairOf.set(d.id, {a: other, b: d, matchedBy: basis, matchedOn: value})
        leftA.delete(other.id)
        leftB.delete(d.id)
        break
      }
    }
  }
  const pairs: DevicePair[] = b.map((d) => pairOf.get(d.id) ?? {b: d})
  for (const d of a) if (leftA.has(d.id)) pairs.push({a: d})
  return pairs
}

export interface ServicePairs {
  /** B service id → A service id, for services on both sides (device-level ids included). */
  bToA: Map<string, string>
  pairs: Array<{a: Service; b: Service}>
  onlyA: Service[]
  onlyB: Service[]
}

/** Services of a device pair; `device:<id>` of B maps to `device:<id>` of A. */
export function matchServices(a: Device, b: Device): ServicePairs {
  const leftA = [...a.services]
  const pairs: Array<{a: Service; b: Service}> = []
  const onlyB: Service[] = []
  const rules: Array<(x: Service, y: Service) => boolean> = [
    (x, y) => x.id === y.id,
    (x, y) => x.protocol === y.protocol && x.port === y.port && x.transport === y.transport,
  ]
  let leftB = [...b.services]
  for (const rule of rules) {
    const next: Service[] = []
    for (const s of leftB) {
      const i = leftA.findIndex((x) => rule(x, s))
      if (i === -1) next.push(s)
      else pairs.push({a: leftA.splice(i, 1)[0]!, b: s})
    }
    leftB = next
  }
  for (const s of leftB) {
    const sameA = leftA.filter((x) => x.protocol === s.protocol)
    const sameB = leftB.filter((x) => x.protocol === s.protocol)
    if (sameA.length === 1 && sameB.length === 1) {
      pairs.push({a: sameA[0]!, b: s})
      leftA.splice(leftA.indexOf(sameA[0]!), 1)
    } else onlyB.push(s)
  }
  const bToA = new Map(pairs.map((p) => [p.b.id, p.a.id]))
  bToA.set(deviceServiceId(b.id), deviceServiceId(a.id))
  return {bToA, pairs, onlyA: leftA, onlyB}
}
