/**
 * User-supplied SNMPv3 credentials: the file format, its loader, and the credentialed test of the probe unit.
 *
 * File (YAML or JSON), a list of entries:
 *
 *   - id: core-switch            # identifier reported in observations ([A-Za-z0-9._-], unique)
 *     user: netops               # SNMPv3 user name (reported: an identifier, not a secret)
 *     authProtocol: sha256       # md5 | sha | sha224 | sha256 | sha384 | sha512
 *     authKeyEnv: SNMP_AUTH_KEY  # NAME of the environment variable holding the authentication passphrase
 *     privProtocol: aes          # optional: des | aes | aes256b | aes256r
 *     privKeyEnv: SNMP_PRIV_KEY  # required with privProtocol: NAME of the variable holding the privacy passphrase
 *
 * Keys are never in the file nor on the command line: only the names of environment variables. The loader
 * reads the variables once; the passphrases are kept in `SnmpV3Secrets`, whose fields are private and which
 * serializes (JSON, util.inspect) as "[redacted]", so a credential copied into options or logs leaks nothing.
 *
 * Testing (per credential): authPriv GET sysDescr.0 when a privacy protocol is given, then authNoPriv. DES
 * needs OpenSSL's legacy provider, which Node 20's OpenSSL 3 does not load unless node runs with
 * --openssl-legacy-provider: that attempt is recorded as `untestable`, not as refused.
 */
import {readFileSync} from 'node:fs'
import {inspect} from 'node:util'

import snmp from 'net-snmp'

import {ConfigError} from '../../profiles/errors.js'
import {parseLocatedYaml} from '../../profiles/yaml-locations.js'
import type {ProbeContext} from '../types.js'
import {OID, closeOnAbort, closeSession, credentialV3Session, deniedByAccessControl, newTraffic, runPool, sessionGet, type GetOutcome, type Traffic} from './session.js'
import {
  SNMP_V3_AUTH_PROTOCOLS,
  SNMP_V3_PRIV_PROTOCOLS,
  type SnmpV3AuthProtocol,
  type SnmpV3CredentialResult,
  type SnmpV3PrivProtocol,
} from './types.js'

/** Passphrases of one credential. Private fields; JSON and util.inspect print "[redacted]". */
export class SnmpV3Secrets {
  readonly #authKey: string
  readonly #privKey: string | undefined
  constructor(authKey: string, privKey?: string) {
    this.#authKey = authKey
    this.#privKey = privKey
  }
  authKey(): string {
    return this.#authKey
  }
  privKey(): string | undefined {
    return this.#privKey
  }
  toJSON(): string {
    return '[redacted]'
  }
  toString(): string {
    return '[redacted]'
  }
  [inspect.custom](): string {
    return '[redacted]'
  }
}

export interface SnmpV3Credential {
  id: string
  user: string
  authProtocol: SnmpV3AuthProtocol
  privProtocol?: SnmpV3PrivProtocol
  /** Names of the environment variables the keys came from (for messages). */
  authKeyEnv: string
  privKeyEnv?: string
  secrets: SnmpV3Secrets
}

/** RFC 3414 §11.2: passphrases shorter than 8 characters are rejected by agents (and net-snmp's snmpd). */
export const MIN_PASSPHRASE = 8

