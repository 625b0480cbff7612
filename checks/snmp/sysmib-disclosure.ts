import type {Check} from '../../src/checks/types.js'
import {P_SNMP_COMMUNITIES, P_SNMP_SYSTEM, REF, SNMP_SERVICE_PROTOCOLS, quote, readSystem, unreadableSystemDoubt} from './shared.js'

export const check: Check = {
  id: 'snmp.sysmib.disclosure',
  title: 'SNMP system group readable without authentication',
  family: 'snmp',
  description:
    'Fails when the RFC 3418 system group (sysDescr, sysObjectID, sysName …) can be read with a default/common ' +
    'community or a noAuthNoPriv SNMPv3 user. sysDescr usually names the product and firmware version, which ' +
    'helps an attacker pick exploits.',
  remediation: 'Restrict SNMP read access to authenticated SNMPv3 users and keep sysDescr free of version details where possible.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: SNMP_SERVICE_PROTOCOLS,
  reads: [P_SNMP_SYSTEM, P_SNMP_COMMUNITIES],
  references: [REF.X1352_PLATFORM, REF.EN_5_6_2, REF.CR_7_6, REF.cwe(200), REF.RFC3418],
  evaluate(input) {
    const d = readSystem(input)
    if (!d.readable) {
      const doubt = unreadableSystemDoubt(input)
      if (doubt) return {outcome: 'inconclusive', message: doubt}
      return {outcome: 'pass', message: 'The system group could not be read without authentication: no community tried was accepted.'}
    }
    const parts: string[] = []
    if (d.sysDescr) parts.push(`sysDescr ${quote(d.sysDescr)}`)
    if (d.sysObjectID) parts.push(`sysObjectID ${d.sysObjectID}`)
    if (d.sysName) parts.push(`sysName ${quote(d.sysName, 40)}`)
    const via = d.via ? ` via ${d.via.credentialId} (${d.via.version})` : ''
    if (parts.length === 0) return {outcome: 'inconclusive', message: `The system group answered${via} but no sysDescr, sysObjectID or sysName value came back.`}
    return {outcome: 'fail', message: `System group readable without authentication${via}: ${parts.join(', ')}.`}
  },
}
