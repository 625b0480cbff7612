/**
 * The manufacturer's declaration (schemas/declaration.schema.json), modelled on the ICS/IXIT idea of ETSI
 * TS 103 701 and the documentation items of EN 18031: who the device is, which requirements the manufacturer
 * claims to support, and the facts the network tests compare against. Secrets are never declared.
 */

export const SUPPORT_CLAIMS = ['supported', 'not_supported', 'not_applicable'] as const
export type SupportClaim = (typeof SUPPORT_CLAIMS)[number]

export const PASSWORD_SCHEMES = ['unique-per-device', 'user-set-at-first-use', 'none'] as const
export type PasswordScheme = (typeof PASSWORD_SCHEMES)[number]

/** ICS row: the manufacturer's statement about one requirement of one standard. */
export interface RequirementClaim {
  /** Standard name as the profiles write it, e.g. "ETSI EN 303 645". */
  standard: string
  /** Requirement id within it, e.g. "5.1-1", "AUM-5-1". */
  requirement: string
  support: SupportClaim
  justification?: string
}

/** A network service the device runs (IXIT 13-SoftServ / 15-Intf; EN 18031 GEC-4). */
export interface DeclaredService {
  port: number
  transport: 'tcp' | 'udp'
  /** Application protocol, e.g. https, ssh, snmp, telnet. */
  protocol: string
  purpose: string
  enabledByDefault: boolean
}

/** How one interface is protected (IXIT 11-ComMech). `encrypted: false` declares a cleartext interface. */
export interface DeclaredCrypto {
  interface: string
  /** Where the interface listens; without a port the entry covers the protocol on every port. */
  port?: number
  transport?: 'tcp' | 'udp'
  protocol: string
  encrypted: boolean
  /** Versions/algorithms the manufacturer declares, e.g. ["TLSv1.2", "TLSv1.3"]. */
  mechanisms?: string[]
}

export interface Declaration {
  identity: {vendor?: string; model?: string; firmware?: string; serial?: string}
  claims?: RequirementClaim[]
  services?: DeclaredService[]
  accounts?: {
    passwordScheme: PasswordScheme
    /** Account names and roles only: never a password. */
    users?: Array<{name: string; role?: string}>
  }
  crypto?: DeclaredCrypto[]
  /** Declared management access: true = every management interface is encrypted (no cleartext login). */
  encryptedManagementOnly?: boolean
  update?: {mechanism: string; automatic?: boolean; authenticity?: string}
  /** ISO date (YYYY-MM-DD) until which security updates are provided. */
  supportPeriodEnd?: string
  vulnerabilityDisclosure?: {contact: string; url?: string}
}

/** A declaration as recorded on a device in the report: its content plus where it came from. */
export interface RecordedDeclaration extends Declaration {
  /** The file it was read from (as given), or "lab:<device>" for the virtual lab's built-in declarations. */
  source: string
  /** SHA-256 of the file's bytes (or of the canonical JSON of a built-in one). */
  sha256: string
}
