import type {Check} from '../../src/checks/types.js'
import {P_CERTIFICATES, REF, TLS_SERVICE_PROTOCOLS, certLabel, isoDay, parseDate, evaluateEveryChain} from './shared.js'

const DAY_MS = 86_400_000

export const check: Check = {
  id: 'tls.cert.lifetime-excessive',
  title: 'Leaf certificate validity period too long',
  family: 'tls',
  description:
    'Fails when the leaf certificate\'s validity period (notAfter − notBefore) exceeds the profile maximum ' +
    '(thresholds.maxCertLifetimeDays): long-lived certificates keep a compromised key usable for years.',
  remediation: 'Issue leaf certificates with a validity period within the profile maximum and renew them automatically.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_CERTIFICATES],
  references: [REF.X1352_CRYPTO, REF.CR_1_8, REF.RFC5280_VALIDITY, REF.NIST_800_52, REF.MOZILLA],
  evaluate(input) {
    return evaluateEveryChain(input, (certs) => {
      const {chain} = certs
      const leaf = chain[0]
      if (leaf === undefined) return {outcome: 'not_applicable', message: 'The server sent no certificate.'}
      const max = input.thresholds.maxCertLifetimeDays
      const from = parseDate(leaf.notBefore)
      const to = parseDate(leaf.notAfter)
      if (from === undefined || to === undefined) {
        return {outcome: 'inconclusive', message: `The validity dates of the ${certLabel(leaf, 0)} could not be read.`}
      }
      const days = (to.getTime() - from.getTime()) / DAY_MS
      const shown = Number.isInteger(days) ? String(days) : days.toFixed(1)
      const period = `${shown} days (${isoDay(from)} to ${isoDay(to)})`
      if (days > max) {
        return {
          outcome: 'fail',
          message: `The ${certLabel(leaf, 0)} is valid for ${period}, above the profile maximum of ${max} days.`,
        }
      }
      return {outcome: 'pass', message: `The ${certLabel(leaf, 0)} is valid for ${period}, within ${max} days.`}
    })
  },
}
