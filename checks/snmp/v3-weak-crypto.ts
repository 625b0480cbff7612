import type {Check} from '../../src/checks/types.js'
import {P_SNMP_V3, REF, SNMP_SERVICE_PROTOCOLS, formatList, readV3} from './shared.js'

export const check: Check = {
  id: 'snmp.v3.weak-crypto',
  title: 'SNMPv3 without privacy or with MD5/DES only',
  family: 'snmp',
  description:
    'With user-supplied SNMPv3 credentials, each is tried at authPriv (when a privacy protocol is given) and at ' +
    'authNoPriv with a GET of sysDescr.0. Fails when an accepted attempt uses HMAC-MD5-96 authentication or ' +
    'CBC-DES privacy, or when the agent grants access at authNoPriv (MIB data then travels unencrypted); passes ' +
    'when only authPriv with SHA/SHA-2 and AES is accepted. DES attempts Node cannot make (OpenSSL 3 without ' +
    'the legacy provider) are reported as untestable. The USM security parameters cannot be observed without a ' +
    'valid user, so without credentials the check is not applicable.',
  remediation: 'Configure SNMPv3 users with authPriv, HMAC-SHA-2 authentication (RFC 7860) and AES privacy (RFC 3826).',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: SNMP_SERVICE_PROTOCOLS,
  reads: [P_SNMP_V3],
  references: [REF.X1352_CRYPTO, REF.X1214_CRYPTO, REF.EN_5_5_1, REF.CR_4_3, REF.cwe(327), REF.RFC3414, REF.RFC3826, REF.RFC7860],
  evaluate(input) {
    const d = readV3(input)
    if (!d.credentialsSupplied) {
      return {
        outcome: 'not_applicable',
        message: 'No SNMPv3 credentials were supplied: the authentication and privacy protocols of SNMPv3 users cannot be tested without them.',
      }
    }
    if (!d.discovered) return {outcome: 'not_applicable', message: 'The agent did not answer SNMPv3 engine discovery.'}
    const label = (c: (typeof d.credentials)[number]) =>
      `${c.credentialId} (${c.level}, ${c.authProtocol.toUpperCase()}${c.privProtocol ? `/${c.privProtocol.toUpperCase()}` : ''})`
    const accepted = d.credentials.filter((c) => c.result === 'accepted')
    const untestable = d.credentials.filter((c) => c.result === 'untestable')
    const untestableNote = untestable.length > 0 ? ` Untestable: ${formatList(untestable.map((c) => `${label(c)}: ${c.reason ?? 'unknown reason'}`))}.` : ''
    const weak = accepted.filter((c) => c.authProtocol === 'md5' || (c.level === 'authPriv' && c.privProtocol === 'des'))
    const noPriv = accepted.filter((c) => c.level === 'authNoPriv')
    if (weak.length > 0 || noPriv.length > 0) {
      const parts: string[] = []
      if (weak.length > 0) parts.push(`accepted with MD5 authentication or DES privacy: ${formatList(weak.map(label))}`)
      if (noPriv.length > 0) parts.push(`accepted without privacy (authNoPriv): ${formatList(noPriv.map(label))}`)
      return {outcome: 'fail', message: `SNMPv3 ${parts.join('; ')}.${untestableNote}`}
    }
    if (accepted.length === 0) {
      return {
        outcome: 'inconclusive',
        message: `No supplied SNMPv3 credential was accepted, so the protocols the agent allows cannot be judged.${untestableNote}`,
      }
    }
    return {
      outcome: 'pass',
      message: `SNMPv3 access was granted only at authPriv with SHA and AES: ${formatList(accepted.map(label))}; no authNoPriv access.${untestableNote}`,
    }
  },
}
