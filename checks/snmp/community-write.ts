import type {Check} from '../../src/checks/types.js'
import type {SnmpWriteResult} from '../../src/probes/snmp/types.js'
import {classifySetError} from '../../src/probes/snmp/write-classes.js'
import {P_SNMP_COMMUNITIES, REF, SNMP_SERVICE_PROTOCOLS, formatList, readCommunities} from './shared.js'

/** The write verdict of one result; results of older probes (no `verdict`) are classified from their error. */
function verdictOf(r: SnmpWriteResult): 'write' | 'denied' | 'ambiguous' {
  if (r.setAccepted) return 'write'
  if (r.verdict) return r.verdict
  return r.error ? (({'past-access-control': 'write', denied: 'denied', ambiguous: 'ambiguous'}) as const)[classifySetError(r.version, r.error)] : 'ambiguous'
}

function describe(r: SnmpWriteResult): string {
  if (r.attempts?.length) return `${r.credentialId} (${r.version}: ${r.attempts.map((a) => `${a.object} ${a.result}`).join(', ')})`
  return `${r.credentialId} (${r.version}: ${r.error ?? 'refused'})`
}

export const check: Check = {
  id: 'snmp.community.write',
  title: 'SNMP SET accepted with a default or common community',
  family: 'snmp',
  description:
    'Intrusive. For every accepted community the probe SETs harmless system objects (sysLocation.0, then sysContact.0, ' +
    'sysName.0) to the value they already have, reads them back and restores them if they changed. Fails when a SET ' +
    'succeeds, or when the agent refuses it with an error that only comes after access control (v2c notWritable, ' +
    'wrongType, wrongValue, inconsistentValue …: the community has write access, the object was just read-only — ' +
    'net-snmp makes objects set in snmpd.conf read-only). Passes only when every community was refused by access ' +
    'control (noAccess / authorizationError); v1 noSuchName/readOnly, timeouts and unreadable objects are inconclusive.',
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
    const results = d.writeTest.results
    const writable = results.filter((r) => verdictOf(r) === 'write')
    if (writable.length > 0) {
      const notes = writable.map((r) => {
        if (!r.setAccepted) return `${describe(r)} — refused only after access control, so the community can write`
        const state = r.unchanged === false ? (r.restored ? '; value changed by the agent, original restored' : '; value changed by the agent, RESTORE FAILED') : ''
        return `${r.credentialId} (${r.version}: SET of ${r.object ?? 'sysLocation.0'} accepted${state})`
      })
      return {outcome: 'fail', message: `Write access with ${formatList(notes)}.`}
    }
    const unsure = results.filter((r) => verdictOf(r) === 'ambiguous')
    const untested = d.accepted.filter((a) => !results.some((r) => r.credentialId === a.credentialId && r.version === a.version))
    if (results.length === 0 || unsure.length > 0 || untested.length > 0) {
      const parts: string[] = []
      if (unsure.length) parts.push(`no conclusive answer for ${formatList(unsure.map(describe))}`)
      if (untested.length) parts.push(`not write-tested: ${formatList(untested.map((a) => `${a.credentialId} (${a.version})`))}`)
      return {outcome: 'inconclusive', message: `Write access not ruled out: ${parts.join('; ') || 'no SET was tried'}.`}
    }
    return {outcome: 'pass', message: `Every SET was refused by access control: ${formatList(results.map(describe))}.`}
  },
}
