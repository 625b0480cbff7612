import type {Check} from '../../src/checks/types.js'
import {
  P_CERTIFICATES,
  REF,
  TLS_SERVICE_PROTOCOLS,
  certLabel,
  formatList,
  normaliseHashName,
  evaluateEveryChain,
  signatureHash,
} from './shared.js'

/** Hashes with practical collision attacks: a signature with them is raised to high (mapping §3.2). */
const BROKEN_HASHES = new Set(['md2', 'md4', 'md5'])

export const check: Check = {
  id: 'tls.cert.weak-signature',
  title: 'Certificate signed with a weak hash',
  family: 'tls',
  description:
    'Fails when the leaf or an intermediate certificate is signed with a hash the profile lists as weak ' +
    '(thresholds.weakSignatureHashes; MD5 is high, SHA-1 medium): collisions allow forged certificates. A ' +
    'self-signed root sent by the server is not assessed because its self-signature is not relied on.',
  remediation: 'Reissue the certificate chain with SHA-256 (or stronger) signatures.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_CERTIFICATES],
  conditions: {'broken-hash': {description: 'signed with MD2, MD4 or MD5 (practical collisions)', defaultSeverity: 'high'}},
  references: [
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_1_9,
    REF.cwe(328),
    REF.cwe(327),
    REF.RFC9155,
    REF.MOZILLA,
  ],
  evaluate(input) {
    return evaluateEveryChain(input, (certs) => {
      const {chain} = certs
      if (chain.length === 0) return {outcome: 'not_applicable', message: 'The server sent no certificate.'}
      const weakHashes = new Set(input.thresholds.weakSignatureHashes.map(normaliseHashName))
      const weak: string[] = []
      const skipped: string[] = []
      let broken = false
      chain.forEach((cert, i) => {
        if (i > 0 && cert.selfSigned) {
          skipped.push(certLabel(cert, i))
          return
        }
        const hash = signatureHash(cert.signatureAlgorithm)
        if (hash !== undefined && weakHashes.has(hash)) {
          weak.push(`${certLabel(cert, i)} signed with ${cert.signatureAlgorithm}`)
          if (BROKEN_HASHES.has(hash)) broken = true
        }
      })
      const note = skipped.length > 0 ? ` Self-signed root not assessed: ${formatList(skipped)}.` : ''
      if (weak.length > 0) {
        return {
          outcome: 'fail',
          message: `Weak signature hash: ${formatList(weak)}.${note}`,
          ...(broken ? {condition: 'broken-hash'} : {}),
        }
      }
      const algs = [...new Set(chain.filter((c, i) => !(i > 0 && c.selfSigned)).map((c) => c.signatureAlgorithm || '?'))]
      return {outcome: 'pass', message: `No weak signature hash on leaf or intermediates (${formatList(algs)}).${note}`}
    })
  },
}
