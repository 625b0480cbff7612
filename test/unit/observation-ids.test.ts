import {describe, expect, it} from 'vitest'

import {toObservation} from '../../src/engine/run-unit.js'
import {observationId} from '../../src/evidence/ids.js'
import type {ProbeEmission} from '../../src/probes/types.js'

const service = {id: 'tls://192.0.2.10:443'}
const emission = (cert: string, over: Partial<ProbeEmission> = {}): ProbeEmission => ({
  probe: 'tls.certificates',
  data: {chain: [{subject: 'CN=device'}]},
  artifacts: [{kind: 'certificate', encoding: 'pem', content: cert}],
  ...over,
})

describe('observation ids bind the raw data', () => {
  it('a swapped certificate (same parsed data) changes the id', () => {
    const a = toObservation(service, emission('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), '2026-01-01T00:00:00.000Z')
    const b = toObservation(service, emission('-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n'), '2026-01-01T00:00:00.000Z')
    expect(a.data).toEqual(b.data)
    expect(a.id).not.toBe(b.id)
  })

  it('an artifact relabelled (kind or encoding) changes the id', () => {
    const a = toObservation(service, emission('x'), '2026-01-01T00:00:00.000Z')
    const b = toObservation(service, emission('x', {artifacts: [{kind: 'server-hello', encoding: 'pem', content: 'x'}]}), '2026-01-01T00:00:00.000Z')
    expect(a.id).not.toBe(b.id)
  })

  it('is recomputable from the stored observation, and the time of reading is not part of it', () => {
    const a = toObservation(service, emission('x'), '2026-01-01T00:00:00.000Z')
    const b = toObservation(service, emission('x'), '2026-06-01T00:00:00.000Z')
    expect(a.id).toBe(b.id)
    expect(observationId(a)).toBe(a.id)
    const partial = toObservation(service, emission('x', {partial: {code: 'budget', message: 'ran out'}}), '2026-01-01T00:00:00.000Z')
    expect(observationId(partial)).toBe(partial.id)
    expect(partial.id).not.toBe(a.id)
  })

  it('records when each emission was read when the probe says so; the unit start otherwise', () => {
    const unitStart = '2026-01-01T00:00:00.000Z'
    expect(toObservation(service, emission('x'), unitStart).collectedAt).toBe(unitStart)
    expect(toObservation(service, emission('x', {collectedAt: '2026-01-01T00:00:07.250Z'}), unitStart).collectedAt).toBe('2026-01-01T00:00:07.250Z')
  })
})
