/**
 * ip-camera: an IP camera whose RTSP server asks for Basic credentials on its main stream (over cleartext RTSP)
 * but describes a forgotten sub-stream (/live.sdp) to anyone. Expected to fail rtsp.auth.none,
 * rtsp.cleartext-basic and svc.exposed.insecure-protocol. It also answers SSDP M-SEARCH (UDP 1900 on its own
 * address) pointing at a UPnP description served by its HTTP admin UI, which names maker, model, serial number
 * and firmware (fictitious) — upnp.ssdp.exposed fails.
 */
import {createServer as createHttpServer} from 'node:http'
import {createServer} from 'node:net'

import {rtspSession} from '../rtsp-server.js'
import {listenTracked, SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import {startLabSsdp} from '../ssdp-responder.js'
import type {LabDeviceDefinition} from './types.js'

export const IP_CAMERA_RTSP_SERVER = 'IPCam-RTSP/2.1'
export const IP_CAMERA_IDENTITY = {manufacturer: 'Globex', modelName: 'GX-Cam7', serialNumber: 'GX7-2024-000417', firmware: '7.0.3'}

const description = (serial: string) => `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>Front door camera</friendlyName>
<manufacturer>${IP_CAMERA_IDENTITY.manufacturer}</manufacturer><modelName>${IP_CAMERA_IDENTITY.modelName}</modelName>
<modelNumber>7</modelNumber><serialNumber>${serial}</serialNumber>
<firmwareVersion>${IP_CAMERA_IDENTITY.firmware}</firmwareVersion><UDN>uuid:5a1d0c4e-0000-4000-8000-00000000c417</UDN>
<serviceList></serviceList></device></root>
`

export const ipCamera: LabDeviceDefinition = {
  name: 'ip-camera',
  description: 'IP camera: RTSP main stream behind Basic authentication over cleartext, a sub-stream (/live.sdp) described without credentials, SSDP answering M-SEARCH with a UPnP description (maker, model, serial, firmware) on its HTTP admin UI',
  portOffset: 22,
  ownAddress: true,
  async start({host, port, serial}) {
    const DESCRIPTION = description(serial ?? IP_CAMERA_IDENTITY.serialNumber)
    const rtsp = createServer((socket) =>
      rtspSession(socket, {server: IP_CAMERA_RTSP_SERVER, paths: {'/': {challenge: 'Basic realm="IPCam"'}, '/Streaming/Channels/101': {challenge: 'Basic realm="IPCam"'}, '/live.sdp': {open: true}}}),
    )
    const http = createHttpServer((req, res) => {
      if (req.url === '/description.xml') {
        res.writeHead(200, {'Content-Type': 'text/xml; charset="utf-8"', Server: 'GX-Cam7 UPnP/1.0'})
        res.end(DESCRIPTION)
      } else if (req.url === '/') {
        res.writeHead(200, {'Content-Type': 'text/html', Server: 'GX-Cam7'})
        res.end('<!DOCTYPE html><html><head><title>GX-Cam7</title></head><body><h1>Camera admin</h1><p>Sign in with the mobile app.</p></body></html>')
      } else {
        res.writeHead(404, {'Content-Type': 'text/plain'})
        res.end('not found')
      }
    })
    let httpUri = ''
    return startServices([
      () => listenTracked(rtsp, host, port, 'rtsp'),
      async () => {
        const started = await listenTracked(http as unknown as import('node:net').Server, host, port === 0 ? 0 : port + 2 * SECOND_SERVICE_PORT_OFFSET, 'http')
        httpUri = started.targets[0]
        return started
      },
      // SSDP's registered port on the device's own address (what a bare-host scan probes).
      () => startLabSsdp(host, port === 0 ? 1900 : port + SECOND_SERVICE_PORT_OFFSET, {server: 'Linux/4.9 UPnP/1.0 GX-Cam7/7.0.3', uuid: '5a1d0c4e-0000-4000-8000-00000000c417', types: ['upnp:rootdevice', 'urn:schemas-upnp-org:device:Basic:1'], location: () => `${httpUri}/description.xml`}),
    ])
  },
}
