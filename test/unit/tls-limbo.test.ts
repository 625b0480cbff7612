/**
 * x509-limbo (C2SP/x509-limbo, vendored in test/vendor/x509-limbo, see its SOURCE.md and LICENSE): path-validation
 * test vectors run against trust.ts (chain building, signatures, CA bit, pathLenConstraint, depth, cycles)
 * plus hostname.ts (expected_peer_name, RFC 9525) — a case succeeds when the chain is trusted AND the leaf
 * covers the peer name.
 *
 * trust.ts deliberately evaluates only some of RFC 5280 §6 (see its header). For each rule family it leaves
 * out, the cases that expect FAILURE only because of that rule are skipped with the reason below; the
 * SUCCESS cases of those families still run (we must never reject a valid chain).
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {matchesServiceIdentity} from '../../src/probes/tls/hostname.js'
import {verifyChain, type TrustOptions} from '../../src/probes/tls/trust.js'
import {parseCertificate, pemToDers} from '../../src/probes/tls/x509.js'

const LIMBO = fileURLToPath(new URL('../vendor/x509-limbo', import.meta.url))

interface Testcase {
  id: string
  description: string
  validation_kind: string
  trusted_certs: string[]
  untrusted_intermediates: string[]
  peer_certificate: string
  expected_result: 'SUCCESS' | 'FAILURE'
  expected_peer_name: {kind: 'DNS' | 'IP' | 'RFC822'; value: string} | null
  max_chain_depth: number | null
  extended_key_usage: string[] | null
}

/** Rule families trust.ts does not evaluate; FAILURE cases that hinge on them are skipped. */
const OUT_OF_SCOPE: {reason: string; match: (id: string) => boolean}[] = [
  {
    reason: 'validity dates are ignored by design (the expiry check reads notBefore/notAfter)',
    match: (id) => id.startsWith('rfc5280::validity::'),
  },
  {
    reason: 'extended key usage is not evaluated',
    match: (id) => id.startsWith('rfc5280::eku::') || id.startsWith('webpki::eku::'),
  },
  {
    reason: 'name constraints are not evaluated',
    match: (id) => id.startsWith('rfc5280::nc::') || id.startsWith('webpki::nc::'),
  },
  {
    reason: 'AKI/SKI presence and criticality rules are not evaluated (key ids only steer issuer matching)',
    match: (id) => id.startsWith('rfc5280::aki::') || id.startsWith('rfc5280::ski::') || id.startsWith('webpki::aki::'),
  },
  {
    reason: 'serial-number encoding rules are not evaluated',
    match: (id) => id.startsWith('rfc5280::serial::'),
  },
  {
    reason: 'unknown critical extensions are not evaluated',
    match: (id) => id.startsWith('rfc5280::unknown-critical-extension-'),
  },
  {
    reason: 'algorithm and key-size policy is judged by the signature-algorithm and key-size checks from CertificateInfo, not by trust',
    match: (id) => id.startsWith('webpki::forbidden-'),
  },
  {
    reason: 'certificate-profile rules (extension criticality, empty names, v3 only, EE key usage/basic constraints, AIA syntax, duplicate extensions, KU/BC consistency) are not evaluated',
    match: (id) =>
      [
        'rfc5280::ee-empty-issuer',
        'rfc5280::ca-empty-subject',
        'rfc5280::root-non-critical-basic-constraints',
        'rfc5280::root-inconsistent-ca-extensions',
        'rfc5280::leaf-ku-keycertsign',
        'rfc5280::ee-critical-aia-invalid',
        'rfc5280::duplicate-extensions',
        'rfc5280::san::noncritical-with-empty-subject',
        'webpki::san::san-critical-with-nonempty-subject',
        'webpki::malformed-aia',
        'webpki::ee-basicconstraints-ca',
        'webpki::v1-cert',
      ].includes(id),
  },
]

/** SUCCESS cases we knowingly reject, with why. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'rfc5280::nc::permitted-dn-match':
    'expects the DNS peer name "example.com" to be accepted for a leaf whose only SAN is a DirName: RFC 9525 matching (no CN, DNS-ID only) rejects it',
}

function load(): Testcase[] {
  const cases: Testcase[] = []
  // The data is vendored: a missing file is a broken checkout and fails below, it never skips the suite.
  const bundle = join(LIMBO, 'ddc40b47-2023-12-02', 'limbo.json')
  if (existsSync(bundle)) cases.push(...(JSON.parse(readFileSync(bundle, 'utf8')) as {testcases: Testcase[]}).testcases)
  const online = join(LIMBO, 'online')
  if (existsSync(online)) {
    for (const file of readdirSync(online).filter((f) => f.endsWith('.limbo.json')).sort()) {
      const tc = JSON.parse(readFileSync(join(online, file), 'utf8')) as Testcase
      cases.push({...tc, id: `${tc.id} (HEAD)`})
    }
  }
  return cases
}

function run(tc: Testcase): {ok: boolean; detail: string} {
  const leaf = pemToDers(tc.peer_certificate)[0]
  if (!leaf) return {ok: false, detail: 'no leaf'}
  const chain = [leaf, ...tc.untrusted_intermediates.flatMap(pemToDers)]
  const options: TrustOptions = {anchors: tc.trusted_certs, systemStore: false}
  if (tc.max_chain_depth !== null && tc.max_chain_depth !== undefined) options.maxIntermediates = tc.max_chain_depth
  const trust = verifyChain(chain, options)
  let nameOk = true
  if (tc.expected_peer_name) {
    try {
      nameOk = matchesServiceIdentity(parseCertificate(leaf), tc.expected_peer_name.value)
    } catch {
      nameOk = false
    }
  }
  return {ok: trust.trusted && nameOk, detail: `trusted=${trust.trusted} (${trust.error ?? '-'}) name=${nameOk}`}
}

const cases = load()

describe('x509-limbo', () => {
  const tally = {run: 0}

  it('the vendored suite is present (135 cases of 2023-12-02 + 14 online cases)', () => {
    expect(cases.length, `no x509-limbo cases under ${LIMBO}`).toBe(149)
  })

  for (const tc of cases) {
    const expectSuccess = tc.expected_result === 'SUCCESS'
    const outOfScope = OUT_OF_SCOPE.find((s) => s.match(tc.id.replace(/ \(HEAD\)$/, '')))
    const known = KNOWN_DIFFERENCES[tc.id]
    if (tc.validation_kind !== 'SERVER' || tc.expected_peer_name?.kind === 'RFC822') {
      it.skip(`${tc.id} — only SERVER validation with DNS/IP peer names applies to a TLS server scanner`, () => {})
      continue
    }
    if (known) {
      it.skip(`${tc.id} — ${known}`, () => {})
      continue
    }
    if (outOfScope && !expectSuccess) {
      it.skip(`${tc.id} — ${outOfScope.reason}`, () => {})
      continue
    }
    tally.run++
    it(`${tc.id}: ${tc.expected_result}`, () => {
      const {ok, detail} = run(tc)
      expect(ok, `${tc.id} expected ${tc.expected_result}, got ${detail}`).toBe(expectSuccess)
    })
  }

  it('runs a meaningful share of the suite', () => {
    expect(tally.run).toBeGreaterThanOrEqual(60)
  })
})
