/**
 * Iterative walk over a parsed JSON document (no recursion: a 10,000-level document must not overflow the
 * stack), visiting every value with its RFC 6901 JSON pointer and the key it sits under.
 */

export interface JsonVisit {
  pointer: string
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
  const stack: JsonVisit[] = [{pointer: '', key: '', value: root}]
  while (stack.length > 0) {
    const current = stack.pop() as JsonVisit
    visit(current)
    const {value, pointer} = current
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({pointer: `${pointer}/${i}`, key: String(i), value: value[i]})
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]
        stack.push({pointer: `${pointer}/${escapePointerToken(k)}`, key: k, value: v})
      }
    }
  }
}

/** The pointer with array indices replaced by "*": "/users/0/email" and "/users/1/email" both become "/users/*\/email". */
export function generalisePointer(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*')
}
