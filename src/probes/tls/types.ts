/**
 * Observation payloads of the TLS probe unit. Field names in tls.protocols, tls.cipher-suites and
 * tls.certificates are an external contract (an acceptance suite reads them): do not rename.
 */

export const TLS_PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const
export type TlsProtocol = (typeof TLS_PROTOCOLS)[number]

/** probe "tls.protocols": which protocol versions the server accepted. */
export type TlsProtocolsData = Record<TlsProtocol, boolean>

/** probe "tls.cipher-suites": every accepted suite per accepted protocol, IANA names, in server preference
 *  order when the server enforces one (else in the order they were found). Only protocol keys appear. */
export type TlsCipherSuitesData = Partial<Record<TlsProtocol, string[]>>

/** probe "tls.cipher-preference": whether the server picks by its own order, per protocol. */
export type TlsCipherPreferenceData = Partial<Record<TlsProtocol, {serverOrder: boolean | null}>>

export interface CertificateInfo {
  /** RFC 4514-style distinguished names, e.g. "CN=gw.lab,O=sg17scan lab". */
  subject: string
  issuer: string
  /** Hex, lower case, no separators. */
  serialNumber: string
  /** ISO 8601. */
  notBefore: string
  notAfter: string
  /** Subject alternative names as "DNS:name" / "IP:address" / "email:…" / "URI:…". */
  san: string[]
  keyType: 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown'
  keyBits: number
  /** Named curve for EC keys, e.g. "P-256". */
  curve?: string
  /** Signature algorithm name, e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "md5WithRSAEncryption". */
  signatureAlgorithm: string
  /** SHA-256 of the DER certificate, hex lower case. */
  sha256: string
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex: identifies a key shared by several certificates/devices. */
  spkiSha256: string
  selfSigned: boolean
  isCA: boolean
}

/** probe "tls.certificates". */
export interface TlsCertificatesData {
  /** Leaf first, as sent by the server. */
  chain: CertificateInfo[]
  /** Whether the leaf covers the name/IP used to reach the device (RFC 9525; IP SANs for IP targets). */
  hostnameMatch: boolean
  /** The name or IP that was matched. */
  matchedName: string
  /** Whether the chain validates to the system store or a --ca anchor at collection time (validity dates aside). */
  trusted: boolean
  /** Why it is not trusted, e.g. "self-signed", "unknown issuer", "bad signature". */
  trustError?: string
  /** Which protocol's handshake delivered the chain. */
  source: TlsProtocol
  /** Every chain the server serves (one per key type: RSA, ECDSA …), each judged by the tls.cert.* checks.
   *  The top-level fields above describe the first of them. Absent in observations of older versions. */
  chains?: TlsServedChainData[]
}

/** One served certificate chain, judged on its own. */
export interface TlsServedChainData extends Omit<TlsCertificatesData, 'chains'> {
  /** Key type of the leaf: names the chain in findings ("RSA chain", "EC chain"). */
  keyType: string
  /** Certificates that could not be parsed (index in the chain as sent, reason): left out of `chain`. */
  unparsable?: Array<{index: number; reason: string}>
}

/** probe "tls.key-exchange". */
export interface TlsKeyExchangeData {
  /** Named groups accepted for ECDHE (TLS ≤1.2) or key_share (TLS 1.3), IANA names (x25519, secp256r1,
   *  X25519MLKEM768, ffdhe2048, …). */
  groups: string[]
  /** Group the server chose when the client offered its full list in client preference order (null if none). */
  preferredGroup: string | null
  /** Bits of the finite-field DHE prime the server uses for DHE suites (null when no DHE suite is accepted). */
  dheBits: number | null
  /** TLS compression methods the server accepted besides null (e.g. ["DEFLATE"]). */
  compression: string[]
  /** renegotiation_info (RFC 5746) echoed by the server (null if no TLS ≤1.2 protocol to test on). */
  secureRenegotiation: boolean | null
  /** extended_master_secret (RFC 7627) echoed by the server (null if no TLS ≤1.2 protocol). */
  extendedMasterSecret: boolean | null
  /** encrypt_then_mac (RFC 7366) echoed for a CBC suite (null if untested). */
  encryptThenMac: boolean | null
}

/** One row of the cipher-suite registry (src/probes/tls/registry.ts, built from the IANA registry). */
export interface CipherSuiteInfo {
  /** Two-byte code, e.g. 0xc02f. SSLv2 kinds use their three-byte code. */
  code: number
  /** IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (SSL_CK_* names for SSLv2 kinds). */
  name: string
  /** OpenSSL name when one exists, e.g. ECDHE-RSA-AES128-GCM-SHA256. */
  openssl?: string
  /** Key exchange: RSA, DH, DHE, ECDH, ECDHE, PSK, DHE_PSK, ECDHE_PSK, RSA_PSK, SRP, KRB5, NULL, TLS13 (negotiated via key_share), … */
  kex: string
  /** Authentication: RSA, DSS, ECDSA, anon, PSK, KRB5, NULL, TLS13 (by certificate). */
  auth: string
  /** Bulk cipher as in the name, e.g. AES_128_GCM, 3DES_EDE_CBC, RC4_128, NULL, DES40_CBC, CHACHA20_POLY1305. */
  cipher: string
  /** Effective symmetric key strength in bits (NULL = 0, export = 40/56, 3DES = 112). */
  cipherBits: number
  mode: 'AEAD' | 'CBC' | 'stream' | 'none'
  /** MAC / PRF hash from the name: MD5, SHA, SHA256, SHA384, NULL (AEAD in TLS 1.3 names: the HKDF hash). */
  mac: string
  export: boolean
  anonymous: boolean
  forwardSecrecy: boolean
  /** A TLS 1.3 suite (TLS_AES_128_GCM_SHA256 …). */
  tls13: boolean
}
