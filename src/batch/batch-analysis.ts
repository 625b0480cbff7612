/**
 * Batch-level analysis over a finished batch (device identity / counterfeit indicators, issue #7).
 * finalizeBatch calls the analysis once, after every device is journaled, with a fresh pass over the journal
 * (devices streamed one at a time, never all in memory); only each device's small identity digest is kept.
 * The result is written into report.json as the top-level `batch` member, before `summary`.
 */
import {planScope} from '../engine/plan.js'
import type {Device} from '../evidence/types.js'
import {analyzeBatch, identityDigest, type SelectedBatchCheck} from '../identity/batch.js'
import type {IdentityDigest} from '../identity/types.js'
import type {Profile} from '../profiles/loader.js'

export type BatchAnalysis = (devices: AsyncIterable<Device>) => Promise<unknown>

/** The batch checks `profile` selects (shared keys across devices, per-model consistency), over the journal. */
export function identityBatchAnalysis(profile: Profile, intrusive: boolean): BatchAnalysis | undefined {
  const checks = planScope(profile, 'batch', intrusive) as SelectedBatchCheck[]
  if (checks.length === 0) return undefined
  return async (devices) => {
    const digests: IdentityDigest[] = []
    for await (const device of devices) digests.push(identityDigest(device))
    return digests.length > 1 ? analyzeBatch(digests, checks) : undefined
  }
}
