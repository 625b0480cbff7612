/**
 * Key-exchange groups: TLS 1.3 groups named by HelloRetryRequest (empty key_share), TLS ≤ 1.2 ECDHE groups read
 * from ServerKeyExchange with a shrinking supported_groups list, and whether the server has a group preference
 * of its own. Runs the removal loop (remove-loop.ts) through the scanner's hello shape.
 */
import {EC_GROUPS_12, GROUPS_13, PROTOCOL_VERSION} from './clienthello.js'
import type {Outcome, StopAt} from './exchange.js'
import {maxPerHello, type HelloRequest, type HelloShape} from './hello-shapes.js'
import type {FlightState} from './observe.js'
import {HS_SERVER_KEY_EXCHANGE} from './records.js'
import {cipherSuiteByCode, namedGroupName, tls12CipherSuites, tls13CipherSuites} from './registry.js'
import {chunkedRemoveLoop, type Pick} from './remove-loop.js'
import {parseServerKeyExchange} from './serverhello.js'
import type {TlsCipherSuitesData, TlsProtocol, TlsProtocolsData} from './types.js'

/** What the group scans need from the scanner. */
export interface GroupScanner {
  readonly shape: HelloShape
  readonly protocols: TlsProtocolsData
  readonly cipherSuites: TlsCipherSuitesData
  readonly flight: FlightState
  shapeFor(p: TlsProtocol): HelloShape
  request(p: Exclude<TlsProtocol, 'SSLv2'>, suites: readonly number[], extra?: Partial<HelloRequest>): HelloRequest
  hello(p: Exclude<TlsProtocol, 'SSLv2'>, list: readonly number[], stopAt: StopAt, extra?: Partial<HelloRequest>): Promise<Outcome>
  gap(observation: 'tls.key-exchange', part: string, code: string, message: string): void
}

/** TLS 1.3 groups: empty key_share, the server names a group it supports in a HelloRetryRequest. */
export async function scanGroups13(s: GroupScanner): Promise<void> {
  const suites = (s.cipherSuites['TLSv1.3'] ?? []).map((n) => tls13CipherSuites().find((c) => c.name === n)?.code ?? -1).filter((c) => c >= 0)
  const req = s.request('TLSv1.3', suites, {keyShareGroups: []})
  const max = maxPerHello(s.shapeFor('TLSv1.3'), req, 'groups', GROUPS_13)
  const attempt = (groups: number[]): Promise<Outcome> => s.hello('TLSv1.3', suites, 'server-hello', {groups, keyShareGroups: []})
  const accept = (o: Outcome, list: number[]): Pick => {
    if (o.kind !== 'hello' || o.sh.version !== 0x0304 || o.sh.keyShareGroup === undefined) return null
    return list.includes(o.sh.keyShareGroup) ? o.sh.keyShareGroup : null
  }
  const end = await chunkedRemoveLoop(GROUPS_13, max, attempt, accept)
  if (end.stopped) {
    addGroups(s, end.found)
    throw end.stopped
  }
  if (end.interrupted) s.gap('tls.key-exchange', 'TLS 1.3 groups', end.interrupted.code, end.interrupted.message)
  addGroups(s, end.found)
  if (end.found.length) s.flight.keyExchange.preferredGroup = namedGroupName(end.found[0])
}

/** TLS ≤1.2 ECDHE groups: ECDHE suites only, supported_groups shrinking; the curve is in ServerKeyExchange. */
export async function scanGroups12(s: GroupScanner): Promise<void> {
  const p = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0'] as const).find((v) =>
    (s.cipherSuites[v] ?? []).some((n) => tls12CipherSuites().find((c) => c.name === n)?.kex === 'ECDHE'),
  )
  if (!p) return
  if (s.shape === 'bare') {
    s.gap('tls.key-exchange', 'ECDHE groups', 'hello-shape', 'the device answers only extension-free hellos, which cannot list groups')
    return
  }
  const ecdhe = tls12CipherSuites()
    .filter((c) => c.kex === 'ECDHE' && (s.cipherSuites[p] ?? []).includes(c.name))
    .map((c) => c.code)
  const known = new Set(s.flight.keyExchange.groups)
  const candidates = EC_GROUPS_12.filter((g) => !known.has(namedGroupName(g)))
  if (!candidates.length) return
  const attempt = (groups: number[]): Promise<Outcome> => s.hello(p, ecdhe, 'key-exchange', {groups})
  const accept = (o: Outcome, list: number[]): Pick => {
    if (o.kind !== 'hello' || o.sh.version !== PROTOCOL_VERSION[p]) return null
    const info = cipherSuiteByCode(o.sh.cipherSuite)
    const ske = o.messages.find((m) => m.type === HS_SERVER_KEY_EXCHANGE)
    if (!info || !ske) return null
    try {
      const k = parseServerKeyExchange(ske.body, info.kex)
      if (k.kind === 'ecdhe' && k.namedGroup !== undefined && list.includes(k.namedGroup)) return k.namedGroup
    } catch {
      return null
    }
    return null
  }
  const max = maxPerHello(s.shapeFor(p), s.request(p, ecdhe), 'groups', candidates)
  const end = await chunkedRemoveLoop(candidates, max, attempt, accept)
  if (end.stopped) {
    addGroups(s, end.found)
    throw end.stopped
  }
  if (end.interrupted) s.gap('tls.key-exchange', 'ECDHE groups', end.interrupted.code, end.interrupted.message)
  addGroups(s, end.found)
  if (end.found.length && !s.protocols['TLSv1.3']) {
    s.flight.keyExchange.preferredGroup ??= await preferredGroup12(end.found, attempt, accept)
  }
}

/**
 * The server's own group preference, or null when it follows the client's order: offered the groups found
 * in reverse, a client-order server picks our first entry, one with its own preference its top group again.
 */
async function preferredGroup12(found: number[], attempt: (g: number[]) => Promise<Outcome>, accept: (o: Outcome, l: number[]) => Pick): Promise<string | null> {
  if (found.length < 2) return namedGroupName(found[0])
  const reversed = [...found].sort((a, b) => EC_GROUPS_12.indexOf(b) - EC_GROUPS_12.indexOf(a))
  const pick = accept(await attempt(reversed), reversed)
  if (typeof pick !== 'number') return null
  return pick === reversed[0] && reversed[0] !== found[0] ? null : namedGroupName(found[0])
}

function addGroups(s: GroupScanner, codes: number[]): void {
  for (const c of codes) {
    const n = namedGroupName(c)
    if (!s.flight.keyExchange.groups.includes(n)) s.flight.keyExchange.groups.push(n)
  }
}
