/**
 * Finding devices of one batch that share a key: the same TLS key (SubjectPublicKeyInfo) or SSH host key on
 * several samples means the key was baked into the firmware image, not generated per device (ETSI EN 303 645
 * 5.4-4). Pure: works on identity digests only.
 */
import type {BatchCheckResult} from '../../src/checks/types.js'
import type {IdentityDigest} from '../../src/identity/types.js'

/** Shown per key in a message; the finding's `devices` holds them all. */
const MAX_NAMED = 20

export function sharedKeyResults(
  digests: readonly IdentityDigest[],
  keysOf: (d: IdentityDigest) => readonly string[],
  what: {key: string; label: (key: string) => string},
): BatchCheckResult[] {
  const holders = new Map<string, string[]>()
  const evidence = new Map<string, string>()
  let withKeys = 0
  for (const d of digests) {
    const keys = keysOf(d)
    if (keys.length > 0) withKeys++
    if (d.identityObservation) evidence.set(d.device, d.identityObservation)
    // A digest lists each key once; the last-holder test only guards against one device given twice in a row.
    for (const k of keys) {
      const list = holders.get(k)
      if (!list) holders.set(k, [d.device])
      else if (list[list.length - 1] !== d.device) list.push(d.device)
    }
  }
  if (withKeys === 0) {
    return [{outcome: 'not_applicable', message: `No device of the batch presented a ${what.key}.`, devices: [], evidence: []}]
  }
  const shared = [...holders.entries()].filter(([, devices]) => devices.length > 1).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
  if (shared.length === 0) {
    return [{outcome: 'pass', message: `Each of the ${withKeys} devices presenting a ${what.key} has its own (${holders.size} distinct).`, devices: [], evidence: []}]
  }
  return shared.map(([key, devices]) => {
    const sorted = [...devices].sort()
    const named = sorted.slice(0, MAX_NAMED).join(', ') + (sorted.length > MAX_NAMED ? ` … and ${sorted.length - MAX_NAMED} more` : '')
    return {
      outcome: 'fail',
      message: `${sorted.length} devices present the same ${what.key} (${what.label(key)}): ${named}.`,
      devices: sorted,
      evidence: sorted.flatMap((d) => (evidence.has(d) ? [evidence.get(d)!] : [])),
    }
  })
}
