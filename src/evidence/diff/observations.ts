/**
 * Observation changes that matter between the two sides of one device pair: services that appeared or vanished,
 * TLS protocols / cipher suites / groups, the leaf certificate and its key, SSH algorithms / host keys /
 * authentication methods, SNMP communities accepted (by dataset id), banners, and the firmware the device reports.
 *
 * What a probe could not see is never reported as removed: an errored observation on either side compares
 * nothing, and a partial one can only add (B partial: nothing is "removed"; A partial: nothing is "added").
 */
import {deviceServiceId} from '../../identity/derive.js'
import type {IdentityRecord} from '../../identity/types.js'
import type {Device, Observation} from '../types.js'
import {identityOf, type ServicePairs} from './match.js'
import type {ObservationChange, ObservationChangeKind} from './types.js'

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)

type Extract = (data: Record<string, unknown>) => string[]

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {})

/** Set-valued facts read from one probe's data. */
const SET_FACTS: ReadonlyArray<{kind: ObservationChangeKind; probe: string; extract: Extract}> = [
  {kind: 'tls-protocols', probe: 'tls.protocols', extract: (d) => Object.entries(d).filter(([, on]) => on === true).map(([p]) => p)},
  {kind: 'tls-cipher-suites', probe: 'tls.cipher-suites', extract: (d) => Object.values(d).flatMap(strings)},
  {kind: 'tls-groups', probe: 'tls.key-exchange', extract: (d) => strings(d.groups)},
  {
    kind: 'ssh-algorithms',
    probe: 'ssh.kexinit',
    extract: (d) => [
      ...strings(d.kex).map((x) => `kex ${x}`),
      ...strings(d.hostKey).map((x) => `hostkey ${x}`),
      ...strings(d.ciphers).map((x) => `cipher ${x}`),
      ...strings(d.ciphersClientToServer).map((x) => `cipher ${x}`),
      ...strings(d.macs).map((x) => `mac ${x}`),
      ...strings(d.macsClientToServer).map((x) => `mac ${x}`),
      ...strings(d.compression).map((x) => `compression ${x}`),
    ],
  },
  {
    kind: 'ssh-auth-methods',
    probe: 'ssh.auth-methods',
    extract: (d) => [...strings(d.methods), ...(d.noneAccepted === true ? ['none (accepted)'] : [])],
  },
  {
    kind: 'ssh-host-key',
    probe: 'ssh.hostkeys',
    extract: (d) =>
      (Array.isArray(d.keys) ? d.keys : []).map(record).flatMap((k) => (typeof k.fingerprint === 'string' ? [`${String(k.type ?? k.algorithm)} ${k.fingerprint}`] : [])),
  },
  {
    // Dataset ids only (never the community string), e.g. "v2c snmp-common-1 read".
    kind: 'snmp-communities',
    probe: 'snmp.communities',
    extract: (d) => (Array.isArray(d.accepted) ? d.accepted : []).map(record).map((c) => `${String(c.version)} ${String(c.credentialId)} ${String(c.access)}`),
  },
]

function observationOf(device: Device, service: string, probe: string): Observation | undefined {
  return device.observations.find((o) => o.service === service && o.probe === probe)
}

function setChange(kind: ObservationChangeKind, service: string, oa: Observation | undefined, ob: Observation | undefined, extract: Extract): ObservationChange | undefined {
  if (!oa || !ob || oa.error || ob.error) return undefined
  const before = new Set(extract(oa.data))
  const after = new Set(extract(ob.data))
  const added = oa.partial ? [] : [...after].filter((x) => !before.has(x)).sort(cmp)
  const removed = ob.partial ? [] : [...before].filter((x) => !after.has(x)).sort(cmp)
  if (added.length === 0 && removed.length === 0) return undefined
  return {kind, service, ...(added.length ? {added} : {}), ...(removed.length ? {removed} : {})}
}

function valueChange(kind: ObservationChangeKind, service: string, before: string | undefined, after: string | undefined): ObservationChange | undefined {
  if (before === undefined || after === undefined || before === after) return undefined
  return {kind, service, before, after}
}

/** Banner-like texts of one service from the identity record. */
function banner(r: IdentityRecord, service: string): string | undefined {
  const ssh = r.ssh.find((s) => s.service === service)
  if (ssh) return ssh.banner
  const text = r.banners?.find((s) => s.service === service)?.text
  if (text !== undefined) return text
  const http = r.http?.find((h) => h.service === service)
  return http?.server ?? undefined
}

export function diffObservations(a: Device, b: Device, services: ServicePairs): ObservationChange[] {
  const changes: ObservationChange[] = []
  for (const s of services.onlyB) changes.push({kind: 'service-appeared', service: s.id})
  for (const s of services.onlyA) changes.push({kind: 'service-vanished', service: s.id})
  const ra = identityOf(a)
  const rb = identityOf(b)
  for (const {a: sa, b: sb} of services.pairs) {
    for (const fact of SET_FACTS) {
      const change = setChange(fact.kind, sb.id, observationOf(a, sa.id, fact.probe), observationOf(b, sb.id, fact.probe), fact.extract)
      if (change) changes.push(change)
    }
    const ta = ra.tls.find((t) => t.service === sa.id)
    const tb = rb.tls.find((t) => t.service === sb.id)
    const cert = valueChange('certificate', sb.id, ta?.certSha256, tb?.certSha256)
    if (cert) changes.push(cert)
    const key = valueChange('tls-key', sb.id, ta?.spkiSha256, tb?.spkiSha256)
    if (key) changes.push(key)
    const text = valueChange('banner', sb.id, banner(ra, sa.id), banner(rb, sb.id))
    if (text) changes.push(text)
  }
  const firmwareA = ra.observed?.firmware ?? []
  const firmwareB = rb.observed?.firmware ?? []
  const added = firmwareB.filter((f) => !firmwareA.includes(f)).sort(cmp)
  const removed = firmwareA.filter((f) => !firmwareB.includes(f)).sort(cmp)
  if (added.length || removed.length) {
    changes.push({kind: 'software-version', service: deviceServiceId(b.id), ...(added.length ? {added} : {}), ...(removed.length ? {removed} : {})})
  }
  return changes
}
