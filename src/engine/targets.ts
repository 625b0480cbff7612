import {isIP} from 'node:net'

import type {Service, ServiceProtocol} from '../evidence/types.js'
import {PROTOCOLS} from '../evidence/types.js'
import {ConfigError} from '../profiles/errors.js'

export const DEFAULT_PORTS: Record<ServiceProtocol, number> = {
  tls: 443,
  https: 443,
  ssh: 22,
  snmp: 161,
  http: 80,
  telnet: 23,
  ftp: 21,
  mqtt: 1883,
  mqtts: 8883,
  rtsp: 554,
  coap: 5683,
  ssdp: 1900,
  ntp: 123,
}

/** Service protocols carried over UDP. */
export const UDP_PROTOCOLS: readonly string[] = ['snmp', 'coap', 'ssdp', 'ntp']

export type ParsedTarget = {kind: 'service'; service: Service} | {kind: 'host'; host: string}

export function serviceId(protocol: ServiceProtocol, host: string, port: number): string {
  return `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`
}

export function makeService(protocol: ServiceProtocol, host: string, port: number): Service {
  return {
    id: serviceId(protocol, host, port),
    protocol,
    host,
    port,
    transport: UDP_PROTOCOLS.includes(protocol) ? 'udp' : 'tcp',
  }
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i

/** Parses `proto://host[:port]` or a bare host / IP. Throws ConfigError naming the problem. */
export function parseTarget(input: string): ParsedTarget {
  const text = input.trim()
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(text)
  if (!scheme) {
    const host = stripBrackets(text)
    if (!isHost(host)) throw new ConfigError(`bad target '${input}': expected a host, an IP address or a URI like tls://192.0.2.10:443`)
    return {kind: 'host', host}
  }
  const protocol = scheme[1].toLowerCase() as ServiceProtocol
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new ConfigError(`bad target '${input}': unknown scheme '${scheme[1]}' (supported: ${PROTOCOLS.join(', ')})`)
  }
  const rest = scheme[2]
  if (/[/?#@]/.test(rest.replace(/\/$/, ''))) {
    throw new ConfigError(`bad target '${input}': give only ${protocol}://host[:port] (no user info, path or query)`)
  }
  const authority = rest.replace(/\/$/, '')
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d*))?$/.exec(authority)
  if (!m) throw new ConfigError(`bad target '${input}': cannot read host and port`)
  const host = stripBrackets(m[1])
  if (!isHost(host)) throw new ConfigError(`bad target '${input}': '${m[1]}' is not a valid host name or IP address`)
  let port = DEFAULT_PORTS[protocol]
  if (m[2] !== undefined) {
    port = Number(m[2])
    if (m[2] === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError(`bad target '${input}': port must be 1–65535`)
    }
  }
  return {kind: 'service', service: makeService(protocol, host.toLowerCase(), port)}
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

function isHost(host: string): boolean {
  return isIP(host) !== 0 || HOSTNAME.test(host)
}
