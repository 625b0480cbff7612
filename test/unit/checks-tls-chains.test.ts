/**
 * Every served certificate chain is judged (issue 11 item 10): a server with an RSA and an ECDSA certificate
 * fails a tls.cert.* check when either chain fails, and the message names the chain.
 */
import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {Check} from '../../src/checks/types.js'
import type {CertificateInfo, TlsServedChainData} from '../../src/probes/tls/types.js'
import {cert, intermediate, runCheck} from '../helpers/observations.js'

function get(id: string): Check {
  const c = checkById(id)
  if (!c) throw new Error(`no check ${id}`)
  return c
}

const ecLeaf = (o: Partial<CertificateInfo> = {}): CertificateInfo =>
  cert({keyType: 'EC', keyBits: 256, curve: 'P-256', subject: 'CN=gw-ec.lab,O=Lab', sha256: 'e'.repeat(64), ...o})

function served(rsa: CertificateInfo[], ec: CertificateInfo[], ecExtra: Partial<TlsServedChainData> = {}): {certificates: {chains: TlsServedChainData[]}} {
  const base = {hostnameMatch: true, matchedName: '192.0.2.10', trusted: true, source: 'TLSv1.2' as const}
  return {
    certificates: {
      chains: [
        {...base, keyType: 'RSA', chain: rsa},
        {...base, keyType: 'EC', chain: ec, ...ecExtra},
      ],
    },
  }
}

/** The EC chain breaks each check one way; the RSA chain stays good. */
const BAD_EC: Record<string, {ec: CertificateInfo[]; extra?: Partial<TlsServedChainData>}> = {
  'tls.cert.weak-signature': {ec: [ecLeaf({signatureAlgorithm: 'sha1WithRSAEncryption'}), intermediate()]},
  'tls.cert.expired': {ec: [ecLeaf({notAfter: '2026-05-01T00:00:00Z'}), intermediate()]},
  'tls.cert.not-yet-valid': {ec: [ecLeaf({notBefore: '2026-07-01T00:00:00Z'}), intermediate()]},
  'tls.cert.lifetime-excessive': {ec: [ecLeaf({notBefore: '2020-01-01T00:00:00Z', notAfter: '2030-01-01T00:00:00Z'}), intermediate()]},
  'tls.cert.weak-key': {ec: [ecLeaf({curve: 'secp192r1', keyBits: 192}), intermediate()]},
  'tls.cert.hostname-mismatch': {ec: [ecLeaf(), intermediate()], extra: {hostnameMatch: false}},
  'tls.cert.untrusted-chain': {ec: [ecLeaf()], extra: {trusted: false, trustError: 'unknown issuer'}},
}

describe('every served certificate chain is judged', () => {
  for (const [id, bad] of Object.entries(BAD_EC)) {
    it(`${id}: the failing ECDSA chain fails the check and is named`, () => {
      const r = runCheck(get(id), served([cert(), intermediate()], bad.ec, bad.extra))
      expect(r.outcome).toBe('fail')
      expect(r.message).toMatch(/^2 certificate chains served\. EC chain: /)
      expect(r.message).not.toMatch(/RSA chain:/)
    })
    it(`${id}: passes only when both chains pass`, () => {
      const r = runCheck(get(id), served([cert(), intermediate()], [ecLeaf(), intermediate()]))
      expect(r.outcome).toBe('pass')
      expect(r.message).toMatch(/RSA chain: .*EC chain: /)
    })
  }
})
