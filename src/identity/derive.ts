/**
 * The identity record of one device (probe `device.identity`), derived from its service observations: TLS leaf
 * certificate and key, SSH banner and host keys, SNMP sysDescr/sysObjectID/engine id, HTTP Server header and
 * page title, Telnet/FTP greetings, recognised products with CPE 2.3 candidates, and what they say about the
 * vendor, model and firmware. Pure: no I/O beyond the data tables, every payload read defensively (a probe
 * written later, or a hostile device, may put anything there). Personal data is never copied: of the SNMP
 * system group only sysDescr and sysObjectID are taken (not sysContact, sysLocation or sysName).
 */
import type {Observation} from '../evidence/types.js'
import type {ProbeEmission} from '../probes/types.js'
import {deviceVendorOf, firmwarePhrases, matchProducts} from './cpe.js'
import {vendorForEnterprise, versionKey} from './names.js'
import {
  type BannerIdentity,
  type HttpIdentity,
  IDENTITY_EXTRA_READS,
  IDENTITY_SOURCES,
  type IdentityRecord,
  type ObservedIdentity,
  P_DEVICE_IDENTITY,
  type ProductMatch,
  type ServerIdentity,
  type SnmpIdentity,
  type SshIdentity,
  type TlsIdentity,
  type UpnpIdentity,
} from './types.js'

/** Longest text kept from any banner/header/title: identity needs the first line, not a hostile megabyte. */
export const MAX_IDENTITY_TEXT = 512

/** Pseudo service id of device-level observations and findings. */
export function deviceServiceId(deviceId: string): string {
  return `device:${deviceId}`
}

type Rec = Record<string, unknown>

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, MAX_IDENTITY_TEXT) : null)
const str = (v: unknown): string => text(v) ?? ''
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

function tlsOf(o: Observation): TlsIdentity[] {
  const leaf = list(o.data.chain)[0]
  if (!isRecord(leaf) || typeof leaf.spkiSha256 !== 'string' || leaf.spkiSha256 === '') return []
  return [
    {
      service: o.service,
      subject: str(leaf.subject),
      issuer: str(leaf.issuer),
      serialNumber: str(leaf.serialNumber),
      spkiSha256: leaf.spkiSha256,
      certSha256: str(leaf.sha256),
      keyType: str(leaf.keyType),
      keyBits: typeof leaf.keyBits === 'number' ? leaf.keyBits : 0,
      selfSigned: leaf.selfSigned === true,
    },
  ]
}

function sshOf(kexinit: Observation | undefined, hostkeys: Observation | undefined, service: string): SshIdentity[] {
  if (!kexinit && !hostkeys) return []
  const keys = list(hostkeys?.data.keys)
    .filter((k): k is Rec => isRecord(k) && typeof k.fingerprint === 'string' && k.fingerprint !== '')
    .map((k) => ({type: str(k.type), ...(typeof k.bits === 'number' ? {bits: k.bits} : {}), fingerprint: k.fingerprint as string}))
  // One key is offered under several algorithms (rsa-sha2-256/512, ssh-rsa): keep it once.
  const unique = [...new Map(keys.map((k) => [k.fingerprint, k])).values()].sort((a, b) => cmp(a.fingerprint, b.fingerprint))
  return [{service, banner: str(kexinit?.data.banner), software: str(kexinit?.data.software), comments: str(kexinit?.data.comments), hostKeys: unique}]
}

function enterpriseOf(sysObjectID: string | null, engineEnterprise: unknown): number | null {
  const m = sysObjectID ? /^\.?1\.3\.6\.1\.4\.1\.(\d+)(?:\.|$)/.exec(sysObjectID) : null
  if (m) return Number(m[1])
  return typeof engineEnterprise === 'number' && Number.isInteger(engineEnterprise) ? engineEnterprise : null
}

function snmpOf(system: Observation | undefined, v3: Observation | undefined, service: string): SnmpIdentity[] {
  if (!system && !v3) return []
  const readable = system?.data.readable === true
  const sysDescr = readable ? text(system?.data.sysDescr) : null
  const sysObjectID = readable ? text(system?.data.sysObjectID) : null
  const engineId = text(v3?.data.engineId)
  if (sysDescr === null && sysObjectID === null && engineId === null) return []
  return [{service, sysDescr, sysObjectID, engineId, enterprise: enterpriseOf(sysObjectID, v3?.data.engineEnterprise)}]
}

