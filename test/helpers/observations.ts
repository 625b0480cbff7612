/**
 * Hand-made TLS observations for check unit tests. `goodTls()` describes a well-configured TLS 1.2/1.3
 * server; tests override the part they exercise. `runCheck` builds the CheckInput the engine would pass.
 */
import type {Check, CheckInput, CheckResult} from '../../src/checks/types.js'
import type {Observation, Service, Severity} from '../../src/evidence/types.js'
import {DEFAULT_THRESHOLDS, type Thresholds} from '../../src/profiles/thresholds.js'
import {
  TLS_PROTOCOLS,
  type CertificateInfo,
  type TlsCertificatesData,
  type TlsCipherPreferenceData,
  type TlsCipherSuitesData,
  type TlsKeyExchangeData,
  type TlsProtocol,
  type TlsProtocolsData,
} from '../../src/probes/tls/types.js'

export const NOW = new Date('2026-06-01T12:00:00Z')

export const SERVICE: Service = {
  id: 'tls://192.0.2.10:443',
  protocol: 'tls',
  host: '192.0.2.10',
  port: 443,
  transport: 'tcp',
}

export interface TlsSpec {
  /** Accepted protocols (all others false). */
  protocols: TlsProtocol[]
  suites: TlsCipherSuitesData
  preference: TlsCipherPreferenceData
  certificates: TlsCertificatesData
  keyExchange: TlsKeyExchangeData
}

export type TlsOverrides = Partial<Omit<TlsSpec, 'certificates' | 'keyExchange'>> & {
  certificates?: Partial<TlsCertificatesData>
  keyExchange?: Partial<TlsKeyExchangeData>
}

let serial = 0

/** A certificate; defaults to a valid RSA-2048/SHA-256 leaf for gw.lab / 192.0.2.10. */
export function cert(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  serial++
  return {
    subject: 'CN=gw.lab,O=sg17scan lab',
    issuer: 'CN=Lab Issuing CA,O=sg17scan lab',
    serialNumber: serial.toString(16).padStart(4, '0'),
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: '2026-12-31T00:00:00Z',
    san: ['DNS:gw.lab', 'IP:192.0.2.10'],
    keyType: 'RSA',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    sha256: serial.toString(16).padStart(64, 'a'),
    spkiSha256: serial.toString(16).padStart(64, 'b'),
    selfSigned: false,
    isCA: false,
    ...overrides,
  }
}

export function intermediate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return cert({
    subject: 'CN=Lab Issuing CA,O=sg17scan lab',
    issuer: 'CN=Lab Root CA,O=sg17scan lab',
    san: [],
    isCA: true,
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: '2030-01-01T00:00:00Z',
    ...overrides,
  })
}

export function root(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return cert({
    subject: 'CN=Lab Root CA,O=sg17scan lab',
    issuer: 'CN=Lab Root CA,O=sg17scan lab',
    san: [],
    isCA: true,
    selfSigned: true,
    notBefore: '2020-01-01T00:00:00Z',
    notAfter: '2040-01-01T00:00:00Z',
    ...overrides,
  })
}

/** A well-configured server: TLS 1.2 + 1.3, ECDHE-AEAD only, server order, valid trusted chain. */
export function goodTls(): TlsSpec {
  return {
    protocols: ['TLSv1.2', 'TLSv1.3'],
    suites: {
      'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
      'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
    },
    preference: {'TLSv1.2': {serverOrder: true}, 'TLSv1.3': {serverOrder: true}},
    certificates: {
      chain: [cert(), intermediate()],
      hostnameMatch: true,
      matchedName: '192.0.2.10',
      trusted: true,
      source: 'TLSv1.3',
    },
    keyExchange: {
      groups: ['X25519MLKEM768', 'x25519', 'secp256r1'],
      preferredGroup: 'X25519MLKEM768',
      dheBits: null,
      compression: [],
      secureRenegotiation: true,
      extendedMasterSecret: true,
      encryptThenMac: null,
    },
  }
}

/** Empty-but-valid payloads: what a service with nothing to report would yield. */
export function emptyTls(): TlsSpec {
  return {
    protocols: [],
    suites: {},
    preference: {},
    certificates: {chain: [], hostnameMatch: false, matchedName: '', trusted: false, source: 'TLSv1.2'},
    keyExchange: {
      groups: [],
      preferredGroup: null,
      dheBits: null,
      compression: [],
      secureRenegotiation: null,
      extendedMasterSecret: null,
      encryptThenMac: null,
    },
  }
}

export function tls(overrides: TlsOverrides = {}, base: TlsSpec = goodTls()): TlsSpec {
  return {
    protocols: overrides.protocols ?? base.protocols,
    suites: overrides.suites ?? base.suites,
    preference: overrides.preference ?? base.preference,
    certificates: {...base.certificates, ...overrides.certificates},
    keyExchange: {...base.keyExchange, ...overrides.keyExchange},
  }
}

export function observation(probe: string, data: object): Observation {
  return {
    id: `obs-${probe}`,
    service: SERVICE.id,
    probe,
    collectedAt: NOW.toISOString(),
    data: data as Record<string, unknown>,
    artifacts: [],
  }
}

export function observations(spec: TlsSpec): Record<string, Observation> {
  const protocols = Object.fromEntries(TLS_PROTOCOLS.map((p) => [p, spec.protocols.includes(p)])) as TlsProtocolsData
  return {
    'tls.protocols': observation('tls.protocols', protocols),
    'tls.cipher-suites': observation('tls.cipher-suites', spec.suites),
    'tls.cipher-preference': observation('tls.cipher-preference', spec.preference),
    'tls.certificates': observation('tls.certificates', spec.certificates),
    'tls.key-exchange': observation('tls.key-exchange', spec.keyExchange),
  }
}

export interface RunOptions {
  thresholds?: Partial<Thresholds>
  now?: Date
  severity?: Severity
}

export function makeInput(check: Check, spec: TlsSpec, options: RunOptions = {}): CheckInput {
  return {
    service: SERVICE,
    observations: observations(spec),
    thresholds: {...DEFAULT_THRESHOLDS, ...options.thresholds},
    now: options.now ?? NOW,
    severity: options.severity ?? check.defaultSeverity,
  }
}

/** Evaluates a check against a spec built from goodTls() plus overrides. */
export function runCheck(check: Check, overrides: TlsOverrides = {}, options: RunOptions = {}): CheckResult {
  return check.evaluate(makeInput(check, tls(overrides), options))
}

/** Evaluates a check against the given full spec. */
export function runSpec(check: Check, spec: TlsSpec, options: RunOptions = {}): CheckResult {
  return check.evaluate(makeInput(check, spec, options))
}
