/**
 * hardened-sensor: an environmental sensor whose only service is MQTT over TLS (TLS 1.2/1.3, ECDHE AEAD suites,
 * a lab-CA certificate naming its address) that refuses every CONNECT without its (random, per start) password.
 * Nothing else is open. Expected to pass the MQTT and TLS checks.
 */
import {randomBytes} from 'node:crypto'
import {createServer} from 'node:tls'

import {issueLeaf} from '../ca.js'
import {brokerSession} from '../mqtt-broker.js'
import {listenTracked, startServices} from '../server.js'
import {goodGatewayTlsOptions} from './good-gateway.js'
import type {LabDeviceDefinition} from './types.js'

export const hardenedSensor: LabDeviceDefinition = {
  name: 'hardened-sensor',
  description: 'Sensor with MQTT over TLS only (TLS 1.2/1.3, lab-CA certificate), a password required for every client, nothing else open',
  portOffset: 21,
  ownAddress: true,
  async start({host, port}) {
    const leaf = issueLeaf({purpose: 'hardened-sensor', commonName: 'hardened-sensor.lab', keyBits: 2048, days: 90, ips: [host]})
    const credentials = {username: 'sensor', password: randomBytes(18).toString('base64url')}
    const server = createServer(goodGatewayTlsOptions(leaf))
    server.on('tlsClientError', () => {})
    server.on('secureConnection', (socket) => {
      socket.on('error', () => {})
      brokerSession(socket, {retained: [{topic: 'sensor/air/co2', payload: '{"ppm":612}'}], credentials})
    })
    return startServices([() => listenTracked(server as unknown as import('node:net').Server, host, port, 'mqtts')])
  },
}
