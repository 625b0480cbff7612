/**
 * home-router: a consumer router as shipped. Its HTTP admin UI also serves a UPnP Internet Gateway Device
 * description whose WANIPConnection control URL answers GetExternalIPAddress (and would take AddPortMapping) from
 * anyone; SSDP answers M-SEARCH on UDP 1900; its ntpd answers time requests and the mode-6 control queries
 * (READSTAT, READVAR: version, processor, system) like a default ntpd 4.2.8; mDNS (UDP 5353) lists its DNS-SD
 * service types. Expected to fail upnp.igd.control-exposed, upnp.ssdp.exposed and ntp.mode6.exposed.
 * home-router-hardened (a variant, started when named): the same router with IGD:2 DeviceProtection (the
 * control point refuses unauthenticated actions with UPnP error 606) and ntpd `restrict default noquery`
 * (time requests only). Expected to pass upnp.igd.control-exposed and ntp.mode6.exposed.
 * UDP ports: the registered ones on the device's own address (NTP 123 needs root or CAP_NET_BIND_SERVICE;
 * without, an ephemeral port, named in the device's ntp:// target); with fixed lab ports, the device's slots
 * +100 (SSDP), +200 (NTP), +300 (mDNS).
 */
import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {Server} from 'node:net'

import {startLabMdns} from '../mdns-responder.js'
import {startLabNtp} from '../ntp-responder.js'
import {listenTracked, SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import {startLabSsdp} from '../ssdp-responder.js'
import type {LabDeviceDefinition, StartedDevice} from './types.js'

export const HOME_ROUTER_IDENTITY = {manufacturer: 'Initech', modelName: 'IR-4000', modelNumber: '4000', serialNumber: 'IR4K-19-775201', firmware: '2.1.7'}
export const HOME_ROUTER_MDNS_TYPES = ['_http._tcp.local', '_workstation._tcp.local']
const WAN_IP = 'urn:schemas-upnp-org:service:WANIPConnection:1'
const UUID = '3c0f7a2e-0000-4000-8000-00000000a400'

function description(serial: string): string {
  const i = HOME_ROUTER_IDENTITY
  return `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>${i.modelName} router</friendlyName>
<manufacturer>${i.manufacturer}</manufacturer><modelName>${i.modelName}</modelName><modelNumber>${i.modelNumber}</modelNumber>
<serialNumber>${serial}</serialNumber><firmwareVersion>${i.firmware}</firmwareVersion><UDN>uuid:${UUID}</UDN>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><serviceId>urn:upnp-org:serviceId:L3Forwarding1</serviceId><controlURL>/ctl/L3F</controlURL><eventSubURL>/evt/L3F</eventSubURL><SCPDURL>/L3F.xml</SCPDURL></service></serviceList>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><friendlyName>WANDevice</friendlyName><UDN>uuid:${UUID}-1</UDN>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><friendlyName>WANConnectionDevice</friendlyName><UDN>uuid:${UUID}-2</UDN>
<serviceList><service><serviceType>${WAN_IP}</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>
`
}

const soap = (inner: string) =>
  `<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${inner}</s:Body></s:Envelope>\r\n`
const fault = (code: number, text: string) =>
  soap(`<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode><errorDescription>${text}</errorDescription></UPnPError></detail></s:Fault>`)

function handler(hardened: boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, {'content-type': type, server: `Linux/4.14 UPnP/1.0 ${HOME_ROUTER_IDENTITY.modelName}/${HOME_ROUTER_IDENTITY.firmware}`})
      res.end(body)
    }
    if (path === '/rootDesc.xml') return send(200, 'text/xml; charset="utf-8"', description(HOME_ROUTER_IDENTITY.serialNumber))
    if (path === '/ctl/IPConn' && req.method === 'POST') {
      let body = ''
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8')
        if (body.length > 16384) req.destroy()
      })
      req.on('end', () => {
        const action = /#(\w+)"?$/.exec(String(req.headers.soapaction ?? ''))?.[1] ?? ''
        if (hardened) return send(500, 'text/xml; charset="utf-8"', fault(606, 'Action not authorized'))
        // Read-only answers; every other action (AddPortMapping …) is refused here, though a real router of
        // this kind would accept it: the lab never lets a scanner change anything.
        if (action === 'GetExternalIPAddress') {
          return send(200, 'text/xml; charset="utf-8"', soap(`<u:GetExternalIPAddressResponse xmlns:u="${WAN_IP}"><NewExternalIPAddress>198.51.100.23</NewExternalIPAddress></u:GetExternalIPAddressResponse>`))
        }
        if (action === 'GetGenericPortMappingEntry') return send(500, 'text/xml; charset="utf-8"', fault(713, 'SpecifiedArrayIndexInvalid'))
        send(500, 'text/xml; charset="utf-8"', fault(401, 'Invalid Action'))
      })
      return
    }
    if (path === '/') return send(200, 'text/html', `<!DOCTYPE html><html><head><title>${HOME_ROUTER_IDENTITY.modelName}</title></head><body><h1>Router</h1><a href="/login">Sign in</a></body></html>`)
    send(404, 'text/plain', 'not found')
  }
}

/** NTP on 123 when the lab may bind it; otherwise an ephemeral port (its target says which). */
async function startNtp(host: string, port: number, mode: 'classic' | 'hardened'): Promise<StartedDevice> {
  try {
    return await startLabNtp(host, port, {mode})
  } catch (error) {
    if (port !== 123 || (error as NodeJS.ErrnoException).code !== 'EACCES') throw error
    return startLabNtp(host, 0, {mode})
  }
}

function router(name: string, portOffset: number, hardened: boolean, text: string): LabDeviceDefinition {
  return {
    name,
    description: text,
    portOffset,
    ownAddress: true,
    declared: {vendor: HOME_ROUTER_IDENTITY.manufacturer, model: HOME_ROUTER_IDENTITY.modelName, firmware: HOME_ROUTER_IDENTITY.firmware},
    async start({host, port}) {
      const http = createHttpServer(handler(hardened))
      let httpUri = ''
      const slot = (n: number, registered: number) => (port === 0 ? registered : port + n * SECOND_SERVICE_PORT_OFFSET)
      return startServices([
        async () => {
          const started = await listenTracked(http as unknown as Server, host, port, 'http')
          httpUri = started.targets[0]
          return started
        },
        () => startLabSsdp(host, slot(1, 1900), {server: `Linux/4.14 UPnP/1.0 ${HOME_ROUTER_IDENTITY.modelName}/${HOME_ROUTER_IDENTITY.firmware}`, uuid: UUID, types: ['upnp:rootdevice', 'urn:schemas-upnp-org:device:InternetGatewayDevice:1', WAN_IP], location: () => `${httpUri}/rootDesc.xml`}),
        () => startNtp(host, slot(2, 123), hardened ? 'hardened' : 'classic'),
        () => startLabMdns(host, slot(3, 5353), HOME_ROUTER_MDNS_TYPES),
      ])
    },
  }
}

export const homeRouter = router(
  'home-router',
  23,
  false,
  'Router with a UPnP IGD whose WANIPConnection control answers without authentication, SSDP, an ntpd answering mode-6 control queries (version, processor, system disclosed) and mDNS service discovery',
)

export const homeRouterHardened = router(
  'home-router-hardened',
  24,
  true,
  'The home router with IGD:2 DeviceProtection (unauthenticated control actions refused, UPnP error 606) and ntpd restricted to time requests (noquery); SSDP and mDNS still answer',
)
