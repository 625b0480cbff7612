/**
 * HTTP authentication challenges (RFC 9110 §11) and Digest responses (RFC 7616: MD5, SHA-256 and their -sess
 * variants, qop=auth or none). Pure apart from the cnonce, which callers may inject for tests.
 */
import {createHash, randomBytes} from 'node:crypto'

export interface Challenge {
  scheme: string
  params: Record<string, string>
}

/** Every challenge of one or more WWW-Authenticate values (`Basic realm="a", Digest realm="b", nonce="c"`). */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const out: Challenge[] = []
  for (const value of values) {
    let current: Challenge | undefined
    const re = /\s*(?:([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))|([!#$%&'*+.^_`|~0-9A-Za-z-]+))\s*,?/gy
    let m: RegExpExecArray | null
    let pos = 0
    // A scheme token followed by a space starts a new challenge; `name=value` pairs belong to the current one.
    while (pos < value.length) {
      re.lastIndex = pos
      m = re.exec(value)
      if (!m || m[0] === '') break
      pos = re.lastIndex
      if (m[4] !== undefined) {
        current = {scheme: m[4].toLowerCase(), params: {}}
        out.push(current)
      } else if (current && m[1] !== undefined) {
        current.params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '')
      }
    }
  }
  return out
}

const DIGEST_HASHES: Record<string, string> = {'md5': 'md5', 'md5-sess': 'md5', 'sha-256': 'sha256', 'sha-256-sess': 'sha256'}

/** The challenge we answer: Digest SHA-256 before Digest MD5 before Basic; undefined when none is usable. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  const digest = challenges.filter((c) => c.scheme === 'digest' && c.params.nonce !== undefined && DIGEST_HASHES[(c.params.algorithm ?? 'MD5').toLowerCase()])
  const strength = (c: Challenge) => ((c.params.algorithm ?? 'MD5').toLowerCase().startsWith('sha-256') ? 2 : 1)
  digest.sort((a, b) => strength(b) - strength(a))
  return digest[0] ?? challenges.find((c) => c.scheme === 'basic')
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
}

const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`

/** The Authorization header answering a Digest challenge for `method uri` (RFC 7616 §3.4). */
export function digestAuthorization(
  challenge: Challenge,
  request: {method: string; uri: string; username: string; password: string; nc?: number; cnonce?: string},
): string {
  const p = challenge.params
  const algorithm = p.algorithm ?? 'MD5'
  const hashName = DIGEST_HASHES[algorithm.toLowerCase()]
  if (!hashName) throw new Error(`unsupported digest algorithm ${algorithm}`)
  const H = (s: string) => createHash(hashName).update(s, 'utf8').digest('hex')
  const realm = p.realm ?? ''
  const nonce = p.nonce ?? ''
  const cnonce = request.cnonce ?? randomBytes(16).toString('hex')
  const nc = (request.nc ?? 1).toString(16).padStart(8, '0')
  const qops = (p.qop ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean)
  const qop = qops.includes('auth') ? 'auth' : undefined
  let ha1 = H(`${request.username}:${realm}:${request.password}`)
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = H(`${ha1}:${nonce}:${cnonce}`)
  const ha2 = H(`${request.method}:${request.uri}`)
  const response = qop ? H(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`)
  const parts = [
    `username=${quote(request.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(request.uri)}`,
    `algorithm=${algorithm}`,
    `response=${quote(response)}`,
  ]
  if (p.opaque !== undefined) parts.push(`opaque=${quote(p.opaque)}`)
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`)
  return `Digest ${parts.join(', ')}`
}

/** Server side of the same computation (the lab verifies with it); returns the expected `response`. */
export function expectedDigestResponse(
  fields: Record<string, string>,
  method: string,
  password: string,
): string | undefined {
  const algorithm = fields.algorithm ?? 'MD5'
  const hashName = DIGEST_HASHES[algorithm.toLowerCase()]
  if (!hashName) return undefined
  const H = (s: string) => createHash(hashName).update(s, 'utf8').digest('hex')
  let ha1 = H(`${fields.username}:${fields.realm}:${password}`)
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = H(`${ha1}:${fields.nonce}:${fields.cnonce}`)
  const ha2 = H(`${method}:${fields.uri}`)
  return fields.qop ? H(`${ha1}:${fields.nonce}:${fields.nc}:${fields.cnonce}:${fields.qop}:${ha2}`) : H(`${ha1}:${fields.nonce}:${ha2}`)
}
