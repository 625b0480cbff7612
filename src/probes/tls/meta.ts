/** The TLS unit's metadata, light enough to load without the enumeration code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'

export const TLS_EMITS = [
  'tls.protocols',
  'tls.cipher-suites',
  'tls.cipher-preference',
  'tls.certificates',
  'tls.key-exchange',
  'tls.handshake-behaviour',
] as const

export const tlsUnitMeta: ProbeUnitMeta = {id: 'tls', protocols: ['tls', 'https', 'mqtts'], emits: TLS_EMITS}
