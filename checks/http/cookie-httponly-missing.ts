import type {Check} from '../../src/checks/types.js'
import {formatList, INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from './shared.js'

export const check: Check = judgesAdminSurface({
  id: 'http.cookie.httponly-missing',
  title: 'Session cookie without HttpOnly',
  family: 'http',
  description:
    'Fails when a session cookie (nmap http-cookie-flags name patterns: sessionid, PHPSESSID, sid, token …) ' +
    'is set without the HttpOnly attribute (RFC 6265): script injected into the admin UI can read and steal it.',
  remediation: 'Set the HttpOnly attribute on every session cookie.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: ['http', 'https'],
  reads: [P_HTTP_SURFACE],
  references: [REF.X1352_DATA, REF.CR_3_8, REF.cwe(1004), REF.RFC6265],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const session = s.cookies.filter((c) => c.session)
    const bad = session.filter((c) => !c.httpOnly)
    if (bad.length === 0) {
      return {outcome: 'pass', message: session.length ? `Every session cookie has HttpOnly: ${formatList(session.map((c) => c.name))}.` : 'No session cookie is set.'}
    }
    return {outcome: 'fail', message: `Session cookie(s) without HttpOnly: ${formatList(bad.map((c) => `${c.name} (set by ${c.url})`))}.`}
  },
})
