import type {Check} from '../../src/checks/types.js'
import {P_SNMP_V3, REF, SNMP_SERVICE_PROTOCOLS, formatList, plural, readV3} from './shared.js'

const REFUSAL = /authori[sz]ation|noaccess|report|unknown-user|wrong-level/i
const UNANSWERED = ['timeout', 'untried', '']

export const check: Check = {
  id: 'snmp.v3.noauthnopriv',
  title: 'SNMPv3 noAuthNoPriv user gives MIB access',
  family: 'snmp',
  description:
    'Fails when a GET of sysDescr.0 succeeds at security level noAuthNoPriv (RFC 3414) with one of a few common ' +
    'SNMPv3 user names: the MIB is then readable without any authentication. Findings name the list id of the user.',
  remediation: 'Remove noAuthNoPriv users and require authPriv (SHA-2 authentication and AES privacy) for every SNMPv3 user.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: SNMP_SERVICE_PROTOCOLS,
  reads: [P_SNMP_V3],
  references: [REF.X805_AUTH, REF.X1352_AUTH, REF.EN_5_5_4, REF.EN_5_5_5, REF.CR_1_2, REF.CR_4_1, REF.cwe(306), REF.RFC3414],
  evaluate(input) {
    const d = readV3(input)
    if (!d.discovered) return {outcome: 'not_applicable', message: 'The agent did not answer SNMPv3 engine discovery.'}
    // An answer that refuses (authorizationError / noAccess from access control, a USM report) is no access, even
    // if an older probe marked it accepted.
    const ok = d.noAuthUsers.filter((u) => u.accepted && !REFUSAL.test(u.outcome))
    if (ok.length > 0) {
      return {outcome: 'fail', message: `noAuthNoPriv access granted to ${formatList(ok.map((u) => u.credentialId))}.`}
    }
    if (d.noAuthUsers.length === 0) return {outcome: 'inconclusive', message: 'No SNMPv3 user name was tried.'}
    const outcomes = [...new Set(d.noAuthUsers.map((u) => u.outcome))].join(', ')
    const unanswered = d.noAuthUsers.filter((u) => UNANSWERED.includes(u.outcome))
    if (unanswered.length > 0) {
      return {
        outcome: 'inconclusive',
        message: `No answer for ${plural(unanswered.length, 'user name')} (${formatList(unanswered.map((u) => `${u.credentialId}: ${u.outcome}`))}); none of the others was granted access.`,
      }
    }
    return {outcome: 'pass', message: `None of ${plural(d.noAuthUsers.length, 'common user name')} was granted noAuthNoPriv access (${outcomes}).`}
  },
}
