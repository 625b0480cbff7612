import {describe, expect, it} from 'vitest'

import {check} from '../../checks/upnp/ssdp-exposed.js'
import type {CheckInput} from '../../src/checks/types.js'
import type {Service} from '../../src/evidence/types.js'
import {M_SEARCH, parseDescription, parseSsdpReply} from '../../src/probes/ssdp/parse.js'

describe('SSDP parsing', () => {
  it('builds a unicast M-SEARCH ssdp:all and reads reply headers', () => {
    expect(M_SEARCH('192.0.2.1', 1900).toString()).toBe('M-SEARCH * HTTP/1.1\r\nHOST: 192.0.2.1:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n')
    expect(parseSsdpReply(Buffer.from('HTTP/1.1 200 OK\r\nLOCATION: http://x/d.xml\r\nST: upnp:rootdevice\r\n\r\n'))).toEqual({location: 'http://x/d.xml', st: 'upnp:rootdevice'})
    expect(parseSsdpReply(Buffer.from('NOTIFY * HTTP/1.1\r\n\r\n'))).toBeUndefined()
  })
  it('reads identity fields and service types from a description, entities decoded', () => {
    const xml = '<root><device><manufacturer>A &amp; B</manufacturer><modelName>M1</modelName><serialNumber>S9</serialNumber><firmwareVersion>1.2</firmwareVersion><serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType></service></serviceList></device></root>'
    expect(parseDescription(xml, 'http://h/d.xml', 200)).toEqual({location: 'http://h/d.xml', status: 200, manufacturer: 'A & B', modelName: 'M1', serialNumber: '**', serialSha256: '00468253c62551acfe27887b79181c71bb548da29dc773b0edff8b92b9d431a4', firmware: '1.2', services: ['urn:schemas-upnp-org:service:WANIPConnection:1']})
  })
})

describe('upnp.ssdp.exposed', () => {
  const S: Service = {id: 'ssdp://192.0.2.70:1900', protocol: 'ssdp', host: '192.0.2.70', port: 1900, transport: 'udp'}
  const run = (data: object) => check.evaluate({service: S, observations: {'ssdp.discovery': {id: 'o', service: S.id, probe: 'ssdp.discovery', collectedAt: '', data: data as Record<string, unknown>, artifacts: []}}, thresholds: {} as CheckInput['thresholds'], now: new Date(), severity: check.defaultSeverity} as CheckInput)
  it('fails on an answered M-SEARCH, naming what the description discloses', () => {
    const r = run({replies: 2, amplification: 5.5, types: [], description: {location: 'http://h/d.xml', status: 200, manufacturer: 'A', serialNumber: 'S', services: []}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toMatch(/manufacturer, serialNumber/)
    expect(run({}).outcome).toBe('inconclusive')
  })
})
