/**
 * `a.localeCompare(b)` without its start-up cost. The first localeCompare of a process sets up ICU collation, ~7 ms
 * on a 2-core machine (issue 16): paid by every scan for sorting check ids, services and findings that are plain
 * ASCII. For strings made only of lowercase letters, digits and printable ASCII punctuation, ICU's root collation
 * (non-ignorable punctuation, no contractions) compares character by character by a fixed rank: ORDER below, the
 * order localeCompare gives those characters (test/unit/collate.test.ts checks both against localeCompare). Any other
 * string (upper case, space, non-ASCII) is compared by localeCompare itself, so the order is always the same.
 */
const ORDER = '_-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz'

const RANK = new Int8Array(128).fill(-1)
for (let i = 0; i < ORDER.length; i++) RANK[ORDER.charCodeAt(i)] = i

/** The string with each character replaced by its rank (as a character), or null if one has no rank: keys compare
 *  by code unit (`<`) as their strings do by rank, a shorter prefix first. */
function rankKey(s: string): string | null {
  let key = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const r = c < 128 ? RANK[c]! : -1
    if (r < 0) return null
    key += String.fromCharCode(0x21 + r)
  }
  return key
}

// A sort compares each string many times: keys are kept, for a bounded number of strings.
const KEYS = new Map<string, string | null>()
const MAX_KEYS = 10_000

function keyOf(s: string): string | null {
  let key = KEYS.get(s)
  if (key === undefined) {
    if (KEYS.size >= MAX_KEYS) KEYS.clear()
    key = rankKey(s)
    KEYS.set(s, key)
  }
  return key
}

/** Same sign as `a.localeCompare(b)` (default locale and options). */
export function compareLikeLocale(a: string, b: string): number {
  const ka = keyOf(a)
  const kb = keyOf(b)
  if (ka === null || kb === null) return a.localeCompare(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** The characters compared by rank, in order (for the test). */
export const RANKED_ORDER = ORDER
