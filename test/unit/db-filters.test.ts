import {describe, expect, it} from 'vitest'

import {compileFilter, parseDateBound} from '../../src/db/filters.js'

describe('query filters', () => {
  it('a bare day bounds whole days: since its start, until the next day\'s start', () => {
    expect(parseDateBound('--since', '2026-03-01', false)).toBe('2026-03-01T00:00:00.000Z')
    expect(parseDateBound('--until', '2026-03-31', true)).toBe('2026-04-01T00:00:00.000Z')
    expect(() => parseDateBound('--until', 'soon', true)).toThrow(/--until soon: not a date/)
  })

  it('every value is a parameter, never SQL text; search escapes LIKE wildcards', () => {
    const {where, params} = compileFilter({vendor: "x' OR 1=1 --", search: '50%_off', check: 'tls.cipher.rc4', outcome: 'fail'})
    expect(where).not.toContain('OR 1=1')
    expect(params).toEqual(["x' OR 1=1 --", 'fail', 'tls.cipher.rc4', '%50\\%\\_off%'])
  })
})