const FIELDS = new Set(['id', 'user', 'authProtocol', 'authKeyEnv', 'privProtocol', 'privKeyEnv'])
const KEY_FIELDS = new Set(['authKey', 'privKey', 'authPassword', 'privPassword', 'authPassphrase', 'privPassphrase', 'key', 'password'])
const ID_RE = /^[A-Za-z0-9._-]{1,64}$/
const ENV_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Parses and validates a credentials file's text; keys are read from `env`. Throws ConfigError listing every problem. */
export function parseSnmpV3Credentials(text: string, file: string, env: NodeJS.ProcessEnv = process.env): SnmpV3Credential[] {
  const located = parseLocatedYaml(text, file)
  const problems: string[] = []
  const at = (pointer: string, field: string, message: string) => problems.push(`${located.locate(pointer)} ${field}: ${message}`)
  const list = located.value
  if (!Array.isArray(list)) {
    throw new ConfigError(`${file}: SNMPv3 credentials file must be a list of credentials`, [`${located.locate('')} (top level): expected a list`])
  }
  if (list.length === 0) throw new ConfigError(`${file}: SNMPv3 credentials file holds no credential`, [`${located.locate('')} (top level): empty list`])
  const out: SnmpV3Credential[] = []
  const ids = new Set<string>()
  list.forEach((entry: unknown, i) => {
    const base = `/${i}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      at(base, `[${i}]`, 'expected a mapping with id, user, authProtocol, authKeyEnv')
      return
    }
    const e = entry as Record<string, unknown>
    const before = problems.length
    for (const k of Object.keys(e)) {
      if (KEY_FIELDS.has(k)) at(`${base}/${k}`, k, `keys must not be written in the file: put the NAME of an environment variable in ${k.startsWith('priv') ? 'privKeyEnv' : 'authKeyEnv'}`)
      else if (!FIELDS.has(k)) at(`${base}/${k}`, k, `unknown field (allowed: ${[...FIELDS].join(', ')})`)
    }
    const str = (k: string, required: boolean): string | undefined => {
      const v = e[k]
      if (v === undefined || v === null) {
        if (required) at(base, k, 'missing')
        return undefined
      }
      if (typeof v !== 'string' || v.length === 0) {
        at(`${base}/${k}`, k, 'must be a non-empty string')
        return undefined
      }
      return v
    }
    const id = str('id', true)
    if (id !== undefined && !ID_RE.test(id)) at(`${base}/id`, 'id', 'use 1-64 characters of A-Z a-z 0-9 . _ -')
    else if (id !== undefined && ids.has(id)) at(`${base}/id`, 'id', `duplicate id "${id}"`)
    if (id !== undefined) ids.add(id)
    const user = str('user', true)
    if (user !== undefined && user.length > 32) at(`${base}/user`, 'user', 'longer than 32 characters (RFC 3414 usmUserName)')
    const authProtocol = str('authProtocol', true)
    const auth = SNMP_V3_AUTH_PROTOCOLS.find((p) => p === authProtocol?.toLowerCase())
    if (authProtocol !== undefined && !auth) at(`${base}/authProtocol`, 'authProtocol', `"${authProtocol}" is not one of ${SNMP_V3_AUTH_PROTOCOLS.join(', ')}`)
    const privProtocol = str('privProtocol', false)
    const priv = SNMP_V3_PRIV_PROTOCOLS.find((p) => p === privProtocol?.toLowerCase())
    if (privProtocol !== undefined && !priv) at(`${base}/privProtocol`, 'privProtocol', `"${privProtocol}" is not one of ${SNMP_V3_PRIV_PROTOCOLS.join(', ')}`)
    const envKey = (k: 'authKeyEnv' | 'privKeyEnv', required: boolean): {name: string; value: string} | undefined => {
      const name = str(k, required)
      if (name === undefined) return undefined
      if (!ENV_RE.test(name)) {
        at(`${base}/${k}`, k, `"${name}" is not an environment variable name`)
        return undefined
      }
      const value = env[name]
      if (value === undefined || value === '') {
        at(`${base}/${k}`, k, `environment variable ${name} is not set (or empty)`)
        return undefined
      }
      if (value.length < MIN_PASSPHRASE) {
        at(`${base}/${k}`, k, `environment variable ${name} holds fewer than ${MIN_PASSPHRASE} characters (RFC 3414 §11.2)`)
        return undefined
      }
      return {name, value}
    }
    const authKey = envKey('authKeyEnv', true)
    const privKey = envKey('privKeyEnv', privProtocol !== undefined)
    if (privProtocol === undefined && e.privKeyEnv !== undefined) at(`${base}/privKeyEnv`, 'privKeyEnv', 'given without privProtocol')
    if (problems.length > before || !id || !user || !auth || !authKey) return
    const cred: SnmpV3Credential = {id, user, authProtocol: auth, authKeyEnv: authKey.name, secrets: new SnmpV3Secrets(authKey.value, privKey?.value)}
    if (priv && privKey) {
      cred.privProtocol = priv
      cred.privKeyEnv = privKey.name
    }
    out.push(cred)
  })
  if (problems.length > 0) throw new ConfigError(`${file}: invalid SNMPv3 credentials`, problems)
  return out
}

/** Reads and validates an SNMPv3 credentials file (YAML or JSON). Keys come from the environment variables it names. */
export function loadSnmpV3Credentials(file: string, env: NodeJS.ProcessEnv = process.env): SnmpV3Credential[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`${file}: cannot read SNMPv3 credentials file: ${(err as Error)?.message ?? String(err)}`)
  }
  return parseSnmpV3Credentials(text, file, env)
}

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
