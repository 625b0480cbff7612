/** Turns validated inventory entries into scan specs: service entries to URIs, profile overrides loaded once,
 *  credential references resolved (the secrets stay in memory only and are reported by id). */
import {readFileSync} from 'node:fs'

import type {DeviceSpec} from '../engine/scan.js'
import {parseTarget} from '../engine/targets.js'
import type {CommunityCandidate} from '../probes/snmp/dataset.js'
import {ConfigError} from '../profiles/errors.js'
import {type Profile, resolveProfile} from '../profiles/loader.js'
import type {InventoryEntry} from './load.js'

export class InventoryResolver {
  private readonly profiles = new Map<string, Profile>()
  private readonly credentials = new Map<string, CommunityCandidate[]>()

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
    }
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
      list = readCredentialRef(ref, this.env, entry.at)
      this.credentials.set(ref, list)
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

/** env:VAR or file:PATH holding one community per line. Evidence names them `<ref>#<n>`, never the string. */
function readCredentialRef(ref: string, env: NodeJS.ProcessEnv, at: string): CommunityCandidate[] {
  let text: string
  if (ref.startsWith('env:')) {
    const name = ref.slice(4)
    const value = env[name]
    if (value === undefined) throw new ConfigError(`${at} credentialsRef: environment variable ${name} is not set`)
    text = value
  } else {
    const path = ref.slice(5)
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      throw new ConfigError(`${at} credentialsRef: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
    }
  }
  const out: CommunityCandidate[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('#') || out.some((c) => c.community === line)) return
    out.push({id: `${ref.startsWith('env:') ? ref : 'file'}#${index + 1}`, community: line})
  })
  if (out.length === 0) throw new ConfigError(`${at} credentialsRef: ${ref} holds no community`)
  return out
}
