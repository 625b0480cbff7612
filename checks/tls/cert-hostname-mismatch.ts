import type {Check} from '../../src/checks/types.js'
import {P_CERTIFICATES, REF, TLS_SERVICE_PROTOCOLS, certLabel, formatList, evaluateEveryChain} from './shared.js'

export const check: Check = {
  id: 'tls.cert.hostname-mismatch',
  title: 'Certificate does not match the device name or address',
  family: 'tls',
  description:
    'Fails when the leaf certificate does not cover the DNS name or IP address used to reach the device ' +
    '(RFC 9525 matching; IP SANs for IP targets): clients cannot authenticate the device without ignoring errors.',
  remediation: 'Issue the device certificate with subjectAltName entries for every DNS name and IP address it is reached by.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_CERTIFICATES],
  references: [REF.X1352_AUTH, REF.EN_5_5_1, REF.CR_1_9, REF.cwe(297), REF.RFC9525, REF.RFC5280_SAN],
  evaluate(input) {
    return evaluateEveryChain(input, (certs) => {
      const data = certs
      const leaf = data.chain[0]
      if (leaf === undefined) return {outcome: 'not_applicable', message: 'The server sent no certificate.'}
      const target = data.matchedName || '(unknown target name)'
      if (data.hostnameMatch) {
        return {outcome: 'pass', message: `The ${certLabel(leaf, 0)} covers ${target}.`}
      }
      const sans = leaf.san.length > 0 ? `SANs: ${formatList(leaf.san)}` : 'no subjectAltName'
      return {
        outcome: 'fail',
        message: `The ${certLabel(leaf, 0)} does not cover ${target} (${sans}; subject ${leaf.subject || '(empty)'}).`,
      }
    })
  },
}
