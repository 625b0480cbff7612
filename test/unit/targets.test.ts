import {describe, expect, it} from 'vitest'

import {parseTarget} from '../../src/engine/targets.js'
import {ConfigError} from '../../src/profiles/errors.js'

describe('parseTarget', () => {
  it('reads service URIs with default and explicit ports', () => {
    expect(parseTarget('tls://192.0.2.10:8443')).toEqual({
      kind: 'service',
      service: {id: 'tls://192.0.2.10:8443', protocol: 'tls', host: '192.0.2.10', port: 8443, transport: 'tcp'},
    })
    const https = parseTarget('https://Device.Example')
    expect(https.kind === 'service' && https.service.port).toBe(443)
    const snmp = parseTarget('snmp://10.0.0.1')
    expect(snmp.kind === 'service' && snmp.service).toMatchObject({port: 161, transport: 'udp'})
  })

  it('reads IPv6 literals in brackets', () => {
    const t = parseTarget('ssh://[::1]:2222')
    expect(t.kind === 'service' && t.service).toMatchObject({host: '::1', port: 2222, id: 'ssh://[::1]:2222'})
  })

  it('reads bare hosts', () => {
    expect(parseTarget('192.0.2.10')).toEqual({kind: 'host', host: '192.0.2.10'})
    expect(parseTarget('router.lab')).toEqual({kind: 'host', host: 'router.lab'})
  })

  it.each([
    ['gopher://192.0.2.1', /unknown scheme 'gopher'/],
    ['tls://192.0.2.1:99999', /port must be 1–65535/],
    ['tls://192.0.2.1:', /port must be 1–65535/],
    ['tls://user:pw@192.0.2.1', /no user info/],
    ['tls://bad_host!:443', /not a valid host/],
    ['not a host', /bad target/],
  ])('rejects %s with a message naming the problem', (input, message) => {
    expect(() => parseTarget(input)).toThrow(ConfigError)
    expect(() => parseTarget(input)).toThrow(message)
  })
})
