/** mDNS DNS-SD answers, UPnP IGD description/SOAP parsing and upnp.igd.control-exposed. */
import {describe, expect, it} from 'vitest'

import {check} from '../../checks/upnp/igd-control-exposed.js'
import type {Observation} from '../../src/evidence/types.js'
import {servicesAnswer} from '../../src/lab/mdns-responder.js'
import {MdnsFormatError, parseDnsReply, ptrQuery, SERVICES_NAME, serviceTypes} from '../../src/probes/mdns/message.js'
import {deviceTypes, IGD_DEVICE, parseSoapAnswer, soapRequest, upnpServices, WAN_CONNECTION} from '../../src/probes/ssdp/igd.js'
import type {UpnpIgdData} from '../../src/probes/ssdp/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

describe('mDNS DNS-SD messages', () => {
  it('builds a one-question PTR query for _services._dns-sd._udp.local', () => {
    const q = parseDnsReply(ptrQuery(0x4242))
    expect(q).toMatchObject({id: 0x4242, response: false, questions: [SERVICES_NAME], answers: []})
  })

  it('reads PTR answers that name the question through a compression pointer', () => {
    const r = parseDnsReply(servicesAnswer(7, ['_http._tcp.local', '_ipp._tcp.local']))
    expect(r).toMatchObject({id: 7, response: true, rcode: 0})
    expect(r.answers.map((a) => [a.name, a.type, a.value])).toEqual([
      [SERVICES_NAME, 12, '_http._tcp.local'],
      [SERVICES_NAME, 12, '_ipp._tcp.local'],
    ])
    expect(serviceTypes(r)).toEqual(['_http._tcp.local', '_ipp._tcp.local'])
  })

  it('rejects a pointer loop, a label past the end and a truncated header', () => {
    const loop = Buffer.from(servicesAnswer(1, ['_a._tcp.local']))
    // Point the answer's name at itself.
    const at = loop.indexOf(Buffer.from([0xc0, 12]))
    loop[at + 1] = at
    expect(() => parseDnsReply(loop)).toThrow(MdnsFormatError)
    expect(() => parseDnsReply(servicesAnswer(1, ['_a._tcp.local']).subarray(0, 40))).toThrow(MdnsFormatError)
    expect(() => parseDnsReply(Buffer.alloc(5))).toThrow(MdnsFormatError)
  })
})

const IGD = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>
<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:2</deviceType><deviceList><device>
<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:2</deviceType><serviceList>
<service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><serviceId>x</serviceId><controlURL>/upnp/control/WANPPPConn1?a=b&amp;c=d</controlURL></service>
</serviceList></device></deviceList></device></deviceList></device></root>`

describe('UPnP IGD description and SOAP', () => {
  it('finds the device types and the WAN*Connection control URL (entities decoded)', () => {
    expect(deviceTypes(IGD).some((t) => IGD_DEVICE.test(t))).toBe(true)
    const s = upnpServices(IGD)
    expect(s).toEqual([{serviceType: 'urn:schemas-upnp-org:service:WANPPPConnection:1', controlURL: '/upnp/control/WANPPPConn1?a=b&c=d'}])
    expect(WAN_CONNECTION.test(s[0].serviceType)).toBe(true)
    expect(WAN_CONNECTION.test('urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1')).toBe(false)
  })

  it('builds a read-only action envelope and its SOAPAction header', () => {
    const r = soapRequest('urn:schemas-upnp-org:service:WANIPConnection:1', 'GetExternalIPAddress')
    expect(r.soapAction).toBe('"urn:schemas-upnp-org:service:WANIPConnection:1#GetExternalIPAddress"')
    expect(r.body).toContain('<u:GetExternalIPAddress xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"></u:GetExternalIPAddress>')
  })

  it('reads a response (argument names only) and a UPnPError fault', () => {
    const ok = '<s:Envelope><s:Body><u:GetExternalIPAddressResponse xmlns:u="x"><NewExternalIPAddress>203.0.113.9</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>'
    expect(parseSoapAnswer(ok, 'GetExternalIPAddress')).toEqual({responded: true, arguments: ['NewExternalIPAddress']})
    expect(JSON.stringify(parseSoapAnswer(ok, 'GetExternalIPAddress'))).not.toContain('203.0.113.9')
    const fault = '<s:Envelope><s:Body><s:Fault><detail><UPnPError><errorCode>606</errorCode><errorDescription>Action not authorized</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>'
    expect(parseSoapAnswer(fault, 'GetExternalIPAddress')).toEqual({responded: false, arguments: [], faultCode: 606, faultDescription: 'Action not authorized'})
    expect(parseSoapAnswer('<html>nope</html>', 'GetExternalIPAddress')).toEqual({responded: false, arguments: []})
  })
})

const control = (o: Partial<NonNullable<UpnpIgdData['control']>>): NonNullable<UpnpIgdData['control']> => ({serviceType: 'urn:schemas-upnp-org:service:WANIPConnection:1', controlUrl: 'http://192.0.2.1:5000/ctl/IPConn', action: 'GetExternalIPAddress', status: 200, responded: true, arguments: ['NewExternalIPAddress'], ...o})
const run = (data: UpnpIgdData) => {
  const observation = {id: 'o', service: 'ssdp://192.0.2.1:1900', probe: 'upnp.igd', collectedAt: '', data, artifacts: []} as unknown as Observation
  return check.evaluate({service: {id: 'ssdp://192.0.2.1:1900', protocol: 'ssdp', host: '192.0.2.1', port: 1900, transport: 'udp'}, observations: {'upnp.igd': observation}, thresholds: DEFAULT_THRESHOLDS, now: new Date(), severity: 'high'} as never)
}
const igd = {igd: true, deviceTypes: ['urn:schemas-upnp-org:device:InternetGatewayDevice:1'], wanServices: ['urn:schemas-upnp-org:service:WANIPConnection:1']}

describe('upnp.igd.control-exposed', () => {
  it('fails when the read-only action is answered without credentials', () => {
    const r = run({...igd, control: control({})})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('GetExternalIPAddress on http://192.0.2.1:5000/ctl/IPConn')
  })
  it('passes on 401/403 or UPnP error 606', () => {
    expect(run({...igd, control: control({status: 401, responded: false, arguments: []})}).outcome).toBe('pass')
    expect(run({...igd, control: control({status: 500, responded: false, arguments: [], faultCode: 606, faultDescription: 'Action not authorized'})}).outcome).toBe('pass')
  })
  it('is not applicable to a device that is not an IGD, inconclusive on other faults, failures or no control', () => {
    expect(run({igd: false, deviceTypes: ['urn:schemas-upnp-org:device:Basic:1'], wanServices: []}).outcome).toBe('not_applicable')
    expect(run({...igd, control: control({status: 500, responded: false, arguments: [], faultCode: 401, faultDescription: 'Invalid Action'})}).outcome).toBe('inconclusive')
    expect(run({...igd, control: control({status: 0, responded: false, arguments: [], failure: 'timeout'})}).outcome).toBe('inconclusive')
    expect(run({...igd}).outcome).toBe('inconclusive')
    // 200 without the action's response element (a portal page answering every URL) is no answer.
    expect(run({...igd, control: control({responded: false, arguments: []})}).outcome).toBe('inconclusive')
  })
})
