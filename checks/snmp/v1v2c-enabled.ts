import type {Check} from '../../src/checks/types.js'
import {P_SNMP_COMMUNITIES, REF, SNMP_SERVICE_PROTOCOLS, describeAccepted, formatList, plural, readCommunities} from './shared.js'

export const check: Check = {
  id: 'snmp.v1v2c.enabled',
  title: 'SNMPv1/v2c enabled',
  family: 'snmp',
  description:
    'Fails when the agent answers an SNMPv1 or SNMPv2c request. Both versions authenticate with a community ' +
    'string sent in clear text and offer no confidentiality; deploying SNMP versions prior to SNMPv3 is NOT ' +
    'RECOMMENDED (RFC 3871, MIB security boilerplate). Only communities from the tested list can be observed: ' +
    'a pass means no tested community was accepted, not that v1/v2c is off.',
  remediation: 'Disable SNMPv1 and SNMPv2c and use SNMPv3 with authPriv (SHA-2 authentication, AES privacy).',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: SNMP_SERVICE_PROTOCOLS,
  reads: [P_SNMP_COMMUNITIES],
  references: [
    REF.X805_AUTH,
    REF.X805_CONF,
    REF.X805_MGMT,
    REF.X1352_AUTH,
    REF.X1352_DATA,
    REF.EN_5_5_1,
    REF.EN_5_6_1,
    REF.CR_1_2,
    REF.CR_4_1,
    REF.cwe(319),
    REF.RFC3584,
    REF.RFC3871,
  ],
  evaluate(input) {
    const d = readCommunities(input)
    if (d.accepted.length > 0) {
      const versions = [...new Set(d.accepted.map((a) => a.version))].sort()
      return {
        outcome: 'fail',
        message: `The agent answers SNMP ${versions.join(' and ')} (community-based, clear text): accepted ${formatList(describeAccepted(d.accepted))}.`,
      }
    }
    if (d.tried === 0) return {outcome: 'inconclusive', message: 'No community was tried.'}
    if (d.untried > 0) return {outcome: 'inconclusive', message: `None of the ${d.tried} communities tried was accepted, but ${d.untried} were left untried.`}
    return {
      outcome: 'pass',
      message: `No SNMPv1/v2c reply to ${plural(d.tried, 'tested community', 'tested communities')} (${d.versions.join(', ') || 'no version'}).`,
    }
  },
}
