/** A lab SSDP responder: answers a unicast M-SEARCH (ssdp:all or a matching ST) with one reply per announced type,
 *  each pointing at the device description. UDP, bounded (replies only to M-SEARCH, at most 8 per request). */
import type {StartedDevice} from './devices/types.js'
import {startLabUdpService} from './udp-service.js'

export async function startLabSsdp(host: string, port: number, o: {server: string; uuid: string; types: string[]; location: () => string}): Promise<StartedDevice> {
  return startLabUdpService('ssdp', host, port, (msg, peer, socket) => {
    const text = msg.subarray(0, 2048).toString('latin1')
    if (!text.startsWith('M-SEARCH * HTTP/1.1')) return
    const st = /\r\nST:\s*([^\r\n]+)/i.exec(text)?.[1]?.trim() ?? ''
    const types = st === 'ssdp:all' ? o.types : o.types.filter((t) => t === st)
    for (const t of types.slice(0, 8)) {
      const reply = ['HTTP/1.1 200 OK', 'CACHE-CONTROL: max-age=1800', 'EXT:', `LOCATION: ${o.location()}`, `SERVER: ${o.server}`, `ST: ${t}`, `USN: uuid:${o.uuid}::${t}`, '', ''].join('\r\n')
      socket.send(reply, peer.port, peer.address)
    }
  })
}
