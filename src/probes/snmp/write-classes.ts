/**
 * What a refused SET says about access (RFC 3416 §4.2.5 order of checks; RFC 3584 §4.4 v2→v1 mapping): shared by
 * the write test (probe) and snmp.community.write (check), so both read an error status the same way.
 *  - v2c: noAccess / authorizationError → the community did NOT get past access control (`denied`);
 *    notWritable, wrongType, wrongValue, wrongLength, wrongEncoding, inconsistentValue, noCreation,
 *    inconsistentName, resourceUnavailable, commitFailed, undoFailed → it did (`past-access-control`): the agent
 *    only refused this object or value;
 *  - v1: badValue → past access control; noSuchName and readOnly are what a v1 agent answers both for "not in your
 *    view" and for "read-only object" → `ambiguous`, as are genErr, timeouts and anything unknown.
 */
import type {SnmpCommunityVersion} from './types.js'

export type SetErrorClass = 'denied' | 'past-access-control' | 'ambiguous'

const V2_DENIED = new Set(['noaccess', 'authorizationerror'])
const V2_PAST = new Set([
  'notwritable', 'wrongtype', 'wrongvalue', 'wronglength', 'wrongencoding', 'inconsistentvalue', 'nocreation',
  'inconsistentname', 'resourceunavailable', 'commitfailed', 'undofailed',
])

/** Classifies an error-status name (any case, e.g. "NotWritable" from net-snmp) or "timeout" for a version. */
export function classifySetError(version: SnmpCommunityVersion, status: string): SetErrorClass {
  const s = status.toLowerCase().replace(/[^a-z]/g, '')
  if (version === 'v2c') {
    if (V2_DENIED.has(s)) return 'denied'
    if (V2_PAST.has(s)) return 'past-access-control'
    return 'ambiguous'
  }
  if (s === 'badvalue') return 'past-access-control'
  return 'ambiguous'
}
