/**
 * The reference IoT devices as fleet members. Each runs on a loopback address of its own: their UDP services
 * sit on the registered ports (CoAP 5683, SSDP 1900) as on a real device, which one shared address could hold
 * only once. smart-plug, smart-plug-fw2 and ip-camera are the reference devices as they are (the camera shows
 * the fleet's serial number); a fleet hardened-sensor gets a key and certificate of its own naming its declared
 * maker (the reference one shares the lab's cached RSA key, which a fleet would rightly flag as cloned).
 */
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import type {Server} from 'node:net'
import {createServer} from 'node:tls'

import {ipCamera} from '../devices/ip-camera.js'
import {smartPlug, smartPlugFw2} from '../devices/smart-plug.js'
import type {StartedDevice} from '../devices/types.js'
import {brokerSession} from '../mqtt-broker.js'
import {ownLoopbackAddress} from '../own-address.js'
import {listenTracked, startServices} from '../server.js'
import type {FleetDevicePlan, FleetIotKind} from './composition.js'
import {fleetSubject, issueFleetCert} from './fast-cert.js'

const SENSOR_TLS = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'

/** A loopback address no other device of this fleet has. */
export function fleetAddress(used: Set<string>): string {
  for (;;) {
    const a = ownLoopbackAddress()
    if (!used.has(a)) {
      used.add(a)
      return a
    }
  }
}

export async function startFleetIot(kind: FleetIotKind, plan: FleetDevicePlan, host: string, now: Date): Promise<StartedDevice> {
  switch (kind) {
    case 'smart-plug':
      return smartPlug.start({host, port: 0})
    case 'smart-plug-fw2':
      return smartPlugFw2.start({host, port: 0})
    case 'ip-camera':
      return ipCamera.start({host, port: 0, serial: plan.declared.serial})
    case 'hardened-sensor': {
      const pair = generateKeyPairSync('ec', {namedCurve: 'P-256'})
      const certPem = issueFleetCert({
        publicKey: pair.publicKey,
        subject: fleetSubject(plan),
        days: 90,
        md: 'sha256',
        now,
      })
      const credentials = {username: 'sensor', password: randomBytes(18).toString('base64url')}
      const server = createServer({key: pair.privateKey.export({type: 'pkcs8', format: 'pem'}), cert: certPem, minVersion: 'TLSv1.2', ciphers: SENSOR_TLS, honorCipherOrder: true})
      server.on('tlsClientError', () => {})
      server.on('secureConnection', (socket) => {
        socket.on('error', () => {})
        brokerSession(socket, {retained: [{topic: 'sensor/air/co2', payload: '{"ppm":612}'}], credentials})
      })
      return startServices([() => listenTracked(server as unknown as Server, host, 0, 'mqtts')])
    }
  }
}
