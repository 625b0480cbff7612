/**
 * User-supplied SNMPv3 credentials: the file format and its loader (no net-snmp: `scan` reads the file before it
 * knows whether any SNMP service will be probed; the credentialed test is in v3-credentials.ts).
 *
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
 */
import {readFileSync} from 'node:fs'
import {inspect} from 'node:util'

import {ConfigError} from '../../profiles/errors.js'
import {parseLocatedYaml} from '../../profiles/yaml-locations.js'
import {
  SNMP_V3_AUTH_PROTOCOLS,
  SNMP_V3_PRIV_PROTOCOLS,
  type SnmpV3AuthProtocol,
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
