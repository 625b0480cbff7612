/**
 * Partial TLS observations (issue 10 item 2): when the probe could not test every protocol version or finish
 * the suite enumeration, "nothing accepted" is not "not applicable" but inconclusive, with the reason.
 */
import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {Check} from '../../src/checks/types.js'
import {emptyTls, makeInput} from '../helpers/observations.js'

function get(id: string): Check {
  const c = checkById(id)
  if (!c) throw new Error(`no check ${id}`)
  return c
}

const PARTIAL = {code: 'timeout', message: 'no answer to a small hello', missing: ['SSLv3']}

describe('nothing seen accepted in a partial observation', () => {
  for (const id of ['tls.protocol.sslv3-enabled', 'tls.protocol.sslv2-enabled', 'tls.protocol.legacy-enabled', 'tls.protocol.tls12-missing']) {
    it(`${id}: inconclusive naming what is missing, not_applicable when complete`, () => {
      const c = get(id)
      const input = makeInput(c, emptyTls())
      expect(c.evaluate(input).outcome).toBe('not_applicable')
      const partial = {...input, observations: {...input.observations, 'tls.protocols': {...input.observations['tls.protocols']!, partial: PARTIAL}}}
      const r = c.evaluate(partial)
      expect(r.outcome).toBe('inconclusive')
      expect(r.message).toContain('SSLv3')
    })
  }

  it('suite checks: an incomplete enumeration with nothing found is inconclusive', () => {
    const c = get('tls.cipher.rc4')
    const input = makeInput(c, emptyTls())
    expect(c.evaluate(input).outcome).toBe('not_applicable')
    const partial = {...input, observations: {...input.observations, 'tls.cipher-suites': {...input.observations['tls.cipher-suites']!, partial: PARTIAL}}}
    expect(c.evaluate(partial).outcome).toBe('inconclusive')
  })
})
