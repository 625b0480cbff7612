import {describe, expect, it} from 'vitest'

import {ipToBytes, isIpTarget, matchesServiceIdentity} from '../../src/probes/tls/hostname.js'

const cert = (san: string[], subject = 'CN=ignored.example.test') => ({san, subject})

describe('matchesServiceIdentity: IP targets (RFC 9525 §6.4)', () => {
  it('matches an IPv4 SAN', () => {
    expect(matchesServiceIdentity(cert(['IP:192.0.2.1']), '192.0.2.1')).toBe(true)
    expect(matchesServiceIdentity(cert(['IP:192.0.2.1']), '192.0.2.2')).toBe(false)
  })

  it('never matches an IP target against DNS SANs or the CN', () => {
    expect(matchesServiceIdentity(cert(['DNS:192.0.2.1']), '192.0.2.1')).toBe(false)
    expect(matchesServiceIdentity(cert([], 'CN=192.0.2.1'), '192.0.2.1')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:device.example.test'], 'CN=192.0.2.1'), '192.0.2.1')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:*.2.1']), '192.0.2.1')).toBe(false)
  })

  it('compares IPv6 addresses as octets, whatever the spelling', () => {
    const c = cert(['IP:2001:db8::1'])
    expect(matchesServiceIdentity(c, '2001:db8::1')).toBe(true)
    expect(matchesServiceIdentity(c, '2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe(true)
    expect(matchesServiceIdentity(c, '[2001:db8::1]')).toBe(true)
    expect(matchesServiceIdentity(c, 'fe80::1')).toBe(false)
    expect(matchesServiceIdentity(cert(['IP:fe80::1']), 'fe80::1%eth0')).toBe(true)
    expect(matchesServiceIdentity(cert(['IP:::ffff:c000:201']), '::ffff:192.0.2.1')).toBe(true)
    expect(matchesServiceIdentity(cert(['IP:::1']), '::1')).toBe(true)
  })

  it('keeps IPv4 and IPv4-mapped IPv6 apart (different octets)', () => {
    expect(matchesServiceIdentity(cert(['IP:192.0.2.1']), '::ffff:192.0.2.1')).toBe(false)
    expect(matchesServiceIdentity(cert(['IP:::ffff:192.0.2.1']), '192.0.2.1')).toBe(false)
  })

  it('parses IP literals', () => {
    expect(ipToBytes('10.1.2.3')?.toString('hex')).toBe('0a010203')
    expect(ipToBytes('::')?.toString('hex')).toBe('0'.repeat(32))
    expect(ipToBytes('1::')?.toString('hex')).toBe(`0001${'0'.repeat(28)}`)
    expect(ipToBytes('::ffff:1.2.3.4')?.toString('hex')).toBe('00000000000000000000ffff01020304')
    expect(ipToBytes('example.com')).toBeUndefined()
    expect(ipToBytes('1.2.3')).toBeUndefined()
    expect(ipToBytes('256.1.1.1')).toBeUndefined()
    expect(isIpTarget('[::1]')).toBe(true)
    expect(isIpTarget('localhost')).toBe(false)
  })
})

describe('matchesServiceIdentity: DNS targets (RFC 9525 §6.3)', () => {
  it('matches exact DNS SANs case-insensitively, ignoring a trailing dot', () => {
    const c = cert(['DNS:Device.Example.TEST'])
    expect(matchesServiceIdentity(c, 'device.example.test')).toBe(true)
    expect(matchesServiceIdentity(c, 'DEVICE.example.test.')).toBe(true)
    expect(matchesServiceIdentity(cert(['DNS:device.example.test.']), 'device.example.test')).toBe(true)
    expect(matchesServiceIdentity(c, 'other.example.test')).toBe(false)
    expect(matchesServiceIdentity(c, 'example.test')).toBe(false)
  })

  it('never falls back to the subject CN', () => {
    expect(matchesServiceIdentity(cert([], 'CN=device.example.test'), 'device.example.test')).toBe(false)
    expect(matchesServiceIdentity(cert(['IP:192.0.2.1'], 'CN=device.example.test'), 'device.example.test')).toBe(false)
  })

  it('never matches a DNS target against IP SANs', () => {
    expect(matchesServiceIdentity(cert(['IP:192.0.2.1']), 'device.example.test')).toBe(false)
  })

  it('lets a left-most "*" label stand for exactly one label', () => {
    const c = cert(['DNS:*.example.com'])
    expect(matchesServiceIdentity(c, 'a.example.com')).toBe(true)
    expect(matchesServiceIdentity(c, 'A.Example.Com')).toBe(true)
    expect(matchesServiceIdentity(c, 'a.b.example.com')).toBe(false)
    expect(matchesServiceIdentity(c, 'example.com')).toBe(false)
    expect(matchesServiceIdentity(c, '.example.com')).toBe(false)
  })

  it('rejects partial-label, non-left-most, multiple and top-level wildcards', () => {
    expect(matchesServiceIdentity(cert(['DNS:f*.example.com']), 'foo.example.com')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:*o.example.com']), 'foo.example.com')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:xn--*.example.com']), 'xn--bcher-kva.example.com')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:a.*.example.com']), 'a.b.example.com')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:*.*.example.com']), 'a.b.example.com')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:*.com']), 'example.com')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:*']), 'example')).toBe(false)
  })

  it('does not treat a "*" in the target as a wildcard', () => {
    expect(matchesServiceIdentity(cert(['DNS:*.example.com']), '*.example.com')).toBe(false)
  })

  it('compares internationalised names in A-label form', () => {
    const c = cert(['DNS:xn--bcher-kva.example.com'])
    expect(matchesServiceIdentity(c, 'bücher.example.com')).toBe(true)
    expect(matchesServiceIdentity(c, 'xn--bcher-kva.example.com')).toBe(true)
    expect(matchesServiceIdentity(cert(['DNS:bücher.example.com']), 'bücher.example.com')).toBe(false)
  })

  it('ignores other SAN kinds and malformed names', () => {
    expect(matchesServiceIdentity(cert(['email:device.example.test', 'URI:device.example.test']), 'device.example.test')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:']), '')).toBe(false)
    expect(matchesServiceIdentity(cert(['DNS:a..example.com']), 'a..example.com')).toBe(false)
  })
})
