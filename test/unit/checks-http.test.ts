/** HTTP and PII-over-HTTP checks on hand-made `http.surface` observations. */
import {describe, expect, it} from 'vitest'

import {ALL_CHECKS, checkById} from '../../checks/index.js'
import {check as adminNoHttps} from '../../checks/http/admin-no-https.js'
import {check as httpOnlyMissing} from '../../checks/http/cookie-httponly-missing.js'
import {check as sameSiteMissing} from '../../checks/http/cookie-samesite-missing.js'
import {check as secureMissing} from '../../checks/http/cookie-secure-missing.js'
import {check as headersMissing} from '../../checks/http/headers-missing.js'
import {check as hstsMissing} from '../../checks/http/hsts-missing.js'
import {check as unauthSensitive} from '../../checks/http/unauth-sensitive-endpoint.js'
import {check as cleartextCredentials} from '../../checks/pii/http-cleartext-credentials.js'
import {check as cleartextPersonalData} from '../../checks/pii/http-cleartext-personal-data.js'
import {check as versionDisclosure} from '../../checks/svc/banner-version-disclosure.js'
import type {Check, CheckResult} from '../../src/checks/types.js'
import {FRAMEWORKS, type Observation, type Service} from '../../src/evidence/types.js'
import {P_HTTP_SURFACE, type HttpSurfaceData} from '../../src/probes/http/types.js'
import {DEFAULT_THRESHOLDS, type Thresholds} from '../../src/profiles/thresholds.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const HTTP: Service = {id: 'http://192.0.2.30:80', protocol: 'http', host: '192.0.2.30', port: 80, transport: 'tcp'}
const HTTPS: Service = {id: 'https://192.0.2.30:443', protocol: 'https', host: '192.0.2.30', port: 443, transport: 'tcp'}

/** A well-configured HTTPS admin surface; tests override what they exercise. */
function good(overrides: Partial<HttpSurfaceData> = {}): HttpSurfaceData {
  return {
    scheme: 'https',
    rootReachable: true,
    adminUi: true,
    loginForms: [{pageUrl: 'https://192.0.2.30/login', pageScheme: 'https', action: 'https://192.0.2.30/login', actionScheme: 'https', method: 'POST', hasPassword: true}],
    authChallenges: [],
    redirectsToHttps: false,
    httpsRedirectTarget: '',
    hsts: {url: 'https://192.0.2.30/login', present: true, maxAge: 31536000, includeSubDomains: true, raw: 'max-age=31536000; includeSubDomains'},
    cookies: [{name: '__Host-sessionid', url: 'https://192.0.2.30/login', urlScheme: 'https', secure: true, httpOnly: true, sameSite: 'Strict', session: true}],
    server: 'secure-admin',
    poweredBy: '',
    securityHeaders: {url: 'https://192.0.2.30/login', present: ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'], missing: []},
    sensitiveEndpoints: [],
    pii: [],
    chainVerified: true,
    ...overrides,
  }
}

function run(check: Check, data: object, service: Service = HTTPS, thresholds: Partial<Thresholds> = {}): CheckResult {
  const o: Observation = {id: 'obs-surface', service: service.id, probe: P_HTTP_SURFACE, collectedAt: NOW.toISOString(), data: data as Record<string, unknown>, artifacts: []}
  return check.evaluate({service, observations: {[P_HTTP_SURFACE]: o}, thresholds: {...DEFAULT_THRESHOLDS, ...thresholds}, now: NOW, severity: check.defaultSeverity})
}

const HTTP_CHECKS = [adminNoHttps, httpOnlyMissing, sameSiteMissing, secureMissing, headersMissing, hstsMissing, unauthSensitive, cleartextCredentials, cleartextPersonalData]

describe('metadata', () => {
  it('registers every HTTP check with references from known frameworks and a CWE', () => {
    for (const c of HTTP_CHECKS) {
      expect(checkById(c.id)).toBe(c)
      expect(ALL_CHECKS).toContain(c)
      expect(c.reads).toEqual([P_HTTP_SURFACE])
      expect(c.intrusive).toBe(false)
      for (const r of c.references) expect(FRAMEWORKS).toContain(r.framework)
      expect(c.references.some((r) => r.framework === 'CWE')).toBe(true)
      expect(c.references.some((r) => r.framework === 'ITU-T')).toBe(true)
    }
  })

  it('uses the §3.7 severities', () => {
    expect(Object.fromEntries(HTTP_CHECKS.map((c) => [c.id, c.defaultSeverity]))).toEqual({
      'http.admin.no-https': 'medium',
      'http.cookie.httponly-missing': 'low',
      'http.cookie.samesite-missing': 'low',
      'http.cookie.secure-missing': 'medium',
      'http.headers.missing': 'info',
      'http.hsts.missing': 'low',
      'http.unauth.sensitive-endpoint': 'high',
      'pii.http.cleartext-credentials': 'high',
      'pii.http.cleartext-personal-data': 'medium',
    })
  })

  it('svc.banner.version-disclosure now reads http.surface for HTTP and HTTPS', () => {
    expect(versionDisclosure.protocols).toEqual(expect.arrayContaining(['http', 'https', 'ssh', 'telnet', 'ftp']))
    expect(versionDisclosure.reads).toContain(P_HTTP_SURFACE)
  })
})

describe('a well-configured HTTPS admin passes every check', () => {
  it.each(HTTP_CHECKS.filter((c) => c.protocols.includes('https')).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(run(c, good()).outcome).toBe('pass')
  })

  it('an invalid payload is inconclusive, never a pass', () => {
    for (const c of HTTP_CHECKS) expect(run(c, {}).outcome, c.id).toBe('inconclusive')
  })
})

