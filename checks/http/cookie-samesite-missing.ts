import type {Check} from '../../src/checks/types.js'
import {formatList, INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from './shared.js'

export const check: Check = judgesAdminSurface({
  id: 'http.cookie.samesite-missing',
  title: 'Session cookie without SameSite',
  family: 'http',
  description:
    'Fails when a session cookie is set without a SameSite attribute, or with SameSite=None: the browser ' +
    'sends it on cross-site requests, which lets another site drive the admin UI (cross-site request forgery).',
  remediation: 'Set SameSite=Strict (or Lax) on every session cookie of the admin UI.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: ['http', 'https'],
  reads: [P_HTTP_SURFACE],
  references: [REF.X1352_DATA, REF.CR_3_8, REF.cwe(1275)],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const session = s.cookies.filter((c) => c.session)
    const bad = session.filter((c) => !/^(?:strict|lax)$/i.test(c.sameSite))
    if (bad.length === 0) {
      return {outcome: 'pass', message: session.length ? `Every session cookie has SameSite Strict or Lax: ${formatList(session.map((c) => `${c.name} (${c.sameSite})`))}.` : 'No session cookie is set.'}
    }
    return {outcome: 'fail', message: `Session cookie(s) without SameSite=Strict/Lax: ${formatList(bad.map((c) => `${c.name} (${c.sameSite || 'no SameSite'})`))}.`}
  },
})
