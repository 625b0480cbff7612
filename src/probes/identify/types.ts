/** Service identification (evidence `net.services`): what answers on each open port, decided by protocol. */
export const P_NET_PORTS = 'net.ports'
export const P_NET_SERVICES = 'net.services'

/** Protocols the identifier recognises. `banner` = some other talking service; `unknown` = open but unrecognised. */
export type IdentifiedProtocol = 'ssh' | 'telnet' | 'ftp' | 'smtp' | 'http' | 'https' | 'rtsp' | 'rtsps' | 'mqtt' | 'mqtts' | 'tls' | 'coap' | 'ssdp' | 'snmp' | 'ntp' | 'mdns' | 'banner' | 'unknown'

/** Which exchange decided it. */
export type IdentificationMethod =
  | 'greeting' // the server spoke first (SSH identification string, FTP 220, Telnet IAC, other banner)
  | 'tls-handshake' // a ClientHello got a ServerHello or an alert
  | 'http-get' // GET / answered HTTP/1.x (or RTSP/1.0)
  | 'rtsp-options' // OPTIONS * answered RTSP/1.0
  | 'mqtt-connect' // CONNECT answered CONNACK
  | 'coap-get' // UDP: GET /.well-known/core answered
  | 'ssdp-msearch' // UDP: M-SEARCH answered
  | 'snmp-get' // UDP: a v2c GET of sysDescr.0 or the SNMPv3 engine discovery answered
  | 'ntp-client' // UDP: a mode-3 client request answered by a mode-4 reply
  | 'mdns-query' // UDP: a legacy-unicast DNS-SD PTR query answered
  | 'udp-reply' // UDP: something answered, but as none of the protocols asked
  | 'none' // open, silent or unrecognised to every request

export interface IdentifiedService {
  port: number
  /** Absent: TCP. */
  transport?: 'udp'
  protocol: IdentifiedProtocol
  method: IdentificationMethod
  /** Inside TLS, how the inner protocol was recognised (https: http-get, mqtts: mqtt-connect …). */
  innerMethod?: IdentificationMethod
  /** SHA-256 of the first bytes the service sent (greeting or reply), when it sent any. */
  bannerSha256?: string
  /** A short printable excerpt of a text greeting/reply (first line, ≤ 80 chars); never of binary data. */
  banner?: string
  /** Why nothing more specific was recognised, or what failed (e.g. the TLS handshake). */
  note?: string
}

export interface NetServicesData {
  host: string
  services: IdentifiedService[]
  /** service URI each identified port joined the scan as (absent: no sg17scan module for it). */
  joined: Record<string, string>
}
