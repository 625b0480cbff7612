import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import {judge} from '../../src/engine/judge.js'
import type {Observation} from '../../src/evidence/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {NOW, SERVICE, goodTls, observations, tls} from '../helpers/observations.js'

function selected(id: string) {
  const check = checkById(id)!
  return {check, severity: check.defaultSeverity, references: [...check.references]}
}

function withPartial(obs: Record<string, Observation>, probe: string): Observation[] {
  return Object.values(obs).map((o) => (o.probe === probe ? {...o, partial: {code: 'reset', message: 'TLSv1.0 enumeration reset twice', missing: ['TLSv1.0 cipher suites']}} : o))
}

describe('judge: partial observations never pass', () => {
  it('a pass read from a partial observation becomes inconclusive with the reason', () => {
    const f = judge(selected('tls.cipher.rc4'), SERVICE, withPartial(observations(goodTls()), 'tls.cipher-suites'), DEFAULT_THRESHOLDS, NOW)
    expect(f.outcome).toBe('inconclusive')
    expect(f.message).toContain('tls.cipher-suites is partial (reset: TLSv1.0 enumeration reset twice)')
  })

  it('a fail found in what a partial observation did show stands', () => {
    const spec = tls({protocols: ['TLSv1.0', 'TLSv1.2'], suites: {'TLSv1.0': ['TLS_RSA_WITH_RC4_128_SHA'], 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']}})
    const f = judge(selected('tls.cipher.rc4'), SERVICE, withPartial(observations(spec), 'tls.cipher-suites'), DEFAULT_THRESHOLDS, NOW)
    expect(f.outcome).toBe('fail')
  })

  it('a check that does not read the partial observation is judged as usual', () => {
    const f = judge(selected('tls.cert.expired'), SERVICE, withPartial(observations(goodTls()), 'tls.cipher-suites'), DEFAULT_THRESHOLDS, NOW)
    expect(f.outcome).toBe('pass')
  })
})
