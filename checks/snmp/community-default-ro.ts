import type {Check} from '../../src/checks/types.js'
import {P_SNMP_COMMUNITIES, REF, SNMP_SERVICE_PROTOCOLS, describeAccepted, formatList, plural, readCommunities} from './shared.js'

export const check: Check = {
  id: 'snmp.community.default-ro',
  title: 'Default or common SNMP community accepted',
  family: 'snmp',
  description:
    'Fails when a community string from the default/common community list (SecLists, e.g. "public") is accepted ' +
    'for SNMPv1/v2c reads. Anyone on the network can then read the MIB: configuration, interfaces, routes, ' +
    'sometimes credentials. Findings name the dataset id of the community, never the string.',
  remediation: 'Remove default and guessable communities; prefer SNMPv3 users, or at least a unique, random community restricted by source address.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: SNMP_SERVICE_PROTOCOLS,
  reads: [P_SNMP_COMMUNITIES],
  references: [REF.X805_AUTH, REF.X1352_AUTH, REF.EN_5_1_1, REF.EN_5_6_2, REF.CR_1_5, REF.cwe(1392), REF.RFC3584],
  evaluate(input) {
    const d = readCommunities(input)
    if (d.accepted.length > 0) {
      const ids = describeAccepted(d.accepted)
      return {
        outcome: 'fail',
        message: `${plural(ids.length, 'community', 'communities')} from dataset ${d.dataset || '(unknown)'} accepted: ${formatList(ids)}.`,
      }
    }
    if (d.tried === 0) return {outcome: 'inconclusive', message: 'No community was tried.'}
    if (d.untried > 0) return {outcome: 'inconclusive', message: `None of the ${d.tried} communities tried was accepted, but ${d.untried} were left untried.`}
    return {
      outcome: 'pass',
      message: `None of ${plural(d.tried, 'community', 'communities')} from dataset ${d.dataset || '(unknown)'} was accepted.`,
    }
  },
}