function httpOf(o: Observation): HttpIdentity[] {
  return list(o.data.exchanges)
    .filter(isRecord)
    .map((x) => {
      const headers = isRecord(x.headers) ? x.headers : {}
      // A header seen several times may come as a list: the first value names the server.
      const server = Array.isArray(headers.server) ? headers.server.find((v) => typeof v === 'string') : headers.server
      return {service: o.service, url: str(x.url), server: text(server), title: text(x.title)}
    })
    .filter((h) => h.server !== null || h.title !== null)
}

function bannerOf(o: Observation, protocol: 'telnet' | 'ftp'): BannerIdentity[] {
  const t = text(o.data.banner)
  return t ? [{service: o.service, protocol, text: t}] : []
}

/** The identity fields of the UPnP description an SSDP observation read (serial only as its digest). */
function upnpOf(o: Observation): UpnpIdentity[] {
  const d = o.data.description
  if (!isRecord(d) || d.status !== 200) return []
  const u: UpnpIdentity = {service: o.service}
  for (const k of ['deviceType', 'manufacturer', 'modelName', 'modelNumber', 'firmware'] as const) {
    const v = text(d[k])
    if (v) u[k] = v
  }
  if (typeof d.serialSha256 === 'string' && /^[0-9a-f]{64}$/.test(d.serialSha256)) u.serialSha256 = d.serialSha256
  return Object.keys(u).length > 1 ? [u] : []
}

