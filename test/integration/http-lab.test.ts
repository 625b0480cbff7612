/**
 * The HTTP probe and checks against the lab's HTTP devices through the engine (scanDevices): webcam-http
 * fails what it was built to fail, secure-admin passes every HTTP check (and its TLS checks with the lab CA).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ALL_CHECKS} from '../../checks/index.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {scanDevices} from '../../src/index.js'
import {WEBCAM_PII} from '../../src/lab/devices/webcam-http.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {HttpExchangesData, HttpSurfaceData} from '../../src/probes/http/types.js'
import {deviceNamed, expectValidReport} from '../helpers/report.js'

let lab: RunningLab
let report: Report

beforeAll(async () => {
  lab = await startLab({devices: ['webcam-http', 'secure-admin']})
  report = await scanDevices(
    lab.devices.map((d) => ({name: d.name, targets: d.targets})),
    {caCertificates: [lab.caPem]},
  )
}, 60_000)

afterAll(async () => {
  await lab?.stop()
})

const HTTP_FAMILY = ALL_CHECKS.filter((c) => c.family === 'http' || c.id.startsWith('pii.http.') || c.id === 'svc.banner.version-disclosure').map((c) => c.id)

function outcomes(device: Device, scheme: 'http' | 'https'): Record<string, string> {
  return Object.fromEntries(
    device.findings.filter((f) => f.service.startsWith(`${scheme}://`) && HTTP_FAMILY.includes(f.check)).map((f) => [f.check, f.outcome]),
  )
}

function surfaceOf(device: Device, scheme: 'http' | 'https'): HttpSurfaceData {
  const o = device.observations.find((x) => x.probe === 'http.surface' && x.service.startsWith(`${scheme}://`))
  if (!o) throw new Error(`no http.surface for ${scheme}`)
  expect(o.error).toBeUndefined()
  return o.data as unknown as HttpSurfaceData
}

describe('HTTP lab devices', () => {
  it('writes a schema-valid report', () => {
    expectValidReport(report)
  })

  it('webcam-http fails every HTTP check it was built to fail', () => {
    const device = deviceNamed(report, 'webcam-http')
    expect(outcomes(device, 'http')).toEqual({
      'http.admin.no-https': 'fail',
      'http.cookie.httponly-missing': 'fail',
      'http.cookie.samesite-missing': 'fail',
      'http.headers.missing': 'fail',
      'http.unauth.sensitive-endpoint': 'fail',
      'pii.http.cleartext-credentials': 'fail',
      'pii.http.cleartext-personal-data': 'fail',
      'svc.banner.version-disclosure': 'fail',
    })
    expect(device.verdict).toBe('fail')
  })

  it('webcam-http: the surface names the login form, the cookie, the headers, the endpoint and the PII types', () => {
    const device = deviceNamed(report, 'webcam-http')
    const s = surfaceOf(device, 'http')
    expect(s.loginForms).toEqual([expect.objectContaining({pageScheme: 'http', actionScheme: 'http', method: 'POST', hasPassword: true})])
    expect(s.cookies).toEqual([expect.objectContaining({name: 'sessionid', secure: false, httpOnly: false, sameSite: '', session: true})])
    expect(s.server).toBe('Boa/0.94.14rc21')
    expect(s.redirectsToHttps).toBe(false)
    expect(s.sensitiveEndpoints.map((e) => [e.path, e.credentialFields])).toEqual([
      ['/api/v1/users', false],
      ['/cgi-bin/config.exp', true],
    ])
    expect(s.chainVerified).toBeNull()
    const unauth = device.findings.find((f) => f.check === 'http.unauth.sensitive-endpoint')!
    expect(unauth).toMatchObject({outcome: 'fail', severity: 'critical'})
    expect(unauth.message).toContain('credential fields in /cgi-bin/config.exp')
    expect(new Set(s.pii.map((h) => h.type))).toEqual(new Set(['email', 'phone', 'imei', 'mac', 'gps', 'person-name']))
    const pii = device.findings.find((f) => f.check === 'pii.http.cleartext-personal-data')!
    expect(pii.message).toMatch(/email ×1 at \/api\/v1\/users/)
    expect(pii.message).not.toContain(WEBCAM_PII.email)
  })

  it('webcam-http: the crawl follows links, decodes the gzip JSON, skips the logout link', () => {
    const device = deviceNamed(report, 'webcam-http')
    const o = device.observations.find((x) => x.probe === 'http.exchanges')!
    const d = o.data as unknown as HttpExchangesData
    const paths = d.exchanges.map((x) => new URL(x.url).pathname)
    expect(paths.slice(0, 4)).toEqual(['/', '/login.cgi', '/status.html', '/api/v1/users'])
    expect(paths).not.toContain('/logout.cgi')
    const config = d.exchanges.find((x) => x.url.endsWith('/cgi-bin/config.exp'))!
    expect(config).toMatchObject({status: 200, source: 'well-known', excerpt: null})
    const users = d.exchanges.find((x) => x.url.endsWith('/api/v1/users'))!
    expect(users).toMatchObject({status: 200, contentType: 'application/json', excerpt: null, truncated: false})
    expect(users.headers['content-encoding']).toBe('gzip')
    expect(users.bodySha256).toMatch(/^[0-9a-f]{64}$/)
    expect(d.exchanges.at(-1)!.source).toBe('baseline')
  })

  it('secure-admin passes every HTTP check on HTTPS and on its redirecting HTTP port', () => {
    const device = deviceNamed(report, 'secure-admin')
    expect(outcomes(device, 'https')).toEqual({
      'http.cookie.httponly-missing': 'pass',
      'http.cookie.samesite-missing': 'pass',
      'http.cookie.secure-missing': 'pass',
      'http.headers.missing': 'pass',
      'http.hsts.missing': 'pass',
      'http.unauth.sensitive-endpoint': 'pass',
      'pii.http.cleartext-credentials': 'pass',
      'svc.banner.version-disclosure': 'pass',
    })
    // The HTTP port only redirects: no HTML page to judge for headers, everything else passes.
    expect(outcomes(device, 'http')).toEqual({
      'http.admin.no-https': 'pass',
      'http.cookie.httponly-missing': 'pass',
      'http.cookie.samesite-missing': 'pass',
      'http.headers.missing': 'not_applicable',
      'http.unauth.sensitive-endpoint': 'pass',
      'pii.http.cleartext-credentials': 'pass',
      'pii.http.cleartext-personal-data': 'pass',
      'svc.banner.version-disclosure': 'pass',
    })
    const s = surfaceOf(device, 'http')
    expect(s.redirectsToHttps).toBe(true)
    expect(surfaceOf(device, 'https').hsts).toMatchObject({present: true, maxAge: 31536000, includeSubDomains: true})
    // The lab CA was given: the chain the pages were fetched over verified.
    expect(surfaceOf(device, 'https').chainVerified).toBe(true)
  })

  it('secure-admin: no finding above info fails, TLS included, and the device verdict is pass', () => {
    const device = deviceNamed(report, 'secure-admin')
    const failing = device.findings.filter((f) => (f.outcome === 'fail' || f.outcome === 'error') && f.severity !== 'info')
    expect(failing.map((f) => `${f.check}: ${f.message}`)).toEqual([])
    expect(device.findings.filter((f) => f.check.startsWith('tls.')).length).toBeGreaterThan(10)
    expect(device.verdict).toBe('pass')
  })
})
