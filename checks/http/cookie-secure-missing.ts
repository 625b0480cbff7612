import type {Check} from '../../src/checks/types.js'
import {formatList, INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from './shared.js'

export const check: Check = judgesAdminSurface({
  id: 'http.cookie.secure-missing',
  title: 'Session cookie over HTTPS without Secure',
  family: 'http',
  description:
    'Fails when a session cookie (a name like sessionid, PHPSESSID, sid, token — the nmap http-cookie-flags ' +
    'patterns) is set over HTTPS without the Secure attribute (RFC 6265): the browser would also send it over ' +
    'plain HTTP, where it can be stolen.',
  remediation: 'Set the Secure attribute (better: the __Host- prefix) on every session cookie.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['https'],
  reads: [P_HTTP_SURFACE],
  references: [REF.X1352_DATA, REF.EN_5_5_1, REF.CR_3_8, REF.cwe(614), REF.RFC6265],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const session = s.cookies.filter((c) => c.session)
    const bad = session.filter((c) => !c.secure)
    const others = s.cookies.filter((c) => !c.session && !c.secure).map((c) => c.name)
    const note = others.length ? ` Other cookies without Secure (not judged): ${formatList(others)}.` : ''
    if (bad.length === 0) {
      return {outcome: 'pass', message: session.length ? `Every session cookie has Secure: ${formatList(session.map((c) => c.name))}.${note}` : `No session cookie is set.${note}`}
    }
    return {outcome: 'fail', message: `Session cookie(s) without Secure: ${formatList(bad.map((c) => `${c.name} (set by ${c.url})`))}.${note}`}
  },
})
