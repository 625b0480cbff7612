/**
 * Canonical IP addresses for matching UDP replies to their target: "::1", "0:0:0:0:0:0:0:1" and "::ffff:127.0.0.1"
 * name the hosts they name, whatever the spelling (a literal compared as a string makes every reply "foreign").
 */
import {isIP} from 'node:net'

/** Canonical form of an IP literal (IPv4-mapped IPv6 → dotted IPv4; IPv6 → RFC 5952 via WHATWG URL); else the input. */
export function canonicalIp(address: string): string {
  const bare = address.replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 4) return bare
  if (family !== 6) return address.toLowerCase()
  const v6 = new URL(`http://[${bare}]/`).hostname.slice(1, -1)
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6)
  if (mapped) {
    const hi = parseInt(mapped[1] as string, 16)
    const lo = parseInt(mapped[2] as string, 16)
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`
  }
  return v6
}

/** True when both name the same IP address. */
export function sameIp(a: string, b: string): boolean {
  return canonicalIp(a) === canonicalIp(b)
}
