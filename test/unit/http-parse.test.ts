/** Unit tests of the HTTP probe's pure parts: cookies, headers, HTML forms/links/title, URL and text masking. */
import {describe, expect, it} from 'vitest'

import {isSessionCookieName, parseSetCookie, redactCookieHeader, redactSetCookie} from '../../src/probes/http/cookies.js'
import {extractForms, extractLinks, extractTitle} from '../../src/probes/http/forms.js'
import {evidenceHeaders, parseChallenges, parseHsts, redactChallenge} from '../../src/probes/http/headers.js'
import {makeExcerpt, maskText, redactUrl} from '../../src/probes/http/redact.js'

describe('Set-Cookie parsing', () => {
  it('reads name and flags, case-insensitively, without keeping the value', () => {
    const c = parseSetCookie('SESSIONID=abc123secret; path=/; secure; HTTPONLY; SameSite=Lax')!
    expect(c).toMatchObject({name: 'SESSIONID', secure: true, httpOnly: true, sameSite: 'Lax'})
    expect(JSON.stringify(c)).not.toContain('abc123secret')
    expect(c.attributes).toEqual(['path=/'])
  })

  it('finds missing flags and ignores a header without name=value', () => {
    expect(parseSetCookie('sid=1; Path=/')).toMatchObject({secure: false, httpOnly: false, sameSite: ''})
    expect(parseSetCookie('garbage-without-equals')).toBeUndefined()
    expect(parseSetCookie('=novalue')).toBeUndefined()
  })

  it('classifies session cookie names like nmap http-cookie-flags (plus sid/token)', () => {
    for (const n of ['PHPSESSID', 'JSESSIONID', 'ASP.NET_SessionId', 'sessionid', '__Host-sessionid', 'session', 'sid', 'token', 'session_id']) {
      expect(isSessionCookieName(n), n).toBe(true)
    }
    for (const n of ['lang', 'theme', 'tz', '_ga', 'consent']) expect(isSessionCookieName(n), n).toBe(false)
  })

  it('redacts values but keeps names and attributes', () => {
    expect(redactSetCookie('sessionid=c0ffee; Path=/; HttpOnly')).toBe('sessionid=<redacted>; Path=/; HttpOnly')
    expect(redactCookieHeader('a=1; b=secret')).toBe('a=<redacted>; b=<redacted>')
  })
})

describe('headers', () => {
  it('parses HSTS max-age and includeSubDomains (RFC 6797 §6.1), quoted or not', () => {
    expect(parseHsts('max-age=31536000; includeSubDomains', 'u')).toMatchObject({present: true, maxAge: 31536000, includeSubDomains: true})
    expect(parseHsts('max-age="600"', 'u')).toMatchObject({maxAge: 600, includeSubDomains: false})
    expect(parseHsts('includeSubDomains', 'u')).toMatchObject({present: true, maxAge: null})
    expect(parseHsts('max-age=abc', 'u').maxAge).toBeNull()
    expect(parseHsts(undefined, 'u')).toMatchObject({present: false, maxAge: null})
  })

  it('parses Basic and Digest challenges with realms, several per header value', () => {
    expect(parseChallenges(['Basic realm="NetCam"'])).toEqual([{scheme: 'Basic', realm: 'NetCam'}])
    expect(parseChallenges(['Digest realm="a, b", qop="auth", nonce="xyz", Basic realm=gw'])).toEqual([
      {scheme: 'Digest', realm: 'a, b'},
      {scheme: 'Basic', realm: 'gw'},
    ])
    expect(parseChallenges(['Bearer'])).toEqual([{scheme: 'Bearer', realm: ''}])
  })

  it('redacts challenge nonces, credentials and cookies; drops the Date header', () => {
    expect(redactChallenge('Digest realm="r", nonce="abc", opaque="def", qop="auth"')).toBe('Digest realm="r", nonce=<redacted>, opaque=<redacted>, qop="auth"')
    const h = new Map<string, string[]>([
      ['set-cookie', ['sid=v1; Secure', 'lang=en']],
      ['authorization', ['Basic dXNlcjpwYXNz']],
      ['x-api-key', ['k3y']],
      ['location', ['/next?token=t0k3n']],
      ['date', ['Mon, 23 Nov 2026 21:00:00 GMT']],
      ['server', ['Boa/0.94']],
    ])
    const out = evidenceHeaders(h, 'http://192.0.2.1/')
    expect(out).toEqual({
      authorization: 'Basic <redacted>',
      location: 'http://192.0.2.1/next?token=<redacted>',
      server: 'Boa/0.94',
      'set-cookie': 'sid=<redacted>; Secure\nlang=<redacted>',
      'x-api-key': '<redacted>',
    })
  })
})

