/**
 * Loader for data/snmp/communities.json (built by scripts/build-snmp-communities.mjs from SecLists, MIT).
 * Rows carry a stable id; the community string itself never leaves the probe.
 */
import {readFileSync} from 'node:fs'

import {projectPath} from '../../util/paths.js'

export interface CommunityCandidate {
  id: string
  community: string
}

export interface CommunityDataset {
  id: string
  communities: CommunityCandidate[]
}

let cache: CommunityDataset | undefined

export function parseCommunityDataset(json: unknown): CommunityDataset {
  const d = json as {id?: unknown; communities?: unknown}
  if (typeof d?.id !== 'string' || !Array.isArray(d.communities)) throw new Error('data/snmp/communities.json: bad shape')
  const communities: CommunityCandidate[] = []
  const ids = new Set<string>()
  for (const row of d.communities as Array<{id?: unknown; community?: unknown}>) {
    if (typeof row?.id !== 'string' || typeof row.community !== 'string') throw new Error('data/snmp/communities.json: bad row')
    if (ids.has(row.id)) throw new Error(`data/snmp/communities.json: duplicate id ${row.id}`)
    ids.add(row.id)
    communities.push({id: row.id, community: row.community})
  }
  return {id: d.id, communities}
}

export function communityDataset(): CommunityDataset {
  cache ??= parseCommunityDataset(JSON.parse(readFileSync(projectPath('data', 'snmp', 'communities.json'), 'utf8')))
  return cache
}
