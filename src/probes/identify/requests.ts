/** The requests the identifier sends to a silent port. None of them changes device state. */
import {randomBytes} from 'node:crypto'

import mqttPacket from 'mqtt-packet'

import {buildClientHello} from '../tls/clienthello.js'

/** GET / (HTTP/1.0, connection closed after): what nmap's GetRequest probe sends. */
export function httpGet(host: string): Buffer {
  return Buffer.from(`GET / HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: sg17scan\r\nAccept: */*\r\n\r\n`)
}

/** RTSP OPTIONS (RFC 2326 §10.1): lists methods, changes nothing. */
export function rtspOptions(host: string, port: number): Buffer {
  return Buffer.from(`OPTIONS rtsp://${host}:${port}/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: sg17scan\r\n\r\n`)
}

/** MQTT 3.1.1 CONNECT without credentials, clean session, a fresh client id: the broker keeps no state of it. */
export function mqttConnect(): Buffer {
  return mqttPacket.generate({cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 10, clientId: `sg17scan-id-${randomBytes(4).toString('hex')}`})
}

export function mqttDisconnect(): Buffer {
  return mqttPacket.generate({cmd: 'disconnect'})
}

/** A TLS 1.2 ClientHello with common suites (TLS 1.0–1.3 servers all answer it with a ServerHello or an alert). */
export function tlsClientHello(targetName: string): Buffer {
  const suites = [0xc02f, 0xc030, 0xc02b, 0xc02c, 0xcca8, 0xcca9, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x000a, 0x1301, 0x1302, 0x1303]
  return buildClientHello({version: 'TLSv1.2', cipherSuites: suites, targetName})
}
