/**
 * The credentialed SNMPv3 test of the probe unit (the file format and loader are in v3-credential-file.ts).
 *
 *
 * Testing (per credential): authPriv GET sysDescr.0 when a privacy protocol is given, then authNoPriv. DES
 * needs OpenSSL's legacy provider, which Node 20's OpenSSL 3 does not load unless node runs with
 * --openssl-legacy-provider: that attempt is recorded as `untestable`, not as refused.
 */
import snmp from 'net-snmp'

import type {ProbeContext} from '../types.js'
import {OID, closeOnAbort, closeSession, credentialV3Session, deniedByAccessControl, newTraffic, runPool, sessionGet, type GetOutcome, type Traffic} from './session.js'
import type {SnmpV3AuthProtocol, SnmpV3CredentialResult, SnmpV3PrivProtocol} from './types.js'
import type {SnmpV3Credential} from './v3-credential-file.js'

export {loadSnmpV3Credentials, MIN_PASSPHRASE, parseSnmpV3Credentials, type SnmpV3Credential, SnmpV3Secrets} from './v3-credential-file.js'

const AUTH: Record<SnmpV3AuthProtocol, snmp.AuthProtocols> = {
  md5: snmp.AuthProtocols.md5,
  sha: snmp.AuthProtocols.sha,
  sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256,
  sha384: snmp.AuthProtocols.sha384,
  sha512: snmp.AuthProtocols.sha512,
}
const PRIV: Record<SnmpV3PrivProtocol, snmp.PrivProtocols> = {
  des: snmp.PrivProtocols.des,
  aes: snmp.PrivProtocols.aes,
  aes256b: snmp.PrivProtocols.aes256b,
  aes256r: snmp.PrivProtocols.aes256r,
}

export const DES_UNTESTABLE_REASON = "Node's OpenSSL 3 has no DES without --openssl-legacy-provider"

/** OpenSSL 3 refusing an algorithm that lives in the legacy provider (DES-CBC). */
function opensslUnsupported(out: GetOutcome): boolean {
  if (out.kind !== 'failed') return false
  return out.code === 'ERR_OSSL_EVP_UNSUPPORTED' || /digital envelope routines::unsupported/i.test(out.reason)
}

function refusedReason(out: GetOutcome): string {
  if (out.kind === 'timeout') return 'no reply (wrong key, unknown user, or security level not permitted; USM drops such requests silently)'
  if (out.kind === 'rejected' || out.kind === 'failed') {
    const r = out.reason.toLowerCase()
    if (r.includes('unknown user')) return 'unknown user'
    if (r.includes('security level')) return 'security level not supported for this user'
    if (r.includes('digest')) return 'wrong digest (wrong authentication key, or level not permitted)'
    if (r.includes('decrypt')) return 'decryption failed (wrong privacy key)'
    if (r.includes('engine')) return 'unknown engine id'
    if (r.includes('time window')) return 'not in time window'
    return out.kind === 'rejected' ? 'rejected by the agent' : 'request failed'
  }
  return 'refused'
}

interface Attempt {
  cred: SnmpV3Credential
  level: 'authPriv' | 'authNoPriv'
}

/**
 * Tries every credential at authPriv (when it has a privacy protocol) and authNoPriv with a GET of sysDescr.0.
 * `discovered` false (the engine did not answer discovery) marks every attempt untestable without sending.
 * Results keep the credential order, authPriv first. Keys never appear in results or reasons.
 */
export async function testV3Credentials(
  ctx: ProbeContext,
  creds: readonly SnmpV3Credential[],
  opts: {retries: number; discovered: boolean},
): Promise<{results: SnmpV3CredentialResult[]; traffic: Traffic}> {
  const traffic = newTraffic()
  const attempts: Attempt[] = creds.flatMap((cred) => [...(cred.privProtocol ? [{cred, level: 'authPriv' as const}] : []), {cred, level: 'authNoPriv' as const}])
  const results: SnmpV3CredentialResult[] = attempts.map(({cred, level}) => ({
    credentialId: cred.id,
    user: cred.user,
    authProtocol: cred.authProtocol,
    privProtocol: level === 'authPriv' ? (cred.privProtocol ?? null) : null,
    level,
    result: 'untestable',
    reason: opts.discovered ? 'not tried (probe cancelled or out of time)' : 'the agent did not answer SNMPv3 engine discovery',
  }))
  if (!opts.discovered) return {results, traffic}
  await runPool(attempts, 4, ctx.signal, async ({cred, level}, index) => {
    const r = results[index] as SnmpV3CredentialResult
    const user: snmp.User = {
      name: cred.user,
      level: level === 'authPriv' ? snmp.SecurityLevel.authPriv : snmp.SecurityLevel.authNoPriv,
      authProtocol: AUTH[cred.authProtocol],
      authKey: cred.secrets.authKey(),
    }
    if (level === 'authPriv' && cred.privProtocol) {
      user.privProtocol = PRIV[cred.privProtocol]
      user.privKey = cred.secrets.privKey() ?? ''
    }
    let session: snmp.Session
    try {
      session = credentialV3Session(user, {host: ctx.service.host, port: ctx.service.port, timeoutMs: ctx.timeoutMs, retries: opts.retries, traffic, signal: ctx.signal})
    } catch {
      // Do not echo the library's message: it could in principle quote its input.
      r.reason = 'could not create an SNMPv3 session for this credential'
      return
    }
    const detach = closeOnAbort(ctx.signal, [session])
    try {
      const out = await sessionGet(session, [OID.sysDescr])
      if (deniedByAccessControl(out)) {
        // Authenticated, but the agent's access control refuses this user at this level: no access.
        r.result = 'refused'
        r.reason = 'authorizationError: the agent refuses this user at this security level (access control)'
      } else if (out.kind === 'response' || out.kind === 'error-status') {
        r.result = 'accepted'
        delete r.reason
      } else if (opensslUnsupported(out)) {
        r.result = 'untestable'
        r.reason = cred.privProtocol === 'des' && level === 'authPriv' ? DES_UNTESTABLE_REASON : "Node's OpenSSL 3 does not support an algorithm of this credential"
      } else if (ctx.signal.aborted) {
        r.reason = 'probe cancelled'
      } else {
        r.result = 'refused'
        r.reason = refusedReason(out)
      }
    } finally {
      detach()
      closeSession(session)
    }
  })
  return {results, traffic}
}
