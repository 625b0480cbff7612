/** Reference constructors for the checks' REF tables (one per family's shared.ts), so every family writes a
 *  reference the same way: the clause is present only when given. */
import type {Reference} from '../evidence/types.js'

export const itu = (id: string, clause?: string): Reference =>
  clause === undefined ? {framework: 'ITU-T', id} : {framework: 'ITU-T', id, clause}
export const en = (id: string): Reference => ({framework: 'ETSI EN 303 645', id})
export const cr = (id: string): Reference => ({framework: 'IEC 62443-4-2', id})
export const rfc = (id: string, clause?: string): Reference =>
  clause === undefined ? {framework: 'RFC', id} : {framework: 'RFC', id, clause}
export const cwe = (n: number): Reference => ({framework: 'CWE', id: `CWE-${n}`})
