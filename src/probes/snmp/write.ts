/**
 * The intrusive SNMP write test (runs only when the unit was created with `intrusive: true`). For each accepted
 * community and version, harmless objects in order — sysLocation.0, sysContact.0, sysName.0 — each: read it, SET it
 * to exactly the value it already has, read it back and confirm it is unchanged (restored if an agent rewrote it).
 * A refused SET is classified (write-classes.ts): net-snmp makes system objects set in snmpd.conf read-only
 * (notWritable), which proves the community got past access control, so the next object is tried; noAccess /
 * authorizationError end the pair as denied; v1's noSuchName/readOnly stay ambiguous. Values never leave this module.
 */
import snmp from 'net-snmp'

import type {ProbeContext} from '../types.js'
import type {CommunityCandidate} from './dataset.js'
import {OID, closeOnAbort, closeSession, communitySession, newTraffic, sessionGet, sessionSet, type GetOutcome, type Traffic} from './session.js'
import type {SnmpCommunityVersion, SnmpWriteAttempt, SnmpWriteResult} from './types.js'
import {classifySetError} from './write-classes.js'

/** At most this many (community, version) pairs are write-tested. */
export const MAX_WRITE_TESTS = 8

/** Objects a SET to their own value leaves as they were (RFC 3418 system group, read-write per the MIB). */
export const WRITE_OBJECTS: ReadonlyArray<{name: string; oid: string}> = [
  {name: 'sysLocation.0', oid: OID.sysLocation},
  {name: 'sysContact.0', oid: OID.sysContact},
  {name: 'sysName.0', oid: OID.sysName},
]

function rawValue(out: GetOutcome, oid: string): Buffer | null {
  if (out.kind !== 'response') return null
  const vb = out.varbinds[0]
  if (!vb || snmp.isVarbindError(vb) || vb.oid !== oid) return null
  const v = vb.value
  if (Buffer.isBuffer(v)) return v
  if (typeof v === 'string') return Buffer.from(v, 'utf8')
  return null
}

function describe(out: GetOutcome): string {
  if (out.kind === 'error-status') return out.status
  if (out.kind === 'timeout') return 'timeout'
  if (out.kind === 'rejected' || out.kind === 'failed') return out.reason
  return 'unexpected response'
}

/** One object: read, SET to the same value, read back (and restore when the agent changed it). */
async function tryObject(
  session: snmp.Session,
  community: string,
  version: SnmpCommunityVersion,
  object: {name: string; oid: string},
  result: SnmpWriteResult,
): Promise<SnmpWriteAttempt> {
  const before = rawValue(await sessionGet(session, [object.oid], community), object.oid)
  if (before === null) return {object: object.name, result: 'not-readable', class: 'ambiguous'}
  const varbind = {oid: object.oid, type: snmp.ObjectType.OctetString, value: before}
  const set = await sessionSet(session, [varbind], community)
  if (set.kind !== 'response') {
    const status = describe(set)
    return {object: object.name, result: status, class: set.kind === 'error-status' ? classifySetError(version, status) : 'ambiguous'}
  }
  result.setAccepted = true
  result.object = object.name
  const after = rawValue(await sessionGet(session, [object.oid], community), object.oid)
  if (after !== null) {
    result.unchanged = after.equals(before)
    if (!result.unchanged) {
      const undo = await sessionSet(session, [varbind], community)
      const check = rawValue(await sessionGet(session, [object.oid], community), object.oid)
      result.restored = undo.kind === 'response' && check !== null && check.equals(before)
    }
  }
  return {object: object.name, result: 'accepted', class: 'past-access-control'}
}

export async function writeTest(
  ctx: ProbeContext,
  pairs: ReadonlyArray<{candidate: CommunityCandidate; version: SnmpCommunityVersion}>,
  retries: number,
): Promise<{results: SnmpWriteResult[]; traffic: Traffic}> {
  const traffic = newTraffic()
  const results: SnmpWriteResult[] = []
  for (const {candidate, version} of pairs.slice(0, MAX_WRITE_TESTS)) {
    if (ctx.signal.aborted) break
    const session = communitySession(version, {host: ctx.service.host, port: ctx.service.port, timeoutMs: ctx.timeoutMs, retries, traffic, signal: ctx.signal})
    const detach = closeOnAbort(ctx.signal, [session])
    const result: SnmpWriteResult = {credentialId: candidate.id, version, setAccepted: false, unchanged: null, verdict: 'ambiguous', attempts: []}
    try {
      for (const object of WRITE_OBJECTS) {
        if (ctx.signal.aborted) break
        const attempt = await tryObject(session, candidate.community, version, object, result)
        result.attempts!.push(attempt)
        if (result.setAccepted || attempt.class === 'denied') break
      }
      const classes = result.attempts!.map((a) => a.class)
      result.verdict = result.setAccepted || classes.includes('past-access-control') ? 'write' : classes.includes('denied') ? 'denied' : 'ambiguous'
      if (!result.setAccepted) result.error = result.attempts!.map((a) => `${a.object}: ${a.result}`).join('; ') || 'not tried'
    } finally {
      results.push(result)
      detach()
      closeSession(session)
    }
  }
  return {results, traffic}
}
