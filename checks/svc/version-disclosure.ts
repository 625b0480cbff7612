/**
 * Version-disclosure detection for unauthenticated banners (Telnet pre-login text, FTP greeting, SSH
 * identification). Pure: text in, verdict out. Tuned against false positives: a match needs a dotted
 * version ("3.0.3", "v1.31.1", "9.2p1") or a product joined to a number by "_" or "/" ("dropbear_2014.63",
 * "lighttpd/1.4"); IPv4 addresses, dates and protocol versions ("HTTP/1.1", "SSH-2.0") never match.
 */
import type {CheckInput, CheckResult} from '../../src/checks/types.js'
import {readSurface} from '../http/shared.js'
import {excerpt, readFtpSession, readTelnetBanner} from './shared.js'

export interface VersionDisclosure {
  disclosed: boolean
  /** Product name next to the version, when one is recognisable (e.g. "vsFTPd", "BusyBox"). */
  product?: string
  /** The version without a leading "v" (e.g. "3.0.3", "2014.63", "9.2p1"). */
  version?: string
  /** The text that matched, e.g. "BusyBox v1.31.1". */
  match?: string
}

/** Protocol names whose "/x.y" or "-x.y" is a protocol version, not a software version. */
const PROTOCOL_NAMES = new Set(['http', 'https', 'ssh', 'rtsp', 'sip', 'ftp', 'tls', 'ssl', 'smtp', 'imap', 'pop', 'ipv', 'ip', 'tcp', 'udp'])
/** Words that introduce a version rather than name a product. */
const VERSION_WORDS = new Set(['version', 'ver', 'v', 'release', 'rel', 'rev', 'revision', 'build', 'firmware', 'fw', 'sw'])

/** Generic nouns that precede a version without naming a product ("FTP server (Version 6.00LS)"). */
const GENERIC_WORDS = new Set(['server', 'service', 'daemon', 'ftpd', 'telnetd', 'system', 'device', 'software'])

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/
const DATE = /^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})$/
const STANDALONE = /^[vV]?(\d+(?:\.\d+)+[A-Za-z0-9+~_-]*)$/
const JOINED = /^([A-Za-z][A-Za-z0-9+.]*?)([_/-])[vV]?(\d+(?:\.\d+)*[A-Za-z0-9.+~_-]*)$/
const PROTOCOL_PREFIX = /^([A-Za-z]+)[/-]\d+(?:\.\d+)*(?:[-_]|$)/
const PRODUCT = /^[A-Za-z][A-Za-z0-9+._-]*$/

function cleanToken(t: string): string {
  return t.replace(/^[.!?,;:'"`*]+/, '').replace(/[.!?,;:'"`*]+$/, '')
}

function isExcludedNumber(s: string): boolean {
  return IPV4.test(s) || DATE.test(s)
}

/** Finds the first software version in `text`. */
export function detectVersion(text: string): VersionDisclosure {
  for (const line of text.split(/\r?\n/)) {
    const tokens = line
      .split(/[\s()[\]{}<>,;=|"']+/)
      .map(cleanToken)
      .filter((t) => t !== '')
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      // "host:port", "key:value" — look at each side separately.
      const parts = token.split(':').map(cleanToken).filter((p) => p !== '')
      while (parts.length) {
        const part = parts.shift()!
        if (isExcludedNumber(part)) continue
        // "SSH-2.0-OpenSSH_9.2p1", "HTTP/1.0-…": drop the protocol version and look at what follows.
        const proto = PROTOCOL_PREFIX.exec(part)
        if (proto && PROTOCOL_NAMES.has(proto[1]!.toLowerCase())) {
          const rest = part.slice(proto[0].length)
          if (rest) parts.unshift(rest)
          continue
        }
        const joined = JOINED.exec(part)
        if (joined) {
          const [, product, sep, version] = joined as unknown as [string, string, string, string]
          const dotted = version.includes('.')
          if (!dotted && (sep === '-' || !/[A-Za-z]$/.test(product))) continue
          if (isExcludedNumber(version)) continue
          return {disclosed: true, product, version, match: part}
        }
        const standalone = STANDALONE.exec(part)
        if (standalone) {
          const version = standalone[1]!
          if (isExcludedNumber(version)) continue
          const product = productBefore(tokens, i)
          return product === undefined
            ? {disclosed: true, version, match: part}
            : {disclosed: true, product, version, match: `${product} ${part}`}
        }
      }
    }
  }
  return {disclosed: false}
}

function productBefore(tokens: readonly string[], index: number): string | undefined {
  for (let j = index - 1; j >= 0 && j >= index - 2; j--) {
    const t = tokens[j]!
    if (VERSION_WORDS.has(t.toLowerCase())) continue
    const lower = t.toLowerCase()
    return PRODUCT.test(t) && !PROTOCOL_NAMES.has(lower) && !GENERIC_WORDS.has(lower) ? t : undefined
  }
  return undefined
}

function describe(d: VersionDisclosure): string {
  return d.product ? `${d.product} ${d.version}` : `version ${d.version}`
}

/**
 * The `svc.banner.version-disclosure` result for a Telnet or FTP service, ready for the SSH check to call
 * once it reads `telnet.banner` and `ftp.session` too; undefined for any other protocol.
 */
export function evaluateCleartextBanner(input: CheckInput): CheckResult | undefined {
  const protocol = input.service.protocol
  let label: string
  let banner: string
  if (protocol === 'telnet') {
    const d = readTelnetBanner(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The Telnet observation holds no banner data.'}
    label = 'Telnet pre-login text'
    banner = d.banner
  } else if (protocol === 'ftp') {
    const d = readFtpSession(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The FTP observation holds no session data.'}
    label = 'FTP greeting'
    banner = d.banner
  } else {
    return undefined
  }
  if (!banner.trim()) return {outcome: 'pass', message: `The ${label} is empty: no software version disclosed.`}
  const found = detectVersion(banner)
  if (found.disclosed) {
    return {outcome: 'fail', message: `The ${label} discloses ${describe(found)} (${JSON.stringify(found.match)} in ${excerpt(banner)}).`}
  }
  return {outcome: 'pass', message: `The ${label} ${excerpt(banner)} names no software version.`}
}

/**
 * The `svc.banner.version-disclosure` result for an HTTP(S) service: the Server and X-Powered-By response
 * headers (first value seen during the crawl); undefined for any other protocol.
 */
export function evaluateHttpHeaders(input: CheckInput): CheckResult | undefined {
  const protocol = input.service.protocol
  if (protocol !== 'http' && protocol !== 'https') return undefined
  const s = readSurface(input)
  if (!s.valid) return {outcome: 'inconclusive', message: 'The HTTP observation holds no surface data.'}
  const headers = [
    ['Server', s.server],
    ['X-Powered-By', s.poweredBy],
  ].filter(([, v]) => v !== '')
  if (headers.length === 0) return {outcome: 'pass', message: 'The HTTP responses carry no Server or X-Powered-By header.'}
  const disclosed = headers.map(([name, value]) => ({name, value, found: detectVersion(value!)})).filter((h) => h.found.disclosed)
  if (disclosed.length) {
    return {
      outcome: 'fail',
      message: `HTTP headers disclose software versions: ${disclosed.map((h) => `${h.name}: ${JSON.stringify(h.value!.slice(0, 80))} (${describe(h.found)})`).join('; ')}.`,
    }
  }
  return {outcome: 'pass', message: `${headers.map(([n, v]) => `${n}: ${JSON.stringify(v!.slice(0, 80))}`).join('; ')} name no software version.`}
}