describe('pii.http.cleartext-credentials', () => {
  it('fails on a password form served over HTTP', () => {
    const r = run(cleartextCredentials, good({scheme: 'http', loginForms: [{pageUrl: 'http://192.0.2.30/', pageScheme: 'http', action: 'http://192.0.2.30/login.cgi', actionScheme: 'http', method: 'POST', hasPassword: true}]}), HTTP)
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('http://192.0.2.30/login.cgi')
    expect(r.severity).toBeUndefined()
  })

  it('fails on an HTTPS page posting to HTTP', () => {
    const r = run(cleartextCredentials, good({loginForms: [{...good().loginForms[0]!, action: 'http://192.0.2.30/auth', actionScheme: 'http'}]}))
    expect(r.outcome).toBe('fail')
    expect(r.message).toMatch(/posts to http:/)
  })

  it('fails on Basic over HTTP (high) and Digest over HTTP (medium); ignores a password-less form', () => {
    const basic = run(cleartextCredentials, good({scheme: 'http', loginForms: [], authChallenges: [{url: 'http://192.0.2.30/', scheme: 'Basic', realm: 'cam', urlScheme: 'http'}]}), HTTP)
    expect(basic.outcome).toBe('fail')
    expect(basic.message).toContain('realm "cam"')
    const digest = run(cleartextCredentials, good({scheme: 'http', loginForms: [], authChallenges: [{url: 'http://192.0.2.30/', scheme: 'Digest', realm: 'cam', urlScheme: 'http'}]}), HTTP)
    expect(digest).toMatchObject({outcome: 'fail', condition: 'digest-only'})
    expect(digest.severity).toBeUndefined()
    const search = run(cleartextCredentials, good({scheme: 'http', loginForms: [{...good().loginForms[0]!, pageScheme: 'http', actionScheme: 'http', hasPassword: false}]}), HTTP)
    expect(search.outcome).toBe('pass')
  })

  it('passes Basic over HTTPS', () => {
    expect(run(cleartextCredentials, good({authChallenges: [{url: 'https://192.0.2.30/', scheme: 'Basic', realm: 'r', urlScheme: 'https'}]})).outcome).toBe('pass')
  })
})

describe('pii.http.cleartext-personal-data and http.unauth.sensitive-endpoint', () => {
  const hits: HttpSurfaceData['pii'] = [
    {url: 'http://192.0.2.30/api/v1/users', urlScheme: 'http', type: 'email', count: 2, location: '/api/v1/users', samples: ['r***@e***.org']},
    {url: 'http://192.0.2.30/api/v1/users', urlScheme: 'http', type: 'gps', count: 1, location: '/api/v1/users', samples: ['5*.*****']},
  ]

  it('fails with types, counts, locations and redacted samples; high when location data is among them', () => {
    const r = run(cleartextPersonalData, good({scheme: 'http', pii: hits}), HTTP)
    expect(r.outcome).toBe('fail')
    expect(r.condition).toBe('location-or-device-id')
    expect(r.severity).toBeUndefined()
    expect(r.message).toContain('email ×2 at /api/v1/users (r***@e***.org)')
    const emailOnly = run(cleartextPersonalData, good({scheme: 'http', pii: hits.slice(0, 1)}), HTTP)
    expect(emailOnly.severity).toBeUndefined()
  })

  it('personal data without authentication over HTTPS fails the unauth check', () => {
    const r = run(unauthSensitive, good({pii: [{...hits[0]!, urlScheme: 'https', url: 'https://192.0.2.30/api/v1/users'}]}))
    expect(r.outcome).toBe('fail')
    expect(r.message).toMatch(/personal data without authentication/)
  })

  it('a sensitive well-known path answering 2xx fails; critical when it names credential fields', () => {
    const endpoint = {url: 'https://192.0.2.30/backup.cfg', path: '/backup.cfg', status: 200, kind: 'config', why: 'configuration backup', contentType: 'text/plain', credentialFields: false}
    const r = run(unauthSensitive, good({sensitiveEndpoints: [endpoint]}))
    expect(r.outcome).toBe('fail')
    expect(r.severity).toBeUndefined()
    expect(r.message).toContain('/backup.cfg (200, config')
    const withCredentials = run(unauthSensitive, good({sensitiveEndpoints: [{...endpoint, credentialFields: true}]}))
    expect(withCredentials).toMatchObject({outcome: 'fail', condition: 'credential-fields'})
    expect(withCredentials.severity).toBeUndefined()
    expect(withCredentials.message).toContain('credential fields in /backup.cfg')
  })
})

