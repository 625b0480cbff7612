/**
 * A lab mDNS responder for DNS-SD service enumeration (RFC 6762 §6.7 legacy unicast, RFC 6763 §9): a query for
 * `_services._dns-sd._udp.local` PTR is answered to the querier's port with its id, the question and one PTR per
 * service type. Anything else is ignored. It has no scheme of its own (no sg17scan module for mDNS): no target.
 */
import type {StartedDevice} from './devices/types.js'
import {parseDnsReply, SERVICES_NAME, TYPE_PTR} from '../probes/mdns/message.js'
import {startLabUdpService} from './udp-service.js'

function name(n: string): Buffer {
  return Buffer.concat([...n.split('.').map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)])), Buffer.from([0])])
}

export function servicesAnswer(id: number, types: readonly string[]): Buffer {
  const header = Buffer.alloc(12)
  header.writeUInt16BE(id, 0)
  header.writeUInt16BE(0x8400, 2) // response, authoritative
  header.writeUInt16BE(1, 4)
  header.writeUInt16BE(types.length, 6)
  const question = Buffer.concat([name(SERVICES_NAME), Buffer.from([0, TYPE_PTR, 0, 1])])
  // Answers name the question by a compression pointer to offset 12.
  const answers = types.map((t) => {
    const rdata = name(t)
    const fixed = Buffer.alloc(10)
    fixed.writeUInt16BE(TYPE_PTR, 0)
    fixed.writeUInt16BE(1, 2)
    fixed.writeUInt32BE(10, 4) // legacy unicast: TTL at most 10 s
    fixed.writeUInt16BE(rdata.length, 8)
    return Buffer.concat([Buffer.from([0xc0, 12]), fixed, rdata])
  })
  return Buffer.concat([header, question, ...answers])
}

export async function startLabMdns(host: string, port: number, types: readonly string[]): Promise<StartedDevice> {
  const started = await startLabUdpService('mdns', host, port, (msg, peer, socket) => {
    let q
    try {
      q = parseDnsReply(msg)
    } catch {
      return
    }
    if (q.response || !q.questions.some((n) => n.toLowerCase() === SERVICES_NAME)) return
    socket.send(servicesAnswer(q.id, types), peer.port, peer.address)
  })
  return {targets: [], stop: started.stop}
}
