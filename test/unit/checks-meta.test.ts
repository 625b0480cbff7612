import {describe, expect, it} from 'vitest'

import {ALL_CHECKS, checkById} from '../../checks/index.js'

// The TLS family's metadata rules; other families have theirs in checks-<family>.test.ts.
const TLS_CHECKS = ALL_CHECKS.filter((c) => c.family === 'tls')
import type {Check, CheckInput} from '../../src/checks/types.js'
import {FRAMEWORKS, OUTCOMES, SEVERITIES} from '../../src/evidence/types.js'
import {
  NOW,
  cert,
  emptyTls,
  goodTls,
  makeInput,
  observation,
  root,
  tls,
  type TlsSpec,
} from '../helpers/observations.js'

const TLS_PROBES = ['tls.protocols', 'tls.cipher-suites', 'tls.cipher-preference', 'tls.certificates', 'tls.key-exchange']

/** Checks whose §3 row (or absence of one) gives no CWE. */
const NO_CWE = new Set(['tls.kex.no-pq-hybrid', 'tls.cert.lifetime-excessive', 'tls.reneg.insecure', 'tls.ems.missing'])

const EXPECTED_SEVERITY: Record<string, string> = {
  'tls.protocol.sslv2-enabled': 'critical',
  'tls.protocol.sslv3-enabled': 'high',
  'tls.protocol.legacy-enabled': 'medium',
  'tls.protocol.tls12-missing': 'medium',
  'tls.protocol.policy': 'medium',
  'tls.cipher.null-or-export': 'critical',
  'tls.cipher.anon': 'high',
  'tls.cipher.rc4': 'high',
  'tls.cipher.weak': 'medium',
  'tls.cipher.no-forward-secrecy': 'low',
  'tls.cipher.policy': 'medium',
  'tls.cipher.cbc-without-etm': 'low',
  'tls.kex.weak-dh': 'medium',
  'tls.kex.weak-ec-group': 'medium',
  'tls.kex.no-pq-hybrid': 'info',
  'tls.compression-enabled': 'low',
  'tls.reneg.insecure': 'medium',
  'tls.ems.missing': 'low',
  'tls.cert.expired': 'high',
  'tls.cert.not-yet-valid': 'medium',
  'tls.cert.lifetime-excessive': 'low',
  'tls.cert.weak-key': 'high',
  'tls.cert.weak-signature': 'medium',
  'tls.cert.hostname-mismatch': 'medium',
  'tls.cert.untrusted-chain': 'medium',
}

