/**
 * Server cipher order from what the removal loop saw, with as few extra hellos as possible.
 *
 * The loop's first offer lists every candidate in our order, the second the rest reversed. A server enforcing
 * its own order picks its first then its second choice; one following the client picks our first, then the
 * last accepted suite in our order. When the picks fit both readings (the server's second choice happens to be
 * our last, or only two suites, or the loop ran in chunks), one more hello offering the accepted suites in
 * reverse settles it: a client-order server picks its first entry, a server-order one its top choice.
 */
import type {Outcome} from './exchange.js'
import {removeLoop, type Pick} from './remove-loop.js'

export interface PreferenceResult {
  /** Accepted suites, server order when it enforces one, else our offer order. */
  order: number[]
  serverOrder: boolean | null
}

export async function derivePreference(
  candidates: readonly number[],
  found: readonly number[],
  opts: {chunked: boolean; maxPerHello: number},
  attempt: (list: number[]) => Promise<Outcome>,
  accept: (o: Outcome, list: number[]) => Pick,
): Promise<PreferenceResult> {
  const offerOrder = [...found].sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b))
  if (found.length < 2) return {order: [...found], serverOrder: null}
  if (!opts.chunked) {
    // A client-order server would have picked offerOrder[0] first.
    if (found[0] !== offerOrder[0]) return {order: [...found], serverOrder: true}
    // …and offerOrder[last] from the reversed second offer.
    if (found.length >= 3 && found[1] !== offerOrder[offerOrder.length - 1]) return {order: [...found], serverOrder: true}
  }
  const reversed = [...offerOrder].reverse().slice(0, opts.maxPerHello)
  const pick = accept(await attempt(reversed), reversed)
  if (typeof pick !== 'number') return {order: [...found], serverOrder: null}
  if (pick === reversed[0]) return {order: offerOrder, serverOrder: false}
  if (!opts.chunked) return {order: [...found], serverOrder: true}
  // Chunked enumeration found suites chunk by chunk: derive the full server order with one loop over them.
  if (found.length > opts.maxPerHello) return {order: [...found], serverOrder: true}
  const loop = await removeLoop(found, attempt, accept)
  const order = [...loop.found, ...found.filter((c) => !loop.found.includes(c))]
  return {order, serverOrder: true}
}
