import type {Check} from '../../src/checks/types.js'
import {formatList, INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from './shared.js'

export const check: Check = judgesAdminSurface({
  id: 'http.headers.missing',
  title: 'Basic security headers missing',
  family: 'http',
  description:
    'Fails (informational) when the root HTML page lacks any of Content-Security-Policy, X-Frame-Options, ' +
    'X-Content-Type-Options or Referrer-Policy, which limit script injection, clickjacking of the admin UI, ' +
    'MIME sniffing and URL leakage. Not applicable when the service serves no HTML root page (e.g. only redirects).',
  remediation:
    "Send Content-Security-Policy (at least default-src 'self'; frame-ancestors 'none'), X-Frame-Options: DENY, " +
    'X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer on every page.',
  defaultSeverity: 'info',
  intrusive: false,
  protocols: ['http', 'https'],
  reads: [P_HTTP_SURFACE],
  references: [REF.X1352_DATA, REF.CR_3_8, REF.cwe(693), REF.cwe(1021)],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const h = s.securityHeaders
    if (!h) return {outcome: 'not_applicable', message: 'The service serves no HTML root page to judge.'}
    if (h.missing.length === 0) return {outcome: 'pass', message: `${h.url} sends ${formatList(h.present)}.`}
    return {outcome: 'fail', message: `${h.url} lacks ${formatList(h.missing)}${h.present.length ? ` (present: ${formatList(h.present)})` : ''}.`}
  },
})
