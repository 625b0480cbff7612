import type {Check} from '../../src/checks/types.js'
import {P_CERTIFICATES, REF, TLS_SERVICE_PROTOCOLS, certLabel, evaluateEveryChain} from './shared.js'

export const check: Check = {
  id: 'tls.cert.untrusted-chain',
  title: 'Certificate chain not trusted',
  family: 'tls',
  description:
    'Fails when the certificate chain does not validate to a trust anchor (system store or --ca), e.g. a ' +
    'self-signed certificate or an unknown issuer: clients cannot authenticate the device. When the profile ' +
    'allows self-signed certificates (thresholds.allowSelfSigned) a self-signed chain is reported as info.',
  remediation: 'Install a certificate issued by a CA the device\'s clients trust (or provision the device-local CA to them).',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_CERTIFICATES],
  conditions: {'self-signed-allowed': {description: 'a self-signed chain on a profile with thresholds.allowSelfSigned', defaultSeverity: 'info'}},
  references: [REF.X509, REF.EN_5_5_1, REF.CR_1_8, REF.cwe(295), REF.cwe(296), REF.RFC5280_PATH],
  evaluate(input) {
    return evaluateEveryChain(input, (certs) => {
      const data = certs
      const leaf = data.chain[0]
      if (leaf === undefined) return {outcome: 'not_applicable', message: 'The server sent no certificate.'}
      if (data.trusted) {
        return {outcome: 'pass', message: `The chain of the ${certLabel(leaf, 0)} validates to a trust anchor.`}
      }
      const reason = data.trustError ?? 'no reason given'
      const selfSigned =
        /self[- ]?signed/i.test(reason) || (data.trustError === undefined && data.chain.length === 1 && leaf.selfSigned)
      const message = `The chain of the ${certLabel(leaf, 0)} is not trusted: ${reason}.`
      if (selfSigned && input.thresholds.allowSelfSigned) {
        return {outcome: 'fail', condition: 'self-signed-allowed', message: `${message} The profile allows self-signed certificates.`}
      }
      return {outcome: 'fail', message}
    })
  },
}
