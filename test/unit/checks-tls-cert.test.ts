import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {Check} from '../../src/checks/types.js'
import {NOW, cert, emptyTls, intermediate, root, runCheck, runSpec} from '../helpers/observations.js'

function get(id: string): Check {
  const c = checkById(id)
  if (!c) throw new Error(`no check ${id}`)
  return c
}

const chain = (...certs: ReturnType<typeof cert>[]) => ({certificates: {chain: certs}})

describe('tls.cert.expired', () => {
  const c = get('tls.cert.expired')
  it('passes with a valid chain', () => {
    const r = runCheck(c)
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('2026-12-31')
  })
  it('fails naming the expired leaf and its date', () => {
    const r = runCheck(c, chain(cert({notAfter: '2026-05-01T00:00:00Z'}), intermediate()))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('leaf "gw.lab" expired 2026-05-01')
    expect(r.message).toContain('31 days ago')
  })
  it('fails on an expired intermediate', () => {
    const r = runCheck(c, chain(cert(), intermediate({notAfter: '2026-03-01T00:00:00Z'})))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('intermediate #1 "Lab Issuing CA"')
  })
  it('uses the injected clock', () => {
    expect(runCheck(c, {}, {now: new Date('2027-02-01T00:00:00Z')}).outcome).toBe('fail')
  })
  it('is inconclusive when a date cannot be read', () => {
    expect(runCheck(c, chain(cert({notAfter: 'garbage'}))).outcome).toBe('inconclusive')
  })
  it('is not applicable without a certificate', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cert.not-yet-valid', () => {
  const c = get('tls.cert.not-yet-valid')
  it('passes with a valid chain', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails naming the certificate and its notBefore', () => {
    const r = runCheck(c, chain(cert({notBefore: '2026-07-01T00:00:00Z'})))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('leaf "gw.lab" not valid before 2026-07-01T00:00:00.000Z')
  })
  it('is not applicable without a certificate', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cert.lifetime-excessive', () => {
  const c = get('tls.cert.lifetime-excessive')
  it('passes for a one-year leaf', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails naming the period and the profile maximum', () => {
    const r = runCheck(c, chain(cert({notBefore: '2020-01-01T00:00:00Z', notAfter: '2030-01-01T00:00:00Z'})))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('3653 days (2020-01-01 to 2030-01-01)')
    expect(r.message).toContain('825 days')
  })
  it('follows thresholds.maxCertLifetimeDays and looks at the leaf only', () => {
    expect(runCheck(c, {}, {thresholds: {maxCertLifetimeDays: 90}}).outcome).toBe('fail')
    // the intermediate's five-year validity is irrelevant
    expect(runCheck(c, {}, {thresholds: {maxCertLifetimeDays: 398}}).outcome).toBe('pass')
  })
  it('is not applicable without a certificate', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cert.weak-key', () => {
  const c = get('tls.cert.weak-key')
  it('passes with RSA 2048 and EC P-256', () => {
    const r = runCheck(c, chain(cert(), intermediate({keyType: 'EC', keyBits: 256, curve: 'P-256'})))
    expect(r.outcome).toBe('pass')
  })
  it('fails on RSA below minRsaBits', () => {
    const r = runCheck(c, chain(cert({keyBits: 1024})))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('leaf "gw.lab": RSA 1024 bits (minimum 2048)')
    expect(r.severity).toBeUndefined()
  })
  it('is critical below 1024 bits', () => {
    const r = runCheck(c, chain(cert({keyBits: 512})))
    expect(r.condition).toBe('rsa-below-1024')
    expect(c.conditions?.['rsa-below-1024']?.defaultSeverity).toBe('critical')
  })
  it('fails on non-approved curves, DSA, and keys in intermediates', () => {
    const r = runCheck(
      c,
      chain(
        cert({keyType: 'EC', keyBits: 256, curve: 'secp256k1'}),
        intermediate({keyType: 'DSA', keyBits: 2048}),
      ),
    )
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('EC on secp256k1')
    expect(r.message).toContain('intermediate #1 "Lab Issuing CA": DSA')
  })
  it('accepts curve aliases and applies minEcBits', () => {
    expect(runCheck(c, chain(cert({keyType: 'EC', keyBits: 256, curve: 'prime256v1'}))).outcome).toBe('pass')
    const r = runCheck(c, chain(cert({keyType: 'EC', keyBits: 256, curve: 'P-256'})), {thresholds: {minEcBits: 384}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('P-256 256 bits (minimum 384)')
  })
  it('passes EdDSA and checks a sent root too', () => {
    expect(runCheck(c, chain(cert({keyType: 'Ed25519', keyBits: 256}))).outcome).toBe('pass')
    expect(runCheck(c, chain(cert(), intermediate(), root({keyBits: 1024}))).outcome).toBe('fail')
  })
  it('is inconclusive when no key type is recognised', () => {
    expect(runCheck(c, chain(cert({keyType: 'unknown', keyBits: 0}))).outcome).toBe('inconclusive')
  })
  it('is not applicable without a certificate', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cert.weak-signature', () => {
  const c = get('tls.cert.weak-signature')
  it('passes with SHA-256 signatures', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails on SHA-1 at the check severity', () => {
    const r = runCheck(c, chain(cert({signatureAlgorithm: 'sha1WithRSAEncryption'}), intermediate()))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('leaf "gw.lab" signed with sha1WithRSAEncryption')
    expect(r.severity).toBeUndefined()
  })
  it('raises MD5 to high and checks intermediates', () => {
    const r = runCheck(c, chain(cert(), intermediate({signatureAlgorithm: 'md5WithRSAEncryption'})))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('intermediate #1 "Lab Issuing CA" signed with md5WithRSAEncryption')
    expect(r.condition).toBe('broken-hash')
  })
  it('recognises ECDSA/DSA SHA-1 names', () => {
    expect(runCheck(c, chain(cert({signatureAlgorithm: 'ecdsa-with-SHA1'}))).outcome).toBe('fail')
    expect(runCheck(c, chain(cert({signatureAlgorithm: 'ecdsa-with-SHA384'}))).outcome).toBe('pass')
  })
  it('ignores the self-signature of a root the server sent', () => {
    const r = runCheck(c, chain(cert(), intermediate(), root({signatureAlgorithm: 'sha1WithRSAEncryption'})))
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('Self-signed root not assessed')
  })
  it('still assesses a self-signed leaf', () => {
    const r = runCheck(c, chain(cert({selfSigned: true, signatureAlgorithm: 'md5WithRSAEncryption'})))
    expect(r.outcome).toBe('fail')
  })
  it('follows thresholds.weakSignatureHashes', () => {
    const r = runCheck(c, chain(cert({signatureAlgorithm: 'sha1WithRSAEncryption'})), {
      thresholds: {weakSignatureHashes: ['md5']},
    })
    expect(r.outcome).toBe('pass')
  })
  it('is not applicable without a certificate', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cert.hostname-mismatch', () => {
  const c = get('tls.cert.hostname-mismatch')
  it('passes when the name matches', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails naming the target and the SANs', () => {
    const r = runCheck(c, {certificates: {hostnameMatch: false, matchedName: '198.51.100.7'}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('198.51.100.7')
    expect(r.message).toContain('DNS:gw.lab, IP:192.0.2.10')
  })
  it('says when there is no SAN', () => {
    const r = runCheck(c, {certificates: {chain: [cert({san: []})], hostnameMatch: false, matchedName: 'gw.lab'}})
    expect(r.message).toContain('no subjectAltName')
  })
  it('is not applicable without a certificate', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.cert.untrusted-chain', () => {
  const c = get('tls.cert.untrusted-chain')
  const selfSigned = {
    certificates: {chain: [cert({selfSigned: true, issuer: 'CN=gw.lab,O=sg17scan lab'})], trusted: false, trustError: 'self-signed'},
  }
  it('passes when trusted', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails with the trust error', () => {
    const r = runCheck(c, {certificates: {trusted: false, trustError: 'unknown issuer'}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('unknown issuer')
    expect(r.severity).toBeUndefined()
  })
  it('fails at the check severity for self-signed by default', () => {
    const r = runCheck(c, selfSigned)
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('self-signed')
    expect(r.severity).toBeUndefined()
  })
  it('is info for self-signed when the profile allows it', () => {
    const r = runCheck(c, selfSigned, {thresholds: {allowSelfSigned: true}})
    expect(r.outcome).toBe('fail')
    expect(r.condition).toBe('self-signed-allowed')
  })
  it('keeps other trust errors at the check severity even when self-signed is allowed', () => {
    const r = runCheck(c, {certificates: {trusted: false, trustError: 'bad signature'}}, {thresholds: {allowSelfSigned: true}})
    expect(r.severity).toBeUndefined()
  })
  it('is not applicable without a certificate', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

it('NOW is the fixed test clock', () => {
  expect(NOW.toISOString()).toBe('2026-06-01T12:00:00.000Z')
})