describe('http.admin.no-https', () => {
  it('passes a redirect to HTTPS, fails an admin UI without one, is not applicable without admin UI', () => {
    expect(run(adminNoHttps, good({scheme: 'http', redirectsToHttps: true, httpsRedirectTarget: 'https://192.0.2.30/'}), HTTP).outcome).toBe('pass')
    expect(run(adminNoHttps, good({scheme: 'http'}), HTTP)).toMatchObject({outcome: 'fail'})
    expect(run(adminNoHttps, good({scheme: 'http', adminUi: false, loginForms: []}), HTTP).outcome).toBe('not_applicable')
  })
})

describe('http.hsts.missing', () => {
  it('fails when absent, without max-age, or below the threshold; the threshold comes from the profile', () => {
    expect(run(hstsMissing, good({hsts: {url: 'u', present: false, maxAge: null, includeSubDomains: false, raw: ''}})).outcome).toBe('fail')
    expect(run(hstsMissing, good({hsts: {url: 'u', present: true, maxAge: null, includeSubDomains: false, raw: 'x'}})).outcome).toBe('fail')
    const short = good({hsts: {url: 'u', present: true, maxAge: 86400, includeSubDomains: false, raw: 'max-age=86400'}})
    expect(run(hstsMissing, short).message).toContain('below the profile minimum 15552000')
    expect(run(hstsMissing, short, HTTPS, {minHstsMaxAge: 3600}).outcome).toBe('pass')
    expect(run(hstsMissing, good({hsts: null})).outcome).toBe('inconclusive')
  })
})

describe('cookie checks', () => {
  const weak = good({
    cookies: [
      {name: 'sessionid', url: 'https://192.0.2.30/', urlScheme: 'https', secure: false, httpOnly: false, sameSite: '', session: true},
      {name: 'lang', url: 'https://192.0.2.30/', urlScheme: 'https', secure: false, httpOnly: false, sameSite: '', session: false},
    ],
  })

  it('fail on the session cookie only, naming it; other cookies are mentioned, not judged', () => {
    const s = run(secureMissing, weak)
    expect(s.outcome).toBe('fail')
    expect(s.message).toContain('sessionid')
    expect(s.message).toContain('not judged): lang')
    expect(run(httpOnlyMissing, weak).outcome).toBe('fail')
    expect(run(sameSiteMissing, weak).outcome).toBe('fail')
    const onlyLang = good({cookies: weak.cookies.slice(1)})
    for (const c of [secureMissing, httpOnlyMissing, sameSiteMissing]) expect(run(c, onlyLang).outcome).toBe('pass')
  })

  it('SameSite=None counts as missing', () => {
    expect(run(sameSiteMissing, good({cookies: [{...good().cookies[0]!, sameSite: 'None'}]})).outcome).toBe('fail')
  })
})

describe('http.headers.missing and version disclosure', () => {
  it('lists missing security headers; not applicable without an HTML root page', () => {
    const r = run(headersMissing, good({securityHeaders: {url: 'u', present: ['x-frame-options'], missing: ['content-security-policy', 'referrer-policy']}}))
    expect(r).toMatchObject({outcome: 'fail'})
    expect(r.message).toContain('lacks content-security-policy, referrer-policy')
    expect(run(headersMissing, good({securityHeaders: null})).outcome).toBe('not_applicable')
  })

  it('fails on a versioned Server or X-Powered-By header, passes a bare product name', () => {
    const r = run(versionDisclosure, good({server: 'lighttpd/1.4.59', poweredBy: 'PHP/7.4.3'}))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('lighttpd 1.4.59')
    expect(r.message).toContain('PHP 7.4.3')
    expect(run(versionDisclosure, good({server: 'nginx'})).outcome).toBe('pass')
    expect(run(versionDisclosure, good({server: '', poweredBy: ''}), HTTP).outcome).toBe('pass')
  })
})
