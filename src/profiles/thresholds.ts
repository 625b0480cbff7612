import type {CredentialList} from '../probes/cred/types.js'
import type {TlsProtocol} from '../probes/tls/types.js'

/** Login testing (cred.* checks): which lists, how many guesses, how fast. */
export interface CredentialThresholds {
  /** Lists tried in this order; `lab` is the --credentials file. */
  lists: CredentialList[]
  /** Candidates taken from each list at most. */
  maxPerList: number
  /** Candidate attempts per device, shared across its services. */
  attemptBudget: number
  /** Pause between attempts (ms); --login-delay overrides it. */
  loginDelayMs: number
  /** Wrong attempts made by cred.bruteforce.unthrottled. */
  bruteforceAttempts: number
  /** cred.bruteforce.unthrottled fails when the slowest of those attempts is below this factor × the first. */
  bruteforceMinSlowdown: number
}

export const DEFAULT_CREDENTIAL_THRESHOLDS: CredentialThresholds = {
  lists: ['lab', 'vendor-defaults', 'ssh-better', 'telnet-better', 'mirai', 'generic-top'],
  maxPerList: 20,
  attemptBudget: 20,
  loginDelayMs: 1000,
  bruteforceAttempts: 10,
  bruteforceMinSlowdown: 3,
}

/** Policy values a profile sets (profile YAML `thresholds:`); checks read them, never hard-code them. */
export interface Thresholds {
  /** Minimum RSA modulus (certificate keys, static RSA). */
  minRsaBits: number
  /** Minimum EC key / ECDHE group size in bits. */
  minEcBits: number
  /** Minimum finite-field DHE prime size. */
  minDhBits: number
  /** Below this DH size the finding is high instead of the check's severity. */
  criticalDhBits: number
  /** Protocols a profile allows; any other accepted protocol fails tls.protocol.policy. */
  allowedProtocols: TlsProtocol[]
  /** Cipher-suite policy: IANA names, `*` wildcards allowed (e.g. "TLS_*_CBC_*"). */
  cipherSuites: {
    /** Each must be accepted on some protocol. */
    required: string[]
    /** When non-empty, every accepted suite must match one entry. */
    allowed: string[]
    /** None may be accepted. */
    forbidden: string[]
  }
  /** Named groups allowed for (EC)DHE; empty = any group of at least minEcBits. */
  allowedGroups: string[]
  /** Longest acceptable certificate validity period, in days. */
  maxCertLifetimeDays: number
  /** Signature hash algorithms considered weak on leaf and intermediates. */
  weakSignatureHashes: string[]
  /** Treat a self-signed leaf as acceptable (device-local trust declared by the lab). */
  allowSelfSigned: boolean
  credentials: CredentialThresholds
  /** Shortest acceptable HSTS max-age in seconds (http.hsts.missing). */
  minHstsMaxAge: number
  /** Let ssh.hostkey.weak accept SHA-1 RSA host-key signatures (ssh-rsa) offered beside rsa-sha2-256/512. */
  allowSshRsaSha1: boolean
  /** TCP ports scanned on a bare host (`1-65535`, `22,80,443`, `1-1024,8080`); --ports overrides it. */
  tcpPorts: string
  /** UDP ports probed on a bare host, each with its protocol's request (SNMP 161, SSDP 1900, CoAP 5683, mDNS 5353,
   *  NTP 123; any other port gets every one of them); --udp-ports overrides it. */
  udpPorts: string
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  minRsaBits: 2048,
  minEcBits: 224,
  minDhBits: 2048,
  criticalDhBits: 1024,
  allowedProtocols: ['TLSv1.2', 'TLSv1.3'],
  cipherSuites: {required: [], allowed: [], forbidden: []},
  allowedGroups: [],
  maxCertLifetimeDays: 825,
  weakSignatureHashes: ['md2', 'md4', 'md5', 'sha1'],
  allowSelfSigned: false,
  credentials: DEFAULT_CREDENTIAL_THRESHOLDS,
  minHstsMaxAge: 15552000,
  allowSshRsaSha1: false,
  tcpPorts: '1-65535',
  udpPorts: '123,161,1900,5353,5683',
}