describe('HTML', () => {
  const page = `<html><head><TITLE> Router  Login </TITLE><link href="/style.css"></head><body>
    <a href="/status.html">s</a> <a href='https://cloud.example.com/x'>c</a> <a href="#top">t</a>
    <a href="javascript:void(0)">j</a> <img src=/logo.png>
    <form method=post action="login.cgi"><input name=u><INPUT TYPE="Password" name=p></form>
    <form action=""><input type=text name=q></form></body></html>`

  it('extracts absolute http(s) links from href/src/action, skipping fragments and script URLs', () => {
    expect(extractLinks(page, 'http://192.0.2.1/dir/')).toEqual([
      'http://192.0.2.1/style.css',
      'http://192.0.2.1/status.html',
      'https://cloud.example.com/x',
      'http://192.0.2.1/logo.png',
      'http://192.0.2.1/dir/login.cgi',
    ])
  })

  it('extracts forms with action, method and password inputs', () => {
    expect(extractForms(page, 'http://192.0.2.1/dir/')).toEqual([
      {action: 'http://192.0.2.1/dir/login.cgi', method: 'POST', hasPassword: true},
      {action: 'http://192.0.2.1/dir/', method: 'GET', hasPassword: false},
    ])
  })

  it('reads the title', () => {
    expect(extractTitle(page)).toBe('Router Login')
    expect(extractTitle('<title>unclosed')).toBe('')
  })

  it('stays linear on hostile markup (many unclosed tags and quotes)', () => {
    const hostile = '<form '.repeat(20_000) + ' href="'.repeat(20_000) + '<title'.repeat(20_000)
    const started = Date.now()
    extractForms(hostile, 'http://192.0.2.1/')
    extractLinks(hostile, 'http://192.0.2.1/')
    extractTitle(hostile)
    // A quadratic scan of this input takes minutes; linear takes milliseconds. Generous hang guard.
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe('masking', () => {
  it('masks query values and drops user info and fragments', () => {
    expect(redactUrl('http://admin:pw@192.0.2.1:8080/a/b?sid=123&flag&x=y#frag')).toBe('http://192.0.2.1:8080/a/b?sid=<redacted>&flag&x=<redacted>')
    expect(redactUrl('/rel?q=1', 'https://gw.example/')).toBe('https://gw.example/rel?q=<redacted>')
  })

  it('masks digits and e-mail addresses, removes control characters', () => {
    expect(maskText('Call +44 20 7946 0321 or mail jane.doe@example.net\u0000\u0007 now')).toBe('Call +## ## #### #### or mail [email] now')
  })

  it('elides JSON string values, keeps keys, and gives no excerpt when personal data was found', () => {
    expect(makeExcerpt('{"user":"Rosalind","id":7}', 'application/json', false)).toBe('{"user": "…","id":#}'.replace(': ', ':'))
    expect(makeExcerpt('anything', 'text/plain', true)).toBeNull()
    expect(makeExcerpt('[wifi]\nwifi_psk=Secret123\n', 'text/plain', false)).toBeNull()
    expect(makeExcerpt('{"password": "x"}', 'application/json', false)).toBeNull()
    expect(makeExcerpt('<html><input type="password" name="p"></html>', 'text/html', false)).not.toBeNull()
    expect(makeExcerpt('\x89PNG', 'image/png', false)).toBeNull()
    expect(makeExcerpt('x'.repeat(1000), 'text/plain', false)!.length).toBe(200)
  })
})
