/** Character-context tests shared by the detectors: is a match part of a longer token? */

const WORD = /[A-Za-z0-9_]/

export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch)
}

/**
 * True when the text right after `end` continues the token: a word character, or a joiner (`.` `:` `/` `-`)
 * followed by a word character (a version "1.2.3", a time "12:30", a path, a longer dashed id).
 * A full stop or comma ending a sentence is not a continuation.
 */
export function continuesAfter(text: string, end: number, joiners = '.:/-'): boolean {
  const next = text[end]
  if (next === undefined) return false
  if (isWordChar(next) || next === '@') return true
  return joiners.includes(next) && isWordChar(text[end + 1])
}

/** True when the text right before `start` is a word character or one of `joiners` (part of a longer token). */
export function continuesBefore(text: string, start: number, joiners = '.-/@#_'): boolean {
  const prev = text[start - 1]
  if (prev === undefined) return false
  return isWordChar(prev) || joiners.includes(prev)
}
