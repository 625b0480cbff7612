import type {Check} from '../../src/checks/types.js'
import {P_CERTIFICATES, REF, TLS_SERVICE_PROTOCOLS, certLabel, formatList, evaluateEveryChain} from './shared.js'

/** RSA keys below this size are factorable with public effort: the finding becomes critical (mapping §3.2). */
const CRITICAL_RSA_BITS = 1024

/** The curves CA/B BR §6.1.5 permits, with their common aliases. */
const CURVES: Record<string, string> = {
  'p-256': 'P-256',
  prime256v1: 'P-256',
  secp256r1: 'P-256',
  'p-384': 'P-384',
  secp384r1: 'P-384',
  'p-521': 'P-521',
  secp521r1: 'P-521',
}

export const check: Check = {
  id: 'tls.cert.weak-key',
  title: 'Weak certificate public key',
  family: 'tls',
  description:
    'Fails when any certificate the server sends has an RSA key below the profile minimum ' +
    '(thresholds.minRsaBits; critical below 1024 bits), an EC key not on P-256/P-384/P-521 or below ' +
    'thresholds.minEcBits, or a DSA key.',
  remediation: 'Generate a new key pair (RSA ≥ 2048 bits or ECDSA P-256/P-384) and reissue the certificate chain.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_CERTIFICATES],
  conditions: {'rsa-below-1024': {description: `an RSA key below ${CRITICAL_RSA_BITS} bits (factorable with public effort)`, defaultSeverity: 'critical'}},
  references: [
    REF.X1352_CRYPTO,
    REF.X1214_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_1_9,
    REF.CR_4_3,
    REF.cwe(326),
    REF.RFC9325_KEYS,
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
    REF.MOZILLA,
  ],
  evaluate(input) {
    return evaluateEveryChain(input, (certs) => {
      const {chain} = certs
      if (chain.length === 0) return {outcome: 'not_applicable', message: 'The server sent no certificate.'}
      const {minRsaBits, minEcBits} = input.thresholds
      const weak: string[] = []
      const unknown: string[] = []
      const ok: string[] = []
      let critical = false
      chain.forEach((cert, i) => {
        const label = certLabel(cert, i)
        switch (cert.keyType) {
          case 'RSA':
            if (cert.keyBits < minRsaBits) {
              weak.push(`${label}: RSA ${cert.keyBits} bits (minimum ${minRsaBits})`)
              if (cert.keyBits < CRITICAL_RSA_BITS) critical = true
            } else ok.push(`RSA ${cert.keyBits}`)
            break
          case 'EC': {
            const curve = cert.curve === undefined ? undefined : CURVES[cert.curve.toLowerCase()]
            if (curve === undefined) {
              weak.push(`${label}: EC on ${cert.curve ?? 'an unnamed curve'} (${cert.keyBits} bits), not P-256/P-384/P-521`)
            } else if (cert.keyBits < minEcBits) {
              weak.push(`${label}: EC ${curve} ${cert.keyBits} bits (minimum ${minEcBits})`)
            } else ok.push(`EC ${curve}`)
            break
          }
          case 'DSA':
            weak.push(`${label}: DSA ${cert.keyBits} bits (DSA is not permitted)`)
            break
          case 'Ed25519':
          case 'Ed448':
            ok.push(cert.keyType)
            break
          default:
            unknown.push(label)
        }
      })
      const note = unknown.length > 0 ? ` Key type not recognised on: ${formatList(unknown)}.` : ''
      if (weak.length > 0) {
        return {
          outcome: 'fail',
          message: `Weak certificate key(s): ${formatList(weak)}.${note}`,
          ...(critical ? {condition: 'rsa-below-1024'} : {}),
        }
      }
      if (ok.length === 0) {
        return {outcome: 'inconclusive', message: `No certificate key could be assessed.${note}`}
      }
      return {outcome: 'pass', message: `All certificate keys meet the policy (${formatList(ok)}).${note}`}
    })
  },
}
