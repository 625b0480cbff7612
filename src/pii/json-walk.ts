/**
 * Iterative walk over a parsed JSON document (no recursion: a 10,000-level document must not overflow the
 * stack), visiting every value with its RFC 6901 JSON pointer and the key it sits under.
 * Pointers stay short enough for evidence: below MAX_POINTER_DEPTH levels, or under a key longer than
 * MAX_POINTER_TOKEN characters, a value reports the pointer of its nearest reportable ancestor (still a valid
 * pointer: the subtree that holds the value).
 */

export const MAX_POINTER_DEPTH = 64
export const MAX_POINTER_TOKEN = 256

export interface JsonVisit {
  pointer: string
  depth: number
  /** The object key (or array index as a string) the value sits under; '' for the root. */
  key: string
  value: unknown
}

/** RFC 6901 escaping of one reference token. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Visits values depth-first in document order. */
export function walkJson(root: unknown, visit: (v: JsonVisit) => void): void {
  const stack: JsonVisit[] = [{pointer: '', depth: 0, key: '', value: root}]
  while (stack.length > 0) {
    const current = stack.pop() as JsonVisit
    visit(current)
    const {value, pointer, depth} = current
    const child = (token: string): string =>
      depth >= MAX_POINTER_DEPTH || token.length > MAX_POINTER_TOKEN ? pointer : `${pointer}/${escapePointerToken(token)}`
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({pointer: child(String(i)), depth: depth + 1, key: String(i), value: value[i]})
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]
        stack.push({pointer: child(k), depth: depth + 1, key: k, value: v})
      }
    }
  }
}

/** The pointer with array indices replaced by "*": "/users/0/email" and "/users/1/email" both become "/users/*\/email". */
export function generalisePointer(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*')
}
