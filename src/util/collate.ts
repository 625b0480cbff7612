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

function ranked(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 128 || RANK[c]! < 0) return false
  }
  return true
}

/** Same sign as `a.localeCompare(b)` (default locale and options). */
export function compareLikeLocale(a: string, b: string): number {
  if (!ranked(a) || !ranked(b)) return a.localeCompare(b)
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = RANK[a.charCodeAt(i)]! - RANK[b.charCodeAt(i)]!
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** The characters compared by rank, in order (for the test). */
export const RANKED_ORDER = ORDER
