/**
 * THE place for batch-level analysis over a finished batch (device identity / counterfeit indicators, issue #7).
 * finalizeBatch calls `batchAnalysis` once, after every device is journaled, with a fresh pass over the journal
 * (devices streamed one at a time, never all in memory). Whatever it returns (when not undefined) is written
 * into report.json as the top-level `batch` member, before `summary`.
 *
 * To wire identity:  for await (const d of devices) digests.push(identityDigest(d)); return analyzeBatch(digests)
 * (and add `batch` to schemas/report.schema.json + the Report type).
 */
import type {Device} from '../evidence/types.js'

export type BatchAnalysis = (devices: AsyncIterable<Device>) => Promise<unknown>

export const batchAnalysis: BatchAnalysis | undefined = undefined
