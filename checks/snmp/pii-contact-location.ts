import type {Check} from '../../src/checks/types.js'
import {P_SNMP_COMMUNITIES, P_SNMP_SYSTEM, REF, SNMP_SERVICE_PROTOCOLS, formatList, readSystem, unreadableSystemDoubt} from './shared.js'

export const check: Check = {
  id: 'pii.snmp.contact-location',
  title: 'Personal data in SNMP sysContact / sysLocation',
  family: 'pii',
  description:
    'Fails when sysContact or sysLocation, readable without authentication, holds a personal name, e-mail address ' +
    'or phone number (conservative detector: role mailboxes such as noc@ are not personal). The values are never ' +
    'stored: the finding gives types, counts and masked forms.',
  remediation: 'Use a role contact (team mailbox or service desk number) in sysContact and a non-personal location; restrict SNMP reads.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: SNMP_SERVICE_PROTOCOLS,
  reads: [P_SNMP_SYSTEM, P_SNMP_COMMUNITIES],
  references: [REF.X805_PRIVACY, REF.X1352_DATA, REF.X1058, REF.EN_5_6_2, REF.EN_5_8_1, REF.CR_4_1, REF.cwe(359)],
  evaluate(input) {
    const d = readSystem(input)
    if (!d.readable) {
      const doubt = unreadableSystemDoubt(input)
      if (doubt) return {outcome: 'inconclusive', message: doubt}
      return {outcome: 'pass', message: 'The system group could not be read without authentication: no community tried was accepted.'}
    }
    const found = d.pii.fields.filter((f) => f.matches.length > 0)
    if (found.length === 0 && d.sysContact === null && d.sysLocation === null) {
      return {outcome: 'inconclusive', message: 'The system group answered, but neither sysContact nor sysLocation came back.'}
    }
    if (found.length === 0) return {outcome: 'pass', message: 'No personal name, e-mail address or phone number found in sysContact or sysLocation.'}
    const parts = found.map((f) => {
      const counts = Object.entries(f.counts)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ')
      return `${f.field}: ${counts} (${formatList(f.matches.map((m) => m.redacted), 4)})`
    })
    return {outcome: 'fail', message: `Personal data readable without authentication: ${parts.join('; ')}.`}
  },
}
