import {describe, expect, it} from 'vitest'

import {
  atLeast,
  certLabel,
  formatList,
  signatureHash,
  wildcardMatch,
} from '../../checks/tls/shared.js'
import {cert, intermediate, root} from '../helpers/observations.js'

describe('wildcardMatch', () => {
  it('matches IANA names with * anywhere', () => {
    expect(wildcardMatch('TLS_*_CBC_*', 'TLS_RSA_WITH_AES_128_CBC_SHA')).toBe(true)
    expect(wildcardMatch('TLS_*_CBC_*', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')).toBe(false)
    expect(wildcardMatch('*', 'anything')).toBe(true)
    expect(wildcardMatch('TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256')).toBe(true)
    expect(wildcardMatch('TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256_X')).toBe(false)
  })
  it('is case-insensitive and treats regex characters literally', () => {
    expect(wildcardMatch('tls_*_gcm_*', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')).toBe(true)
    expect(wildcardMatch('TLS_.+', 'TLS_AES')).toBe(false)
    expect(wildcardMatch('TLS_(A|B)', 'TLS_(A|B)')).toBe(true)
  })
})

describe('formatList', () => {
  it('caps the list with "… and K more"', () => {
    expect(formatList(['a', 'b'])).toBe('a, b')
    expect(formatList(['a', 'b', 'c', 'd'], 2)).toBe('a, b … and 2 more')
    expect(formatList([])).toBe('(none)')
  })
})

describe('signatureHash', () => {
  it.each([
    ['sha256WithRSAEncryption', 'sha256'],
    ['sha1WithRSAEncryption', 'sha1'],
    ['md5WithRSAEncryption', 'md5'],
    ['md2WithRSAEncryption', 'md2'],
    ['ecdsa-with-SHA1', 'sha1'],
    ['ecdsa-with-SHA384', 'sha384'],
    ['dsa-with-sha256', 'sha256'],
    ['RSA-SHA512', 'sha512'],
    ['SHA-1', 'sha1'],
  ])('%s → %s', (alg, hash) => {
    expect(signatureHash(alg)).toBe(hash)
  })
  it('returns undefined when the name carries no hash', () => {
    expect(signatureHash('ED25519')).toBeUndefined()
    expect(signatureHash('RSASSA-PSS')).toBeUndefined()
  })
})

describe('atLeast', () => {
  it('keeps the more severe', () => {
    expect(atLeast('medium', 'high')).toBe('high')
    expect(atLeast('critical', 'high')).toBe('critical')
    expect(atLeast('info', 'info')).toBe('info')
  })
})

describe('certLabel', () => {
  it('names the role and CN', () => {
    expect(certLabel(cert(), 0)).toBe('leaf "gw.lab"')
    expect(certLabel(intermediate(), 1)).toBe('intermediate #1 "Lab Issuing CA"')
    expect(certLabel(root(), 2)).toBe('root "Lab Root CA"')
    expect(certLabel(cert({subject: 'O=No CN'}), 0)).toBe('leaf "O=No CN"')
  })
})
