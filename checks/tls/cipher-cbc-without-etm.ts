import type {Check} from '../../src/checks/types.js'
import {
  P_KEX,
  P_SUITES,
  PRE_TLS13,
  REF,
  TLS_SERVICE_PROTOCOLS,
  acceptedSuites,
  describeSuites,
  formatList,
  plural,
  readCipherSuites,
  readKeyExchange,
  unknownNote,
} from './shared.js'

export const check: Check = {
  id: 'tls.cipher.cbc-without-etm',
  title: 'CBC suites without encrypt_then_mac',
  family: 'tls',
  description:
    'Fails when CBC-mode suites are accepted on TLS 1.2 or older and the server does not negotiate the ' +
    'encrypt_then_mac extension (RFC 7366): MAC-then-encrypt CBC records are exposed to padding-oracle ' +
    'attacks such as Lucky Thirteen.',
  remediation: 'Prefer AEAD suites (AES-GCM, ChaCha20-Poly1305) and remove CBC suites, or enable encrypt_then_mac.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_SUITES, P_KEX],
  references: [
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_4_3,
    REF.cwe(327),
    REF.RFC9325_RECOMMENDED,
    REF.RFC7366,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    const suites = acceptedSuites(readCipherSuites(input)).filter((s) => PRE_TLS13.includes(s.protocol))
    if (suites.length === 0) {
      return {outcome: 'not_applicable', message: 'No cipher suite was accepted on TLS 1.2 or older.'}
    }
    const note = unknownNote(suites)
    const cbc = suites.filter((s) => s.info?.mode === 'CBC')
    if (cbc.length === 0) {
      return {outcome: 'pass', message: `No CBC suite is accepted on TLS 1.2 or older.${note}`}
    }
    const etm = readKeyExchange(input).encryptThenMac
    const names = describeSuites(cbc)
    if (etm === true) {
      return {
        outcome: 'pass',
        message: `${plural(names.length, 'CBC suite')} accepted, protected by encrypt_then_mac: ${formatList(names)}.${note}`,
      }
    }
    const why = etm === false ? 'the server does not negotiate encrypt_then_mac' : 'encrypt_then_mac support was not observed (untested)'
    return {
      outcome: 'fail',
      message: `${plural(names.length, 'CBC suite')} accepted and ${why}: ${formatList(names)}.${note}`,
    }
  },
}
