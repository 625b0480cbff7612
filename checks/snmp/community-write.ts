import type {Check} from '../../src/checks/types.js'
import {P_SNMP_COMMUNITIES, REF, SNMP_SERVICE_PROTOCOLS, formatList, readCommunities} from './shared.js'

export const check: Check = {
  id: 'snmp.community.write',
  title: 'SNMP SET accepted with a default or common community',
  family: 'snmp',
  description:
    'Intrusive. For every accepted community the probe SETs sysLocation.0 to the value it already has, reads it ' +
    'back and restores it if it changed. Fails when a SET succeeds: anyone who knows the community can change ' +
    'the device configuration without further authentication.',
  remediation: 'Remove read-write communities (or SNMP write access altogether); use SNMPv3 authPriv users with a restricted write view.',
  defaultSeverity: 'critical',
  intrusive: true,
  protocols: SNMP_SERVICE_PROTOCOLS,
  reads: [P_SNMP_COMMUNITIES],
  references: [REF.X805_ACCESS, REF.X1352_AUTH, REF.EN_5_5_5, REF.EN_5_1_1, REF.CR_2_1, REF.CR_1_5, REF.cwe(1392), REF.cwe(284)],
  evaluate(input) {
    const d = readCommunities(input)
    // No pass on nothing: an empty sweep, or one cut short, proves no community is writable.
    if (d.tried === 0) return {outcome: 'inconclusive', message: 'No community was tried, so nothing is known about write access.'}
    if (d.accepted.length === 0) {
      if (d.untried > 0) return {outcome: 'inconclusive', message: `No community of the ${d.tried} tried was accepted, but ${d.untried} were left untried.`}
      return {outcome: 'pass', message: `None of the ${d.tried} communities tried was accepted, so none can write.`}
    }
    if (!d.writeTest.ran) {
      return {outcome: 'not_tested', message: 'The write test did not run (intrusive tests not enabled for the SNMP probe).'}
    }
    const writable = d.writeTest.results.filter((r) => r.setAccepted)
    if (writable.length > 0) {
      const notes = writable.map((r) => {
        const state = r.unchanged === false ? (r.restored ? '; value changed by the agent, original restored' : '; value changed by the agent, RESTORE FAILED') : ''
        return `${r.credentialId} (${r.version}${state})`
      })
      return {outcome: 'fail', message: `SET of sysLocation.0 accepted with ${formatList(notes)}.`}
    }
    const untested = d.accepted.filter((a) => !d.writeTest.results.some((r) => r.credentialId === a.credentialId && r.version === a.version))
    if (untested.length > 0) {
      return {outcome: 'inconclusive', message: `No SET result for ${formatList(untested.map((a) => `${a.credentialId} (${a.version})`))}: write access not tested.`}
    }
    const refused = d.writeTest.results.map((r) => `${r.credentialId} (${r.version}: ${r.error ?? 'refused'})`)
    return {outcome: 'pass', message: `Every SET was refused: ${formatList(refused)}.`}
  },
}
