/**
 * The removal loop: offer a list (suites or groups), remove whatever the server picked, offer the rest, until
 * the server refuses. One connection per accepted item plus one refusal, never one connection per candidate.
 *
 * What ends the loop matters: a refusal (an alert, a ServerHello for something else) means "no more"; a
 * failure that survived its retry (reset/close/timeout twice, see Wire.exchange) is reported as `interrupted`
 * so the caller marks the list incomplete instead of silently calling it complete.
 */
import {chunk} from './hello-shapes.js'
import {Stop, type Outcome} from './exchange.js'

export interface LoopEnd {
  found: number[]
  /** The outcome that ended the loop (undefined when every candidate was accepted). */
  last?: Outcome
  /** The loop ended on a failure, not a refusal: the list may be incomplete. */
  interrupted?: {code: string; message: string}
  /** The server picked an item that was not offered (a protocol anomaly). */
  anomaly?: string
  /** The scan had to stop (budget, abort, device gone): what was found so far is kept. */
  stopped?: Stop
}

/** Accept function result: the picked item, null (refusal), or an anomaly description. */
export type Pick = number | null | {anomaly: string}

const MAX_LOOP = 512

export async function removeLoop(
  offer: readonly number[],
  attempt: (list: number[]) => Promise<Outcome>,
  accept: (o: Outcome, list: number[]) => Pick,
  opts: {first?: Outcome; reverseSecond?: boolean} = {},
): Promise<LoopEnd> {
  let remaining = [...offer]
  const found: number[] = []
  let pending = opts.first
  for (let i = 0; i < MAX_LOOP && remaining.length; i++) {
    // The second offer goes in reverse order: a server that follows the client's order then picks the last
    // accepted suite, one that enforces its own order its second choice (see preference.ts).
    const list = opts.reverseSecond && i === 1 ? [...remaining].reverse() : remaining
    let o: Outcome
    try {
      o = pending ?? (await attempt(list))
    } catch (e) {
      if (!(e instanceof Stop)) throw e
      return {found, stopped: e, interrupted: {code: e.code, message: e.message}}
    }
    pending = undefined
    const pick = accept(o, list)
    if (pick === null || typeof pick === 'object') {
      const end: LoopEnd = {found, last: o}
      if (pick !== null) end.anomaly = pick.anomaly
      else if (o.kind === 'failed') end.interrupted = {code: o.code, message: o.message}
      return end
    }
    found.push(pick)
    remaining = remaining.filter((c) => c !== pick)
  }
  return {found}
}

/**
 * The loop over chunks of at most `size` items (hello size limits). Each chunk is its own removal loop; the
 * first outcome of the first chunk may be given (already read).
 */
export async function chunkedRemoveLoop(
  offer: readonly number[],
  size: number,
  attempt: (list: number[]) => Promise<Outcome>,
  accept: (o: Outcome, list: number[]) => Pick,
  first?: Outcome,
): Promise<LoopEnd> {
  if (offer.length <= size) return removeLoop(offer, attempt, accept, {first, reverseSecond: true})
  const end: LoopEnd = {found: []}
  let pending = first
  for (const part of chunk(offer, size)) {
    const r = await removeLoop(part, attempt, accept, {first: pending})
    pending = undefined
    end.found.push(...r.found)
    end.last = r.last
    end.interrupted ??= r.interrupted
    end.anomaly ??= r.anomaly
    if (r.stopped) {
      end.stopped = r.stopped
      break
    }
    // Silent (twice) to the first chunk: the device is silent to this version, not to these suites. Waiting
    // out every other chunk would only multiply the timeouts.
    if (end.found.length === 0 && r.interrupted?.code === 'timeout') break
  }
  return end
}
