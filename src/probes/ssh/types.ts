/**
 * Observation payloads of the SSH probe unit (probe names `ssh.kexinit`, `ssh.hostkeys`, `ssh.auth-methods`).
 * The `ssh.kexinit` shape is read by an external acceptance suite: change it only additively.
 */

export const P_SSH_KEXINIT = 'ssh.kexinit'
export const P_SSH_HOSTKEYS = 'ssh.hostkeys'
export const P_SSH_AUTH_METHODS = 'ssh.auth-methods'

/** Parsed identification string (RFC 4253 §4.2): `SSH-protoversion-softwareversion SP comments`. */
export interface SshIdentification {
  /** The identification line without CR LF. */
  banner: string
  /** "2.0", "1.99", "1.5", … as sent. */
  protocolVersion: string
  /** softwareversion, e.g. "OpenSSH_9.2p1". */
  software: string
  /** Text after the first space, or "" when absent. */
  comments: string
  /** Lines the server sent before the identification line (RFC 4253 §4.2 allows them), without CR LF: the first
   *  KEPT_PRE_BANNER_LINES, each cut to 255 characters. */
  preBannerLines: string[]
  /** How many lines came before the identification line (all of them, kept or not). */
  preBannerLineCount: number
  /** Departures from RFC 4253 §4.2 read liberally (e.g. an identification line over 255 bytes). */
  anomalies: string[]
}

/** The ten name-lists of SSH_MSG_KEXINIT (RFC 4253 §7.1), in the server's offer order. */
export interface KexinitLists {
  kex: string[]
  hostKey: string[]
  ciphersClientToServer: string[]
  ciphersServerToClient: string[]
  macsClientToServer: string[]
  macsServerToClient: string[]
  compressionClientToServer: string[]
  compressionServerToClient: string[]
  languagesClientToServer: string[]
  languagesServerToClient: string[]
  firstKexPacketFollows: boolean
  /** Departures from RFC 4251/4253 read liberally (e.g. an empty name in a name-list). */
  anomalies: string[]
}

/**
 * `ssh.kexinit` data. `ciphers`, `macs`, `compression` are the server-to-client lists; the client-to-server
 * lists are ALWAYS present too (`*ClientToServer`), equal or not, so consumers never have to guess.
 * For an SSH-1-only server (protocolVersion 1.x other than 1.99) no KEXINIT exists: the lists are empty and
 * `sshV1Only` is true.
 */
export interface SshKexinitData {
  banner: string
  protocolVersion: string
  software: string
  comments: string
  preBannerLines: string[]
  kex: string[]
  hostKey: string[]
  ciphers: string[]
  macs: string[]
  compression: string[]
  ciphersClientToServer: string[]
  macsClientToServer: string[]
  compressionClientToServer: string[]
  languages: string[]
  languagesClientToServer: string[]
  firstKexPacketFollows: boolean
  sshV1Only: boolean
  /** Lines before the identification line, all of them (preBannerLines keeps the first 32). */
  preBannerLineCount: number
  /** Departures from the RFCs that the probe read liberally (identification and KEXINIT), for the evidence. */
  anomalies: string[]
}

/** One entry of `ssh.hostkeys`: a key obtained for an offered host-key algorithm, or why not. */
export interface SshHostKeyInfo {
  /** The host-key algorithm as offered in KEXINIT (e.g. "rsa-sha2-512"). */
  algorithm: string
  /** Key type from the public key blob (e.g. "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"). */
  type?: string
  /** RSA/DSA modulus or prime size; EC field size; 256 for Ed25519, 456 for Ed448. */
  bits?: number
  /** EC curve identifier from the blob, e.g. "nistp256". */
  curve?: string
  /** OpenSSH style: "SHA256:" + unpadded base64 of sha256(public key blob). */
  fingerprint?: string
  /** The server's signature over the exchange hash with this key (RFC 4253 §8), checked: `valid` proves the server
   *  holds the private key. The RSA algorithms share one fetch: the check is of the `signedWith` algorithm's signature. */
  signature?: 'valid' | 'invalid' | 'unchecked'
  /** The host-key algorithm whose signature was checked. */
  signedWith?: string
  /** Why the signature is invalid or was not checked. */
  signatureProblem?: string
  /** Present when the key could not be obtained (e.g. "not supported by the client"). */
  error?: string
}

export interface SshHostKeysData {
  keys: SshHostKeyInfo[]
}

export interface SshAuthMethodsData {
  /** Methods the server lists in SSH_MSG_USERAUTH_FAILURE after a `none` request (RFC 4252 §5.2). */
  methods: string[]
  /** True when the server accepted `none`: no authentication at all. */
  noneAccepted: boolean
  /** User name used for the `none` request (never a real account guess: a fixed probe name). */
  username: string
}