function serversOf(o: Observation): ServerIdentity[] {
  const out: ServerIdentity[] = []
  const add = (source: ServerIdentity['source'], v: unknown) => {
    const t = text(v)
    if (t) out.push({service: o.service, source, text: t})
  }
  if (o.probe === 'ssdp.discovery') add('ssdp.server', o.data.server)
  if (o.probe === 'rtsp.session') add('rtsp.server', o.data.server)
  if (o.probe === 'mqtt.subscription') add('mqtt.broker-version', o.data.brokerVersion)
  if (o.probe === 'mqtt.session' && isRecord(o.data.serverProperties)) add('mqtt.server-reference', o.data.serverProperties.serverReference)
  return out
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const uniqSorted = (items: Iterable<string>) => [...new Set(items)].sort(cmp)

/** Every text an identity carries, with the source name the pattern table uses. */
export function identityTexts(r: Pick<IdentityRecord, 'tls' | 'ssh' | 'snmp' | 'http' | 'banners' | 'upnp' | 'servers'>): Array<{source: string; service: string; text: string}> {
  const out: Array<{source: string; service: string; text: string}> = []
  for (const t of r.tls) out.push({source: 'tls.subject', service: t.service, text: t.subject})
  for (const s of r.ssh) if (s.banner) out.push({source: 'ssh.banner', service: s.service, text: s.banner})
  for (const s of r.snmp) if (s.sysDescr) out.push({source: 'snmp.sysDescr', service: s.service, text: s.sysDescr})
  for (const h of r.http) {
    if (h.server) out.push({source: 'http.server', service: h.service, text: h.server})
    if (h.title) out.push({source: 'http.title', service: h.service, text: h.title})
  }
  for (const b of r.banners) out.push({source: `${b.protocol}.banner`, service: b.service, text: b.text})
  for (const s of r.servers ?? []) out.push({source: s.source, service: s.service, text: s.text})
  for (const u of r.upnp ?? []) {
    for (const k of ['manufacturer', 'modelName', 'modelNumber', 'firmware'] as const) if (u[k]) out.push({source: `upnp.${k}`, service: u.service, text: u[k]!})
  }
  return out
}

function observedFrom(products: ProductMatch[], snmp: SnmpIdentity[], phrases: string[], upnp: UpnpIdentity[]): ObservedIdentity {
  const vendors: string[] = []
  const firmware: string[] = [...phrases]
  const models: string[] = []
  // A UPnP description names its maker, model and firmware in fields of their own: taken as they are.
  for (const u of upnp) {
    if (u.manufacturer) vendors.push(u.manufacturer)
    if (u.modelName) models.push(u.modelName)
    if (u.firmware) firmware.push(u.firmware)
  }
  for (const p of products) {
    const maker = deviceVendorOf(p.pattern)
    if (maker) {
      vendors.push(maker)
      if (p.version) firmware.push(p.version)
    }
  }
  for (const s of snmp) {
    const maker = s.enterprise !== null ? vendorForEnterprise(s.enterprise) : undefined
    if (maker) vendors.push(maker)
  }
  const byKey = (items: string[]) => [...new Map(items.map((v) => [versionKey(v), v])).values()].sort(cmp)
  return {
    vendors: uniqSorted(vendors),
    models: uniqSorted([...models, ...products.flatMap((p) => (p.model ? [p.model] : []))]),
    firmware: byKey(firmware),
    versions: byKey([...firmware, ...products.flatMap((p) => (p.version ? [p.version] : []))]),
  }
}

/** The identity record of a device from its service observations (failed observations are ignored). */
export function deriveIdentity(observations: readonly Observation[]): IdentityRecord {
  const usable = observations
    .filter((o) => !o.error && ([...IDENTITY_SOURCES, ...IDENTITY_EXTRA_READS] as readonly string[]).includes(o.probe))
    .sort((a, b) => cmp(a.service, b.service) || cmp(a.probe, b.probe))
  const byService = new Map<string, Map<string, Observation>>()
  for (const o of usable) {
    let m = byService.get(o.service)
    if (!m) byService.set(o.service, (m = new Map()))
    m.set(o.probe, o)
  }
  const record: IdentityRecord = {tls: [], ssh: [], snmp: [], http: [], banners: [], upnp: [], servers: [], products: [], cpe: [], observed: {vendors: [], models: [], firmware: [], versions: []}, sources: []}
  for (const [service, m] of byService) {
    const get = (p: string) => m.get(p)
    if (get('tls.certificates')) record.tls.push(...tlsOf(get('tls.certificates')!))
    record.ssh.push(...sshOf(get('ssh.kexinit'), get('ssh.hostkeys'), service))
    record.snmp.push(...snmpOf(get('snmp.system'), get('snmp.v3'), service))
    if (get('http.exchanges')) record.http.push(...httpOf(get('http.exchanges')!))
    if (get('telnet.banner')) record.banners.push(...bannerOf(get('telnet.banner')!, 'telnet'))
    if (get('ftp.session')) record.banners.push(...bannerOf(get('ftp.session')!, 'ftp'))
    if (get('ssdp.discovery')) record.upnp!.push(...upnpOf(get('ssdp.discovery')!))
    for (const p of ['ssdp.discovery', 'rtsp.session', 'mqtt.session', 'mqtt.subscription']) if (get(p)) record.servers!.push(...serversOf(get(p)!))
  }
  const texts = identityTexts(record)
  const phrases: string[] = []
  for (const t of texts) {
    record.products.push(...matchProducts(t.text, t.source, t.service))
    phrases.push(...firmwarePhrases(t.text, t.source))
  }
  record.cpe = uniqSorted(record.products.flatMap((p) => (p.cpe ? [p.cpe] : [])))
  record.observed = observedFrom(record.products, record.snmp, phrases, record.upnp!)
  record.sources = uniqSorted(usable.map((o) => o.id))
  return record
}

/**
 * The `device.identity` emission; the engine turns it into an observation of service `device:<id>`.
 * - Some identity source was read → the record.
 * - Sources were attempted but every one failed (service unreachable …) → an error naming their reasons, so the
 *   identity check reports `error` like the service checks, not a misleading "nothing identifies it".
 * - No source was attempted (e.g. only a service type this version does not probe): undefined unless something
 *   was declared (then the record is empty and the check says nothing identifies the device).
 */
export function identityEmission(observations: readonly Observation[], options: {declared?: boolean} = {}): ProbeEmission | undefined {
  const attempted = observations.filter((o) => (IDENTITY_SOURCES as readonly string[]).includes(o.probe))
  if (attempted.length > 0 && attempted.every((o) => o.error)) {
    const reasons = [...new Set(attempted.map((o) => `${o.error!.code}: ${o.error!.message}`))]
    return {probe: P_DEVICE_IDENTITY, data: {}, error: {code: 'no-identity-source', message: `no identity source could be read (${reasons.join('; ')})`}}
  }
  if (attempted.length === 0 && !options.declared) return undefined
  return {probe: P_DEVICE_IDENTITY, data: deriveIdentity(observations) as unknown as Record<string, unknown>}
}