/** A server that gets everything wrong. */
function badTls(): TlsSpec {
  return tls({
    protocols: ['SSLv2', 'SSLv3', 'TLSv1.0'],
    suites: {
      SSLv2: ['SSL_CK_RC4_128_EXPORT40_WITH_MD5', 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5'],
      SSLv3: ['TLS_RSA_WITH_RC4_128_SHA', 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
      'TLSv1.0': ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_NULL_SHA', 'TLS_UNKNOWN_THING'],
    },
    preference: {SSLv2: {serverOrder: null}, SSLv3: {serverOrder: true}, 'TLSv1.0': {serverOrder: true}},
    certificates: {
      chain: [
        cert({
          keyBits: 512,
          signatureAlgorithm: 'md5WithRSAEncryption',
          notBefore: '2010-01-01T00:00:00Z',
          notAfter: '2020-01-01T00:00:00Z',
          san: [],
        }),
        root({signatureAlgorithm: 'md5WithRSAEncryption', keyType: 'DSA', keyBits: 1024, notBefore: '2030-01-01T00:00:00Z'}),
      ],
      hostnameMatch: false,
      matchedName: '192.0.2.10',
      trusted: false,
      trustError: 'self-signed certificate in certificate chain',
      source: 'SSLv3',
    },
    keyExchange: {
      groups: ['secp160r1', 'ffdhe2048'],
      preferredGroup: 'secp160r1',
      dheBits: 512,
      compression: ['DEFLATE'],
      secureRenegotiation: false,
      extendedMasterSecret: false,
      encryptThenMac: false,
    },
  })
}

function onlyReads(check: Check, input: CheckInput): CheckInput {
  return {
    ...input,
    observations: Object.fromEntries(Object.entries(input.observations).filter(([k]) => check.reads.includes(k))),
  }
}

describe('check registry', () => {
  it('holds the 25 TLS checks among the others, sorted by id, ids unique', () => {
    const ids = ALL_CHECKS.map((c) => c.id)
    expect(ids).toEqual([...ids].sort())
    expect(new Set(ids).size).toBe(ids.length)
    expect(TLS_CHECKS.map((c) => c.id).sort()).toEqual(Object.keys(EXPECTED_SEVERITY).sort())
  })
  it('looks checks up by id', () => {
    for (const c of ALL_CHECKS) expect(checkById(c.id)).toBe(c)
    expect(checkById('tls.nope')).toBeUndefined()
  })
})

describe.each(TLS_CHECKS.map((c) => [c.id, c] as const))('%s', (id, check) => {
  it('has complete metadata', () => {
    expect(check.title.trim()).not.toBe('')
    expect(check.description.trim().length).toBeGreaterThan(20)
    expect(check.remediation.trim().length).toBeGreaterThan(10)
    expect(check.family).toBe('tls')
    expect(check.intrusive).toBe(false)
    expect([...check.protocols]).toEqual(['tls', 'https', 'mqtts'])
    expect(SEVERITIES).toContain(check.defaultSeverity)
    expect(check.defaultSeverity).toBe(EXPECTED_SEVERITY[id])
  })

  it('reads only TLS observation probes, without duplicates', () => {
    expect(check.reads.length).toBeGreaterThan(0)
    expect(new Set(check.reads).size).toBe(check.reads.length)
    for (const r of check.reads) expect(TLS_PROBES).toContain(r)
  })

  it('cites ITU-T first, a CWE where the mapping gives one, and no unverified clause', () => {
    expect(check.references[0]?.framework).toBe('ITU-T')
    for (const ref of check.references) {
      expect(FRAMEWORKS).toContain(ref.framework)
      expect(ref.id.trim()).not.toBe('')
      if (ref.framework === 'CWE') expect(ref.id).toMatch(/^CWE-\d+$/)
      if (ref.framework === 'RFC') expect(ref.id).toMatch(/^RFC \d+$/)
      if (ref.framework === 'IEC 62443-4-2') expect(ref.id).toMatch(/^CR \d+\.\d+$/)
      // X.1352 sub-clauses (8.x.y) and every X.509 clause are unverified in the mapping.
      if (ref.id === 'X.1352') expect(ref.clause).toMatch(/^§8\.[1-5]$/)
      if (ref.id === 'X.509') expect(ref.clause).toBeUndefined()
      if (ref.id === 'RFC 9155') expect(ref.clause).toBeUndefined()
    }
    // ITU-T, then ETSI EN 303 645, IEC 62443-4-2, CWE, RFC, NIST, BSI, Mozilla (the FRAMEWORKS order).
    const order = check.references.map((r) => FRAMEWORKS.indexOf(r.framework))
    expect(order).toEqual([...order].sort((a, b) => a - b))
    const cwe = check.references.filter((r) => r.framework === 'CWE')
    if (NO_CWE.has(id)) expect(cwe).toHaveLength(0)
    else expect(cwe.length).toBeGreaterThan(0)
    const keys = check.references.map((r) => `${r.framework}|${r.id}|${r.clause ?? ''}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('never throws on empty-but-valid data', () => {
    const r = check.evaluate(makeInput(check, emptyTls()))
    expect(OUTCOMES).toContain(r.outcome)
    expect(r.message.trim()).not.toBe('')
  })

  it('never throws on empty or malformed payloads', () => {
    for (const data of [{}, {chain: 'x', groups: 7, 'TLSv1.2': 'nope', dheBits: 'big'}]) {
      const input = makeInput(check, emptyTls())
      const observations = Object.fromEntries(TLS_PROBES.map((p) => [p, observation(p, data)]))
      const r = check.evaluate({...input, observations})
      expect(OUTCOMES).toContain(r.outcome)
      expect(r.message.trim()).not.toBe('')
    }
  })

  it('does not fail a well-configured server', () => {
    const r = check.evaluate(makeInput(check, goodTls()))
    expect(['pass', 'not_applicable']).toContain(r.outcome)
  })

  it('fails a badly configured server, naming something concrete', () => {
    const r = check.evaluate(makeInput(check, badTls(), {thresholds: {cipherSuites: {required: [], allowed: [], forbidden: ['*_RC4_*']}}}))
    expect(r.outcome).toBe('fail')
    expect(r.message.length).toBeGreaterThan(20)
    if (r.severity !== undefined) expect(SEVERITIES).toContain(r.severity)
  })

  it('reads nothing outside `reads`', () => {
    for (const spec of [goodTls(), badTls(), emptyTls()]) {
      const input = makeInput(check, spec)
      expect(check.evaluate(onlyReads(check, input))).toEqual(check.evaluate(input))
    }
  })

  it('is deterministic for a fixed clock', () => {
    const input = makeInput(check, badTls(), {now: NOW})
    expect(check.evaluate(input)).toEqual(check.evaluate(input))
  })
})
