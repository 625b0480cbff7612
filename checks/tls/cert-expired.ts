import type {Check} from '../../src/checks/types.js'
import {P_CERTIFICATES, REF, TLS_SERVICE_PROTOCOLS, certLabel, formatList, isoDay, parseDate, evaluateEveryChain} from './shared.js'

const DAY_MS = 86_400_000

export const check: Check = {
  id: 'tls.cert.expired',
  title: 'Certificate expired',
  family: 'tls',
  description:
    'Fails when the leaf or any other certificate the server sends has a notAfter date in the past: ' +
    'clients either reject the connection or are trained to click through certificate warnings.',
  remediation: 'Install a currently valid certificate (and intermediates) and automate renewal before notAfter.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_CERTIFICATES],
  references: [
    REF.X509,
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_1_8,
    REF.CR_1_9,
    REF.cwe(298),
    REF.RFC5280_VALIDITY,
  ],
  evaluate(input) {
    return evaluateEveryChain(input, (certs) => {
      const {chain} = certs
      if (chain.length === 0) return {outcome: 'not_applicable', message: 'The server sent no certificate.'}
      const now = input.now.getTime()
      const expired: string[] = []
      const unreadable: string[] = []
      chain.forEach((cert, i) => {
        const notAfter = parseDate(cert.notAfter)
        if (notAfter === undefined) unreadable.push(certLabel(cert, i))
        else if (notAfter.getTime() < now) {
          const days = Math.floor((now - notAfter.getTime()) / DAY_MS)
          expired.push(`${certLabel(cert, i)} expired ${isoDay(notAfter)} (${days} days ago)`)
        }
      })
      const note = unreadable.length > 0 ? ` Unreadable notAfter on: ${formatList(unreadable)}.` : ''
      if (expired.length > 0) return {outcome: 'fail', message: `${formatList(expired)}.${note}`}
      if (unreadable.length > 0) return {outcome: 'inconclusive', message: `No expired certificate found.${note}`}
      const leafEnd = parseDate(chain[0]?.notAfter ?? '')
      return {
        outcome: 'pass',
        message: `No certificate in the chain has expired${leafEnd ? ` (leaf valid until ${isoDay(leafEnd)})` : ''}.`,
      }
    })
  },
}
