/** Turns validated inventory entries into scan specs: service entries to URIs, profile overrides loaded once,
 *  credential references resolved (the secrets stay in memory only and are reported by id). */
import {readFileSync} from 'node:fs'

import type {DeviceSpec} from '../engine/scan.js'
import {parseTarget} from '../engine/targets.js'
import {parseCredentialFile} from '../probes/cred/credential-file.js'
import type {LabCredential} from '../probes/cred/types.js'
import type {CommunityCandidate} from '../probes/snmp/dataset.js'
import {ConfigError} from '../profiles/errors.js'
import {type Profile, resolveProfile} from '../profiles/loader.js'
import type {InventoryEntry} from './load.js'
import {type KnownRequirements, loadDeclarationFile} from '../declaration/load.js'
import type {RecordedDeclaration} from '../declaration/types.js'
import {knownRequirements} from '../requirements/known.js'

export class InventoryResolver {
  private readonly profiles = new Map<string, Profile>()
  private readonly credentials = new Map<string, CommunityCandidate[]>()
  private readonly loginLists = new Map<string, LabCredential[]>()
  private readonly declarations = new Map<string, RecordedDeclaration>()
  private known?: KnownRequirements
  /** The text behind each credentialsRef/loginsRef read (secrets: memory only), so --resume can pin them. */
  readonly refTexts = new Map<string, string>()

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** Throws ConfigError naming the entry's file:line and field. */
  toSpec(entry: InventoryEntry): DeviceSpec {
    const targets = entry.services?.length ? entry.services.map((s) => serviceTarget(s, entry)) : [entry.host]
    for (const [k, t] of targets.entries()) {
      try {
        parseTarget(t)
      } catch (error) {
        const field = entry.services?.length ? `services[${k}]` : 'host'
        throw new ConfigError(`${entry.at} ${field}: ${(error as Error).message}`)
      }
    }
    const declared = Object.fromEntries(
      (['vendor', 'model', 'firmware', 'serial'] as const).filter((k) => entry[k] !== undefined).map((k) => [k, entry[k]]),
    )
    return {
      id: entry.id,
      targets,
      ...(Object.keys(declared).length ? {declared} : {}),
      ...(entry.tags?.length ? {tags: entry.tags} : {}),
      ...(entry.profile ? {profile: this.profile(entry)} : {}),
      ...(entry.credentialsRef ? {snmpCommunities: this.communities(entry)} : {}),
      ...(entry.loginsRef ? {loginCredentials: this.logins(entry)} : {}),
      ...(entry.declaration ? {declaration: this.declaration(entry)} : {}),
    }
  }

  /** One read per file: a declaration describes a model, several inventory devices may share it. */
  private declaration(entry: InventoryEntry): RecordedDeclaration {
    const path = entry.declaration!
    let d = this.declarations.get(path)
    if (!d) {
      this.known ??= knownRequirements()
      try {
        d = loadDeclarationFile(path, this.known)
      } catch (error) {
        if (error instanceof ConfigError) throw new ConfigError(`${entry.at} declaration: ${error.message}`)
        throw error
      }
      this.declarations.set(path, d)
    }
    return d
  }

  private profile(entry: InventoryEntry): Profile {
    const key = entry.profile!
    let p = this.profiles.get(key)
    if (!p) {
      try {
        p = resolveProfile(key)
      } catch (error) {
        throw new ConfigError(`${entry.at} profile: ${(error as Error).message}`)
      }
      this.profiles.set(key, p)
    }
    return p
  }

  private communities(entry: InventoryEntry): CommunityCandidate[] {
    const ref = entry.credentialsRef!
    let list = this.credentials.get(ref)
    if (!list) {
      const text = readRef(ref, 'credentialsRef', this.env, entry.at)
      this.refTexts.set(`credentialsRef ${ref}`, text)
      list = toCommunities(ref, text, entry.at)
      this.credentials.set(ref, list)
    }
    return list
  }

  private logins(entry: InventoryEntry): LabCredential[] {
    const ref = entry.loginsRef!
    let list = this.loginLists.get(ref)
    if (!list) {
      const text = readRef(ref, 'loginsRef', this.env, entry.at)
      this.refTexts.set(`loginsRef ${ref}`, text)
      try {
        // Ids `<ref>#<line>`: never derived from the secret, and the line's text is never quoted in errors.
        list = parseCredentialFile(text, ref).map((c) => ({...c, id: `${ref.startsWith('env:') ? ref : 'file'}#${c.id.split(':').pop()}`}))
      } catch (error) {
        throw new ConfigError(`${entry.at} loginsRef: ${(error as Error).message}`)
      }
      this.loginLists.set(ref, list)
    }
    return list
  }
}

/** `proto:port` → proto://host:port; a URI is taken as written. */
function serviceTarget(entry: string, device: InventoryEntry): string {
  const short = /^([a-z][a-z0-9+.-]*):(\d{1,5})$/.exec(entry)
  if (!short) return entry
  const host = device.host.includes(':') ? `[${device.host}]` : device.host
  return `${short[1]}://${host}:${short[2]}`
}

/** The text behind env:VAR or file:PATH (a secret: kept in memory only, never quoted in errors). */
function readRef(ref: string, field: string, env: NodeJS.ProcessEnv, at: string): string {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4)
    const value = env[name]
    if (value === undefined) throw new ConfigError(`${at} ${field}: environment variable ${name} is not set`)
    return value
  }
  const path = ref.slice(5)
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`${at} ${field}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
  }
}

/** One community per line. Evidence names them `<ref>#<n>`, never the string. */
function toCommunities(ref: string, text: string, at: string): CommunityCandidate[] {
  const out: CommunityCandidate[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('#') || out.some((c) => c.community === line)) return
    out.push({id: `${ref.startsWith('env:') ? ref : 'file'}#${index + 1}`, community: line})
  })
  if (out.length === 0) throw new ConfigError(`${at} credentialsRef: ${ref} holds no community`)
  return out
}
