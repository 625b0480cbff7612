/**
 * UDP discovery: for each protocol sg17scan looks for over UDP, the request it sends to the registered port and
 * how a reply is recognised. UDP has no handshake: a reply that parses as the protocol is the only sign of it.
 * None of the requests changes device state: SNMP is asked the way the SNMP module's default (non-intrusive)
 * sweep asks (v2c GET sysDescr.0 with `public`, plus the credential-free SNMPv3 engine discovery), SSDP a unicast
 * M-SEARCH, CoAP a GET /.well-known/core, mDNS a legacy-unicast DNS-SD PTR query, NTP a mode-3 client request.
 */
import {randomBytes, randomInt} from 'node:crypto'

import {coapGet, parseCoap} from '../coap/message.js'
import {parseDnsReply, ptrQuery, serviceTypes} from '../mdns/message.js'
import {clientRequest, parseServerReply} from '../ntp/packet.js'
import {buildDiscoveryRequest, parseV3Message} from '../snmp/ber.js'
import {buildGetRequest, parseCommunityReply} from '../snmp/community-pdu.js'
import {M_SEARCH, parseSsdpReply} from '../ssdp/parse.js'
import type {IdentificationMethod, IdentifiedProtocol} from './types.js'

const SYS_DESCR = '1.3.6.1.2.1.1.1.0'

export interface UdpRecognised {
  /** A short printable description of what answered (no personal data: types and versions, not names). */
  banner?: string
}

export interface UdpExchange {
  /** The datagrams of one transmission (sent together; a transmission is repeated when nothing answers). */
  requests: Buffer[]
  /** What the reply says, or undefined when it is not this protocol's answer to these requests. */
  recognise(reply: Buffer): UdpRecognised | undefined
}

export interface UdpProtocolProbe {
  protocol: IdentifiedProtocol & ('snmp' | 'ssdp' | 'coap' | 'mdns' | 'ntp')
  /** The IANA registered port. */
  port: number
  method: IdentificationMethod
  /** A fresh exchange (its own ids) for `host:port`. */
  exchange(host: string, port: number): UdpExchange
}

const attempt = <T>(f: () => T): T | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}

export const UDP_PROBES: readonly UdpProtocolProbe[] = [
  {
    protocol: 'ntp',
    port: 123,
    method: 'ntp-client',
    exchange() {
      const transmit = randomBytes(8)
      return {
        requests: [clientRequest(transmit)],
        recognise(reply) {
          const r = parseServerReply(reply)
          if (!r || r.origin !== transmit.toString('hex')) return undefined
          return {banner: `NTPv${r.version} stratum ${r.stratum}`}
        },
      }
    },
  },
  {
    protocol: 'snmp',
    port: 161,
    method: 'snmp-get',
    exchange() {
      const requestId = randomInt(1, 0x7fffffff)
      const msgId = randomInt(1, 0x7fffffff)
      return {
        requests: [buildGetRequest('v2c', 'public', requestId, SYS_DESCR), buildDiscoveryRequest(msgId, requestId)],
        recognise(reply) {
          const c = attempt(() => parseCommunityReply(reply))
          if (c && c.requestId === requestId) return {banner: 'SNMPv2c response'}
          const v3 = attempt(() => parseV3Message(reply))
          if (v3 && (v3.msgId === msgId || v3.requestId === requestId)) return {banner: 'SNMPv3 report'}
          return undefined
        },
      }
    },
  },
  {
    protocol: 'ssdp',
    port: 1900,
    method: 'ssdp-msearch',
    exchange(host, port) {
      return {
        requests: [M_SEARCH(host, port)],
        recognise(reply) {
          const h = parseSsdpReply(reply)
          return h ? (h.server ? {banner: h.server.slice(0, 80)} : {}) : undefined
        },
      }
    },
  },
  {
    protocol: 'mdns',
    port: 5353,
    method: 'mdns-query',
    exchange() {
      const id = randomInt(1, 0xffff)
      return {
        requests: [ptrQuery(id)],
        recognise(reply) {
          const r = attempt(() => parseDnsReply(reply))
          if (!r || !r.response || r.id !== id) return undefined
          const types = serviceTypes(r)
          return {banner: types.length ? `DNS-SD ${types.slice(0, 6).join(' ')}`.slice(0, 80) : 'DNS-SD (no service type listed)'}
        },
      }
    },
  },
  {
    protocol: 'coap',
    port: 5683,
    method: 'coap-get',
    exchange() {
      const messageId = randomInt(0, 0xffff)
      const token = randomBytes(4)
      return {
        requests: [coapGet(['.well-known', 'core'], messageId, token)],
        recognise(reply) {
          const m = attempt(() => parseCoap(reply))
          if (!m || (!m.token.equals(token) && m.messageId !== messageId)) return undefined
          return {banner: `CoAP ${m.code}`}
        },
      }
    },
  },
]

/** The probe of a registered UDP port, if sg17scan knows one. */
export const udpProbeFor = (port: number) => UDP_PROBES.find((p) => p.port === port)

/** The default UDP ports of a bare-host scan: every registered port above. */
export const DEFAULT_UDP_PORTS = UDP_PROBES.map((p) => p.port).sort((a, b) => a - b).join(',')
