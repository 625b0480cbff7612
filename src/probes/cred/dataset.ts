/**
 * Loader for data/credentials/credentials.json (built by scripts/build-credentials.mjs from SecLists, MIT) and the
 * selection of candidates for one service: the policy's lists in order, filtered by protocol (and, for
 * vendor-defaults, by the declared vendor), capped per list, each pair tried once.
 */
import {readFileSync} from 'node:fs'

import {projectPath} from '../../util/paths.js'
import type {CredentialCandidate, CredentialList, LabCredential, LoginPolicy} from './types.js'

export interface DatasetRow {
  id: string
  vendor: string | null
  protocols: string[]
  username: string
  password: string
  sources: Array<{file: string; line: number}>
}

export interface CredentialDataset {
  id: string
  rows: Map<string, DatasetRow>
  lists: Record<Exclude<CredentialList, 'lab'>, string[]>
}

let cache: CredentialDataset | undefined

export function parseCredentialDataset(json: unknown): CredentialDataset {
  const d = json as {id?: unknown; credentials?: unknown; lists?: Record<string, unknown>}
  if (typeof d?.id !== 'string' || !Array.isArray(d.credentials) || typeof d.lists !== 'object' || d.lists === null) {
    throw new Error('data/credentials/credentials.json: bad shape')
  }
  const rows = new Map<string, DatasetRow>()
  for (const row of d.credentials as DatasetRow[]) {
    if (typeof row?.id !== 'string' || typeof row.username !== 'string' || typeof row.password !== 'string' || !Array.isArray(row.protocols)) {
      throw new Error('data/credentials/credentials.json: bad row')
    }
    if (rows.has(row.id)) throw new Error(`data/credentials/credentials.json: duplicate id ${row.id}`)
    rows.set(row.id, row)
  }
  const lists = {} as CredentialDataset['lists']
  for (const name of ['vendor-defaults', 'ssh-better', 'telnet-better', 'mirai', 'generic-top'] as const) {
    const ids = d.lists[name]
    if (!Array.isArray(ids) || ids.some((id) => !rows.has(id as string))) throw new Error(`data/credentials/credentials.json: bad list ${name}`)
    lists[name] = ids as string[]
  }
  return {id: d.id, rows, lists}
}

export function credentialDataset(): CredentialDataset {
  cache ??= parseCredentialDataset(JSON.parse(readFileSync(projectPath('data', 'credentials', 'credentials.json'), 'utf8')))
  return cache
}

/** The dataset protocol a service protocol's logins belong to. */
export function credentialProtocol(serviceProtocol: string): string {
  if (serviceProtocol === 'https') return 'http'
  if (serviceProtocol === 'mqtts') return 'mqtt'
  return serviceProtocol
}

/**
 * Login protocols without rows of their own: SecLists has no MQTT default-credential file, and a broker on an
 * IoT device ships with the device's defaults. A broker is tried with every row of each selected list, whatever
 * login the row was collected for (the device-default lists, in their order, under the same caps and budget).
 */
const ANY_ROW_PROTOCOLS: ReadonlySet<string> = new Set(['mqtt'])

/** Candidates for one service, in try order; a pair in several lists is tried once and records every list. */
export function selectCandidates(
  policy: Pick<LoginPolicy, 'lists' | 'maxPerList'>,
  serviceProtocol: string,
  options: {vendor?: string; lab?: readonly LabCredential[]; dataset?: CredentialDataset},
): CredentialCandidate[] {
  const dataset = options.dataset ?? credentialDataset()
  const protocol = credentialProtocol(serviceProtocol)
  const byPair = new Map<string, CredentialCandidate>()
  const out: CredentialCandidate[] = []
  const push = (list: CredentialList, id: string, username: string, password: string, secretUsername: boolean) => {
    const key = JSON.stringify([username, password])
    const existing = byPair.get(key)
    if (existing) {
      if (!existing.lists.includes(list)) existing.lists.push(list)
      return false
    }
    const candidate: CredentialCandidate = {id, username, password, lists: [list], secretUsername}
    byPair.set(key, candidate)
    out.push(candidate)
    return true
  }
  for (const list of policy.lists) {
    let taken = 0
    if (list === 'lab') {
      for (const c of options.lab ?? []) {
        if (taken >= policy.maxPerList) break
        if (push('lab', c.id, c.username, c.password, true)) taken++
      }
      continue
    }
    const vendor = options.vendor?.trim().toLowerCase()
    if (list === 'vendor-defaults' && !vendor) continue
    for (const id of dataset.lists[list]) {
      const row = dataset.rows.get(id)!
      // generic-top is protocol-neutral: weak generic pairs are tried on every login (HTTP included).
      if (list !== 'generic-top' && !ANY_ROW_PROTOCOLS.has(protocol) && !row.protocols.includes(protocol)) continue
      if (list === 'vendor-defaults' && row.vendor?.toLowerCase() !== vendor) continue
      // Counted against the cap even when already selected via an earlier list: the cap bounds each list's share.
      if (taken >= policy.maxPerList) break
      push(list, row.id, row.username, row.password, false)
      taken++
    }
  }
  // Record every selected list that holds a candidate's pair, beyond the caps: a success from ssh-better that is
  // also a generic-top pair is both a default and a weak credential.
  for (const list of policy.lists) {
    if (list === 'lab') continue
    const vendor = options.vendor?.trim().toLowerCase()
    for (const id of dataset.lists[list]) {
      const row = dataset.rows.get(id)!
      if (list === 'vendor-defaults' && row.vendor?.toLowerCase() !== vendor) continue
      const c = byPair.get(JSON.stringify([row.username, row.password]))
      if (c && !c.lists.includes(list)) c.lists.push(list)
    }
  }
  return out
}
