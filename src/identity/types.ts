/**
 * Device identity: what a device tells about itself over every protocol (probe `device.identity`, derived by the
 * engine from the service observations), and the small digest batch analysis keeps per device.
 * Personal data never enters these records: SNMP sysContact/sysLocation/sysName are not copied.
 */
import type {DeclaredIdentity} from '../evidence/types.js'

export const P_DEVICE_IDENTITY = 'device.identity'

/** Observation probes an identity record is derived from (any subset may be present). */
export const IDENTITY_SOURCES = [
  'tls.certificates',
  'ssh.kexinit',
  'ssh.hostkeys',
  'snmp.system',
  'snmp.v3',
  'telnet.banner',
  'ftp.session',
  'http.exchanges',
  'ssdp.discovery',
  'rtsp.session',
  'mqtt.session',
] as const

/** Also read when present, never planned for identity: the MQTT subscription is intrusive (it runs only when its
 *  own check is enabled with --intrusive), so listing it as a source would subscribe by default. */
export const IDENTITY_EXTRA_READS = ['mqtt.subscription'] as const

export interface TlsIdentity {
  service: string
  /** Leaf certificate. */
  subject: string
  issuer: string
  serialNumber: string
  /** SHA-256 of the leaf's DER SubjectPublicKeyInfo: the key, whatever certificate carries it. */
  spkiSha256: string
  /** SHA-256 of the leaf certificate. */
  certSha256: string
  keyType: string
  keyBits: number
  selfSigned: boolean
}

export interface SshIdentity {
  service: string
  banner: string
  software: string
  comments: string
  hostKeys: Array<{type: string; bits?: number; fingerprint: string}>
}

export interface SnmpIdentity {
  service: string
  sysDescr: string | null
  sysObjectID: string | null
  engineId: string | null
  /** IANA Private Enterprise Number from sysObjectID (1.3.6.1.4.1.N…) or the RFC 3411 engine id. */
  enterprise: number | null
}

export interface HttpIdentity {
  service: string
  url: string
  server: string | null
  title: string | null
}

/** A cleartext greeting (Telnet banner, FTP 220 line). */
export interface BannerIdentity {
  service: string
  protocol: 'telnet' | 'ftp'
  text: string
}

/** The identity fields of a UPnP device description (SSDP LOCATION), each from source `upnp.<field>`. The
 *  serial number is kept only as a SHA-256 digest (serials tie a device to its owner). */
export interface UpnpIdentity {
  service: string
  deviceType?: string
  manufacturer?: string
  modelName?: string
  modelNumber?: string
  firmware?: string
  /** SHA-256 (hex) of the serialNumber as the description gives it. */
  serialSha256?: string
}

/** A server string a protocol announces: SSDP/RTSP `Server:` header, MQTT `$SYS/broker/version` (read only by the
 *  intrusive subscription), MQTT 5 CONNACK server reference. */
export interface ServerIdentity {
  service: string
  source: 'ssdp.server' | 'rtsp.server' | 'mqtt.broker-version' | 'mqtt.server-reference'
  text: string
}

/** A product recognised from a banner, header or sysDescr by a row of data/identity/cpe-patterns.json. */
export interface ProductMatch {
  /** Pattern row id. */
  pattern: string
  /** Where it was seen: "ssh.banner", "snmp.sysDescr", "http.server", "http.title", "telnet.banner", "ftp.banner", "tls.subject". */
  source: string
  service: string
  /** CPE part: a application, o operating system / firmware, h hardware. */
  part: 'a' | 'o' | 'h'
  vendor: string
  product: string
  /** Version as seen (not escaped), when the pattern captures one. */
  version?: string
  /** Hardware model as seen, when the pattern captures one. */
  model?: string
  /** CPE 2.3 formatted string (NISTIR 7695 / ITU-T X.1528.1); present only when a version was seen. */
  cpe?: string
}

/** What was observed about who made the device and what it runs, from the product matches and SNMP enterprise. */
export interface ObservedIdentity {
  /** Device vendors (CPE part o/h matches, SNMP enterprise numbers), normalised display names. */
  vendors: string[]
  /** Hardware models captured by patterns. */
  models: string[]
  /** Firmware / OS versions (part o/h matches, "firmware X" phrases). */
  firmware: string[]
  /** Every version seen anywhere (applications included). */
  versions: string[]
}

/** `device.identity` observation data. */
export interface IdentityRecord {
  tls: TlsIdentity[]
  ssh: SshIdentity[]
  snmp: SnmpIdentity[]
  http: HttpIdentity[]
  banners: BannerIdentity[]
  /** UPnP device descriptions (absent in records written before they were read). */
  upnp?: UpnpIdentity[]
  /** Protocol server strings (SSDP, RTSP, MQTT). */
  servers?: ServerIdentity[]
  products: ProductMatch[]
  /** Distinct CPE 2.3 candidates, sorted. */
  cpe: string[]
  observed: ObservedIdentity
  /** Ids of the service observations this record was derived from, sorted. */
  sources: string[]
}

/** The little batch analysis keeps per device (a few hundred bytes): keys, key types, services, identity. */
export interface IdentityDigest {
  device: string
  declared?: DeclaredIdentity
  /** Id of the device's `device.identity` observation, when it has one (evidence of batch findings). */
  identityObservation?: string
  /** Leaf SPKI SHA-256 per TLS service (deduplicated, sorted). */
  tlsKeys: string[]
  /** SSH host-key fingerprints (SHA256:…, deduplicated, sorted). */
  sshKeys: string[]
  /** Key types seen: "tls:RSA-2048", "ssh:ssh-ed25519" … (sorted). */
  keyTypes: string[]
  /** Service protocols (sorted, deduplicated). */
  services: string[]
  observed: {vendor?: string; model?: string; firmware?: string}
}
