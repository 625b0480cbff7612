/**
 * The intrusive SNMP write test (runs only when the unit was created with `intrusive: true`). For each accepted
 * community and version: read sysLocation.0, SET it to exactly the value it already has, read it back and
 * confirm it is unchanged. A SET that succeeds but leaves a different value (an agent that rewrites or
 * truncates) is undone by writing the original back, and the result says so. Values never leave this module.
 */
import snmp from 'net-snmp'

import type {ProbeContext} from '../types.js'
import type {CommunityCandidate} from './dataset.js'
import {OID, closeOnAbort, closeSession, communitySession, newTraffic, sessionGet, sessionSet, type Traffic} from './session.js'
import type {SnmpCommunityVersion, SnmpWriteResult} from './types.js'

/** At most this many (community, version) pairs are write-tested. */
export const MAX_WRITE_TESTS = 8

function rawValue(out: Awaited<ReturnType<typeof sessionGet>>): Buffer | null {
  if (out.kind !== 'response') return null
  const vb = out.varbinds[0]
  if (!vb || snmp.isVarbindError(vb) || vb.oid !== OID.sysLocation) return null
  const v = vb.value
  if (Buffer.isBuffer(v)) return v
  if (typeof v === 'string') return Buffer.from(v, 'utf8')
  return null
}

function describe(out: Awaited<ReturnType<typeof sessionGet>>): string {
  if (out.kind === 'error-status') return out.status
  if (out.kind === 'timeout') return 'timeout'
  if (out.kind === 'rejected' || out.kind === 'failed') return out.reason
  return 'unexpected response'
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
    const session = communitySession(version, {
      host: ctx.service.host,
      port: ctx.service.port,
      timeoutMs: ctx.timeoutMs,
      retries,
      traffic,
      signal: ctx.signal,
    })
    const detach = closeOnAbort(ctx.signal, [session])
    const result: SnmpWriteResult = {credentialId: candidate.id, version, setAccepted: false, unchanged: null}
    try {
      const before = rawValue(await sessionGet(session, [OID.sysLocation], candidate.community))
      if (before === null) {
        result.error = 'sysLocation.0 not readable'
        continue
      }
      const set = await sessionSet(session, [{oid: OID.sysLocation, type: snmp.ObjectType.OctetString, value: before}], candidate.community)
      if (set.kind !== 'response') {
        result.error = describe(set)
        continue
      }
      result.setAccepted = true
      const after = rawValue(await sessionGet(session, [OID.sysLocation], candidate.community))
      if (after === null) continue
      result.unchanged = after.equals(before)
      if (!result.unchanged) {
        const undo = await sessionSet(session, [{oid: OID.sysLocation, type: snmp.ObjectType.OctetString, value: before}], candidate.community)
        const check = rawValue(await sessionGet(session, [OID.sysLocation], candidate.community))
        result.restored = undo.kind === 'response' && check !== null && check.equals(before)
      }
    } finally {
      results.push(result)
      detach()
      closeSession(session)
    }
  }
  return {results, traffic}
}
