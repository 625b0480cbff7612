import type {Check} from '../../src/checks/types.js'
import {P_CERTIFICATES, REF, TLS_SERVICE_PROTOCOLS, certLabel, formatList, isoDay, parseDate, evaluateEveryChain} from './shared.js'

export const check: Check = {
  id: 'tls.cert.not-yet-valid',
  title: 'Certificate not yet valid',
  family: 'tls',
  description:
    'Fails when the leaf or any other certificate the server sends has a notBefore date in the future, ' +
    'typically a device clock that was wrong when the certificate was generated.',
  remediation: 'Reissue the certificate with a correct notBefore date and make sure the device clock is set (NTP) before generating keys.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_CERTIFICATES],
  references: [REF.X509, REF.X1352_CRYPTO, REF.EN_5_5_1, REF.CR_1_8, REF.cwe(298), REF.RFC5280_VALIDITY],
  evaluate(input) {
    return evaluateEveryChain(input, (certs) => {
      const {chain} = certs
      if (chain.length === 0) return {outcome: 'not_applicable', message: 'The server sent no certificate.'}
      const now = input.now.getTime()
      const future: string[] = []
      const unreadable: string[] = []
      chain.forEach((cert, i) => {
        const notBefore = parseDate(cert.notBefore)
        if (notBefore === undefined) unreadable.push(certLabel(cert, i))
        else if (notBefore.getTime() > now) future.push(`${certLabel(cert, i)} not valid before ${notBefore.toISOString()}`)
      })
      const note = unreadable.length > 0 ? ` Unreadable notBefore on: ${formatList(unreadable)}.` : ''
      if (future.length > 0) return {outcome: 'fail', message: `${formatList(future)}.${note}`}
      if (unreadable.length > 0) return {outcome: 'inconclusive', message: `No not-yet-valid certificate found.${note}`}
      const leafStart = parseDate(chain[0]?.notBefore ?? '')
      return {
        outcome: 'pass',
        message: `Every certificate in the chain is already valid${leafStart ? ` (leaf since ${isoDay(leafStart)})` : ''}.`,
      }
    })
  },
}
