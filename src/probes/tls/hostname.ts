/**
 * Service identity matching per RFC 9525 ("Service Identity in TLS").
 *
 * - An IP-address target matches only iPAddress SAN entries, compared as octets (RFC 9525 §6.4): never a
 *   DNS SAN (even one spelling the address) and never the subject CN.
 * - A DNS target matches only dNSName SAN entries (RFC 9525 §6.3): case-insensitive, trailing dot ignored,
 *   internationalised targets compared in A-label form, and a wildcard only when the whole left-most label
 *   is "*"; it then stands for exactly one non-empty label.
 * - The subject Common Name is never used. RFC 9525 §6.2 removed the CN-ID fallback that RFC 6125 still
 *   allowed, so a certificate without a matching SAN does not cover the target whatever its CN says.
 */
import {isIPv4, isIPv6} from 'node:net'
import {domainToASCII} from 'node:url'

/** Octets of an IPv4 or IPv6 literal (zone id and brackets allowed), or undefined when it is not one. */
export function ipToBytes(text: string): Buffer | undefined {
  let s = text.trim()
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1)
  const zone = s.indexOf('%')
  if (zone >= 0) s = s.slice(0, zone)
  if (isIPv4(s)) return Buffer.from(s.split('.').map(Number))
  if (!isIPv6(s)) return undefined
  // An embedded dotted-quad tail ("::ffff:192.0.2.1") stands for the last two groups.
  let tail: number[] = []
  const lastColon = s.lastIndexOf(':')
  const maybeV4 = s.slice(lastColon + 1)
  if (isIPv4(maybeV4)) {
    const [a, b, c, d] = maybeV4.split('.').map(Number) as [number, number, number, number]
    tail = [(a << 8) | b, (c << 8) | d]
    s = `${s.slice(0, lastColon + 1)}0:0`
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)))
  let groups: number[]
  const gap = s.indexOf('::')
  if (gap >= 0) {
    const head = parse(s.slice(0, gap))
    const rest = parse(s.slice(gap + 2))
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest]
  } else groups = parse(s)
  if (tail.length) groups.splice(6, 2, ...tail)
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2))
  return out
}

/** Whether `target` is an IP literal (IPv4, IPv6, bracketed IPv6). */
export function isIpTarget(target: string): boolean {
  return ipToBytes(target) !== undefined
}

/** Lower-case A-label form without trailing dot, or undefined when the name is not a usable DNS name. */
function normaliseDnsName(name: string): string | undefined {
  let s = name.trim()
  if (s.endsWith('.')) s = s.slice(0, -1)
  if (s === '' || s.includes('..')) return undefined
  if (/[^\x00-\x7f]/.test(s)) {
    const ascii = domainToASCII(s)
    if (!ascii) return undefined
    s = ascii
  }
  return s.toLowerCase()
}

function dnsMatches(presented: string, reference: string): boolean {
  // Presented identifiers must be ASCII (IA5String); anything else never matches.
  if (/[^\x00-\x7f]/.test(presented)) return false
  let pattern = presented.trim().toLowerCase()
  if (pattern.endsWith('.')) pattern = pattern.slice(0, -1)
  if (pattern === '' || pattern.includes('..')) return false
  const pLabels = pattern.split('.')
  const rLabels = reference.split('.')
  if (!pattern.includes('*')) return pattern === reference
  // Wildcards: only a left-most label that is exactly "*" (no partial-label wildcards such as "f*" or
  // "xn--*", none in other labels), and — as most clients do — at least two labels after it, so "*.com"
  // does not cover a whole top-level domain.
  if (pLabels[0] !== '*' || pLabels.slice(1).some((l) => l.includes('*'))) return false
  if (pLabels.length < 3) return false
  if (pLabels.length !== rLabels.length) return false
  if (rLabels[0] === '' || rLabels[0] === undefined) return false
  return pLabels.slice(1).every((label, i) => label === rLabels[i + 1])
}

/**
 * Whether a certificate (its SAN entries as "DNS:…" / "IP:…" strings and its subject) covers `target`,
 * the IP address or DNS name used to reach the service. `subject` is accepted for completeness but never
 * matched: RFC 9525 forbids the CN fallback.
 */
export function matchesServiceIdentity(info: {san: string[]; subject: string}, target: string): boolean {
  const ip = ipToBytes(target)
  if (ip) {
    return info.san.some((entry) => {
      if (!entry.startsWith('IP:')) return false
      const presented = ipToBytes(entry.slice(3))
      return presented !== undefined && presented.equals(ip)
    })
  }
  if (target.includes('*')) return false
  const reference = normaliseDnsName(target)
  if (!reference) return false
  return info.san.some((entry) => entry.startsWith('DNS:') && dnsMatches(entry.slice(4), reference))
}
