import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {Check} from '../../src/checks/types.js'
import {emptyTls, runCheck, runSpec, tls} from '../helpers/observations.js'

function get(id: string): Check {
  const c = checkById(id)
  if (!c) throw new Error(`no check ${id}`)
  return c
}

describe('tls.protocol.sslv2-enabled', () => {
  const c = get('tls.protocol.sslv2-enabled')
  it('passes without SSLv2', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails when SSLv2 is accepted', () => {
    const r = runCheck(c, {protocols: ['SSLv2', 'TLSv1.2']})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('SSLv2')
  })
  it('is not applicable when no protocol is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.protocol.sslv3-enabled', () => {
  const c = get('tls.protocol.sslv3-enabled')
  it('passes without SSLv3', () => {
    expect(runCheck(c, {protocols: ['SSLv2', 'TLSv1.2']}).outcome).toBe('pass')
  })
  it('fails when SSLv3 is accepted', () => {
    const r = runCheck(c, {protocols: ['SSLv3', 'TLSv1.0']})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('SSLv3')
  })
  it('is not applicable when no protocol is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.protocol.legacy-enabled', () => {
  const c = get('tls.protocol.legacy-enabled')
  it('passes on TLS 1.2/1.3 only', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails naming each legacy version', () => {
    const r = runCheck(c, {protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLSv1.0, TLSv1.1')
  })
  it('names only the accepted legacy version', () => {
    const r = runCheck(c, {protocols: ['TLSv1.1', 'TLSv1.3']})
    expect(r.message).toContain('TLSv1.1')
    expect(r.message).not.toContain('TLSv1.0')
  })
  it('is not applicable when no protocol is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.protocol.tls12-missing', () => {
  const c = get('tls.protocol.tls12-missing')
  it('passes with TLS 1.2', () => {
    expect(runCheck(c, {protocols: ['TLSv1.0', 'TLSv1.2']}).outcome).toBe('pass')
  })
  it('passes with TLS 1.3 only', () => {
    expect(runCheck(c, {protocols: ['TLSv1.3']}).outcome).toBe('pass')
  })
  it('fails naming what is accepted instead', () => {
    const r = runCheck(c, {protocols: ['SSLv3', 'TLSv1.0']})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('SSLv3, TLSv1.0')
  })
  it('is not applicable when no protocol is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.protocol.policy', () => {
  const c = get('tls.protocol.policy')
  it('passes when every accepted protocol is allowed', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails naming the protocols outside the allow-list', () => {
    const r = runCheck(c, {}, {thresholds: {allowedProtocols: ['TLSv1.3']}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLSv1.2')
    expect(r.message).toContain('allowed: TLSv1.3')
  })
  it('is not applicable when the profile has no allow-list', () => {
    expect(runCheck(c, {}, {thresholds: {allowedProtocols: []}}).outcome).toBe('not_applicable')
  })
  it('is not applicable when no protocol is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cipher.null-or-export', () => {
  const c = get('tls.cipher.null-or-export')
  it('passes with AEAD suites', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails on NULL and export suites, naming them with their protocols', () => {
    const r = runCheck(c, {
      suites: {
        'TLSv1.0': ['TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
        'TLSv1.2': ['TLS_RSA_WITH_NULL_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
      },
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLS_RSA_EXPORT_WITH_RC4_40_MD5 (TLSv1.0)')
    expect(r.message).toContain('TLS_RSA_WITH_NULL_SHA256 (TLSv1.2)')
    expect(r.message).not.toContain('AES_128_CBC')
  })
  it('fails on single DES (56-bit, under 112)', () => {
    const r = runCheck(c, {suites: {'TLSv1.0': ['TLS_RSA_WITH_DES_CBC_SHA']}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLS_RSA_WITH_DES_CBC_SHA')
  })
  it('flags SSLv2 export kinds', () => {
    const r = runCheck(c, {suites: {SSLv2: ['SSL_CK_RC4_128_EXPORT40_WITH_MD5']}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('SSL_CK_RC4_128_EXPORT40_WITH_MD5 (SSLv2)')
  })
  it('is not applicable when no suite is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
  it('mentions unknown suite names without crashing', () => {
    const r = runCheck(c, {suites: {'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_MADE_UP_SUITE']}})
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('TLS_MADE_UP_SUITE')
  })
  it('is inconclusive when no suite can be classified', () => {
    const r = runCheck(c, {suites: {'TLSv1.2': ['TLS_MADE_UP_SUITE']}})
    expect(r.outcome).toBe('inconclusive')
    expect(r.message).toContain('TLS_MADE_UP_SUITE')
  })
})

describe('tls.cipher.anon', () => {
  const c = get('tls.cipher.anon')
  it('passes with authenticated suites', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails on DH_anon / ECDH_anon suites', () => {
    const r = runCheck(c, {
      suites: {'TLSv1.2': ['TLS_DH_anon_WITH_AES_128_CBC_SHA', 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA']},
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLS_DH_anon_WITH_AES_128_CBC_SHA')
    expect(r.message).toContain('TLS_ECDH_anon_WITH_AES_256_CBC_SHA')
    expect(r.message).toMatch(/^2 anonymous suites/)
  })
  it('is not applicable when no suite is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cipher.rc4', () => {
  const c = get('tls.cipher.rc4')
  it('passes without RC4', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails on RC4, listing each protocol once per suite', () => {
    const r = runCheck(c, {
      suites: {'TLSv1.0': ['TLS_RSA_WITH_RC4_128_SHA'], 'TLSv1.2': ['TLS_RSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA']},
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLS_RSA_WITH_RC4_128_SHA (TLSv1.0, TLSv1.2)')
    expect(r.message).toContain('TLS_ECDHE_RSA_WITH_RC4_128_SHA (TLSv1.2)')
  })
  it('is not applicable when no suite is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cipher.weak', () => {
  const c = get('tls.cipher.weak')
  it('passes with AES suites', () => {
    expect(runCheck(c, {suites: {'TLSv1.2': ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_SEED_CBC_SHA']}}).outcome).toBe(
      'pass',
    )
  })
  it('fails on 3DES and IDEA (64-bit block ciphers)', () => {
    const r = runCheck(c, {
      suites: {'TLSv1.2': ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_IDEA_CBC_SHA', 'TLS_RSA_WITH_AES_128_GCM_SHA256']},
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLS_RSA_WITH_3DES_EDE_CBC_SHA')
    expect(r.message).toContain('TLS_RSA_WITH_IDEA_CBC_SHA')
    expect(r.message).not.toContain('AES_128_GCM')
  })
  it('fails on SSLv2 triple-DES kinds', () => {
    const r = runCheck(c, {suites: {SSLv2: ['SSL_CK_DES_192_EDE3_CBC_WITH_MD5']}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('SSL_CK_DES_192_EDE3_CBC_WITH_MD5')
  })
  it('leaves RC4 and NULL suites to their own checks', () => {
    expect(runCheck(c, {suites: {'TLSv1.2': ['TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_NULL_SHA256']}}).outcome).toBe('pass')
  })
  it('is not applicable when no suite is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cipher.no-forward-secrecy', () => {
  const c = get('tls.cipher.no-forward-secrecy')
  it('passes when ECDHE/TLS 1.3 suites are accepted and preferred', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('passes but mentions non-FS suites accepted behind an FS preference', () => {
    const r = runCheck(c, {
      protocols: ['TLSv1.2'],
      suites: {'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256']},
      preference: {'TLSv1.2': {serverOrder: true}},
    })
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('TLS_RSA_WITH_AES_128_GCM_SHA256')
  })
  it('fails when no FS suite is accepted', () => {
    const r = runCheck(c, {
      protocols: ['TLSv1.2'],
      suites: {'TLSv1.2': ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384']},
      preference: {'TLSv1.2': {serverOrder: true}},
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('No forward-secret suite')
    expect(r.message).toContain('TLS_RSA_WITH_AES_256_GCM_SHA384')
  })
  it('fails when the server prefers a static-RSA suite on its best protocol', () => {
    const r = runCheck(c, {
      protocols: ['TLSv1.2'],
      suites: {'TLSv1.2': ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']},
      preference: {'TLSv1.2': {serverOrder: true}},
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('prefers the non-forward-secret suite TLS_RSA_WITH_AES_128_GCM_SHA256 on TLSv1.2')
  })
  it('does not treat the first suite as preferred when the client order wins', () => {
    const r = runCheck(c, {
      protocols: ['TLSv1.2'],
      suites: {'TLSv1.2': ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']},
      preference: {'TLSv1.2': {serverOrder: false}},
    })
    expect(r.outcome).toBe('pass')
  })
  it('looks at the best protocol only for preference', () => {
    const r = runCheck(c, {
      suites: {
        'TLSv1.0': ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
        'TLSv1.3': ['TLS_AES_128_GCM_SHA256'],
      },
      preference: {'TLSv1.0': {serverOrder: true}, 'TLSv1.3': {serverOrder: true}},
    })
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('TLS_RSA_WITH_AES_128_CBC_SHA (TLSv1.0)')
  })
  it('is not applicable when no suite is accepted', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cipher.policy', () => {
  const c = get('tls.cipher.policy')
  const policy = (p: Partial<{required: string[]; allowed: string[]; forbidden: string[]}>) => ({
    thresholds: {cipherSuites: {required: [], allowed: [], forbidden: [], ...p}},
  })
  it('is not applicable when the profile has no suite policy', () => {
    const r = runCheck(c)
    expect(r.outcome).toBe('not_applicable')
    expect(r.message).toContain('no cipher-suite policy')
  })
  it('passes when accepted suites match the policy', () => {
    const r = runCheck(
      c,
      {},
      policy({required: ['TLS_AES_128_GCM_SHA256'], allowed: ['TLS_ECDHE_*_GCM_*', 'TLS_AES_*', 'TLS_CHACHA20_*'], forbidden: ['*_CBC_*']}),
    )
    expect(r.outcome).toBe('pass')
  })
  it('fails naming missing required suites', () => {
    const r = runCheck(c, {}, policy({required: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256']}))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('required but not accepted: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256')
  })
  it('fails naming suites outside the allow-list', () => {
    const r = runCheck(c, {}, policy({allowed: ['TLS_AES_*', 'TLS_CHACHA20_*']}))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('accepted but not allowed')
    expect(r.message).toContain('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (TLSv1.2)')
    expect(r.message).not.toContain('TLS_AES_128_GCM_SHA256 (')
  })
  it('fails naming forbidden suites matched by wildcard', () => {
    const r = runCheck(
      c,
      {suites: {'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']}},
      policy({forbidden: ['TLS_*_CBC_*']}),
    )
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('forbidden but accepted: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (TLSv1.2)')
  })
  it('is not applicable when no suite is accepted', () => {
    expect(runSpec(c, emptyTls(), policy({forbidden: ['*']})).outcome).toBe('not_applicable')
  })
})

describe('tls.cipher.cbc-without-etm', () => {
  const c = get('tls.cipher.cbc-without-etm')
  const cbc = {'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256']}
  it('passes without CBC suites', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('passes when CBC is protected by encrypt_then_mac', () => {
    expect(runCheck(c, {suites: cbc, keyExchange: {encryptThenMac: true}}).outcome).toBe('pass')
  })
  it('fails naming CBC suites when EtM is not negotiated', () => {
    const r = runCheck(c, {suites: cbc, keyExchange: {encryptThenMac: false}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 (TLSv1.2)')
    expect(r.message).toContain('does not negotiate encrypt_then_mac')
  })
  it('fails (noting it was untested) when EtM is unknown', () => {
    const r = runCheck(c, {suites: cbc, keyExchange: {encryptThenMac: null}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('untested')
  })
  it('is not applicable on a TLS 1.3-only server', () => {
    const r = runCheck(c, {protocols: ['TLSv1.3'], suites: {'TLSv1.3': ['TLS_AES_128_GCM_SHA256']}})
    expect(r.outcome).toBe('not_applicable')
  })
})
