/** The UDP side shared by the lab's datagram services (CoAP, SSDP): one socket bound to the device's address,
 *  a handler per datagram, and a started device whose stop closes the socket once. */
import {createSocket, type RemoteInfo, type Socket} from 'node:dgram'

import type {StartedDevice} from './devices/types.js'
import {formatHostForUri} from './server.js'

export async function startLabUdpService(
  scheme: string,
  host: string,
  port: number,
  onMessage: (msg: Buffer, peer: RemoteInfo, socket: Socket) => void,
): Promise<StartedDevice> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4')
  // A send to a vanished client must not crash the lab.
  socket.on('error', () => {})
  socket.on('message', (msg, peer) => onMessage(msg, peer, socket))
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind({address: host, port, exclusive: true}, () => {
      socket.off('error', reject)
      resolve()
    })
  })
  let stopped: Promise<void> | undefined
  return {
    targets: [`${scheme}://${formatHostForUri(host)}:${socket.address().port}`],
    stop: () => (stopped ??= new Promise<void>((resolve) => socket.close(() => resolve()))),
  }
}
