import type {Check} from '../../src/checks/types.js'
import {P_SNMP_V3, REF, SNMP_SERVICE_PROTOCOLS, readV3} from './shared.js'

export const check: Check = {
  id: 'snmp.v3.weak-crypto',
  title: 'SNMPv3 without privacy or with MD5/DES only',
  family: 'snmp',
  description:
    'Fails when SNMPv3 access works at authNoPriv, or only with HMAC-MD5-96 authentication or CBC-DES privacy. ' +
    'The USM security parameters cannot be observed without a valid user, so the check needs user-supplied ' +
    'SNMPv3 credentials; without them it is not applicable.',
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
    return {outcome: 'inconclusive', message: 'Credentialed SNMPv3 protocol testing is not implemented yet.'}
  },
}
