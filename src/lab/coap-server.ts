/** A small CoAP (RFC 7252) UDP server for lab devices: GET /.well-known/core answers the device's link-format
 *  resource list; any other request gets 4.04. Piggybacked ACKs; no DTLS. */
import {parseCoap} from '../probes/coap/message.js'
import type {StartedDevice} from './devices/types.js'
import {startLabUdpService} from './udp-service.js'

export async function startLabCoap(host: string, port: number, linkFormat: string): Promise<StartedDevice> {
  return startLabUdpService('coap', host, port, (msg, peer, socket) => {
    let m: ReturnType<typeof parseCoap>
    try {
      m = parseCoap(msg)
    } catch {
      return
    }
    if (m.type !== 'CON' && m.type !== 'NON') return
    const path = m.options.filter((o) => o.number === 11).map((o) => o.value.toString()).join('/')
    const found = m.code === '0.01' && path === '.well-known/core'
    const header = Buffer.from([0x40 | (m.type === 'CON' ? 0x20 : 0x10) | m.token.length, found ? 0x45 : 0x84, (m.messageId >> 8) & 0xff, m.messageId & 0xff])
    // Content-Format 40 (application/link-format): option 12, length 1.
    const reply = found ? Buffer.concat([header, m.token, Buffer.from([0xc1, 40, 0xff]), Buffer.from(linkFormat)]) : Buffer.concat([header, m.token])
    socket.send(reply, peer.port, peer.address)
  })
}
