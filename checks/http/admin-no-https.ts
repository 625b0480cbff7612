import type {Check} from '../../src/checks/types.js'
import {INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from './shared.js'

export const check: Check = judgesAdminSurface({
  id: 'http.admin.no-https',
  title: 'Admin UI on HTTP without redirect to HTTPS',
  family: 'http',
  description:
    'Fails when a plain-HTTP service serves an admin UI (a login form, an authentication challenge, an admin ' +
    'page) and `/` does not redirect to HTTPS on the same host. Administrators then log in and manage ' +
    'the device in cleartext. Not applicable when the HTTP service shows no admin UI.',
  remediation: 'Serve the admin UI only over HTTPS and answer every plain-HTTP request with a redirect to HTTPS (and HSTS there).',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['http'],
  reads: [P_HTTP_SURFACE],
  references: [REF.X1352_DATA, REF.EN_5_5_1, REF.CR_4_1, REF.cwe(319)],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    if (s.redirectsToHttps) return {outcome: 'pass', message: `/ over plain HTTP redirects to ${s.httpsRedirectTarget}.`}
    if (!s.adminUi) return {outcome: 'not_applicable', message: 'No admin UI found on this HTTP service (no login form, authentication challenge or admin page).'}
    const why = s.loginForms.some((f) => f.hasPassword) ? 'a login form' : s.authChallenges.length ? 'an authentication challenge' : 'an admin page'
    return {outcome: 'fail', message: `The admin UI (${why}) is served over plain HTTP and / does not redirect to HTTPS.`}
  },
})
