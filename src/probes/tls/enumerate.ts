/**
 * TLS scan logic: protocol detection, cipher-suite enumeration (offer many, remove the accepted one, repeat
 * until refused), server preference, groups, DHE prime size, compression, RFC 5746/7627/7366 extensions.
 * Every connection goes through ctx.connect(); every read is bounded in bytes and time.
 */
import type {Socket} from 'node:net'

import type {ObservationError} from '../../evidence/types.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {
  buildClientHello,
  buildSslv2ClientHello,
  COMPRESSION_DEFLATE,
  COMPRESSION_NULL,
  EC_GROUPS_12,
  GROUPS_13,
  PROTOCOL_VERSION,
} from './clienthello.js'
import {
  HS_CERTIFICATE,
  HS_SERVER_HELLO,
  HS_SERVER_HELLO_DONE,
  HS_SERVER_KEY_EXCHANGE,
  readHandshake,
  readSslv2,
  type HandshakeMessage,
} from './records.js'
import {cipherSuiteByCode, namedGroupName, sslv2CipherKinds, tls12CipherSuites, tls13CipherSuites} from './registry.js'
import {
  parseAlert,
  parseCertificateMessage,
  parseServerHello,
  parseServerKeyExchange,
  parseSslv2ServerHello,
  type Alert,
  type ServerHello,
  type ServerKeyExchange,
} from './serverhello.js'
import type {
  CipherSuiteInfo,
  TlsCipherPreferenceData,
  TlsCipherSuitesData,
  TlsKeyExchangeData,
  TlsProtocol,
  TlsProtocolsData,
} from './types.js'

export interface TlsEnumeration {
  protocols: TlsProtocolsData
  cipherSuites: TlsCipherSuitesData
  preference: TlsCipherPreferenceData
  keyExchange: TlsKeyExchangeData
  /** First Certificate message seen in a TLS ≤1.2 / SSLv3 handshake (highest protocol first). */
  chain: {der: Buffer[]; protocol: TlsProtocol} | null
  sslv2Certificate?: Buffer
  /** One ServerHello record (only the ServerHello message) per accepted protocol. */
  serverHellos: Partial<Record<TlsProtocol, Buffer>>
  /** Alert record received when a protocol was refused. */
  alerts: Partial<Record<TlsProtocol, {raw: Buffer; alert: Alert}>>
  /** Why each refused protocol counts as refused. */
  refusals: Partial<Record<TlsProtocol, string>>
  connections: number
  elapsedMs: number
  /** Set when the target is unusable (silent, not TLS, resets everything …): other fields are empty. */
  error?: ObservationError
}

export interface EnumerateOptions {
  /** Largest number of suites offered in one hello when the server seems to limit the hello size. */
  chunkSize?: number
  /** Protocols to test (default: all). */
  protocols?: readonly TlsProtocol[]
}

type Outcome =
  | {kind: 'hello'; sh: ServerHello; shRecord: Buffer; messages: HandshakeMessage[]}
  | {kind: 'alert'; alert: Alert; raw: Buffer}
  | {kind: 'failed'; code: string; message: string}

/** Alerts that suggest the hello itself (size, a value in it) upset the server, not the protocol/suites. */
const SUSPECT_ALERTS = new Set([10, 22, 47, 50, 80])

const MAX_LOOP = 512

function suiteSortKey(s: CipherSuiteInfo): number[] {
  const mode = {AEAD: 0, CBC: 1, stream: 2, none: 3}[s.mode]
  return [s.export ? 1 : 0, s.anonymous ? 1 : 0, s.forwardSecrecy ? 0 : 1, mode, -s.cipherBits, s.code]
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

/** Suites valid to offer at a protocol version, strongest first (a sensible client preference order). */
export function suitesForProtocol(p: TlsProtocol): number[] {
  if (p === 'SSLv2') return sslv2CipherKinds().map((s) => s.code)
  if (p === 'TLSv1.3') return tls13CipherSuites().map((s) => s.code)
  let list = tls12CipherSuites()
  if (p !== 'TLSv1.2') {
    // AEAD suites and SHA-256/384 MACs/PRFs need TLS 1.2 (RFC 5246, 5288, 5289, 7905).
    list = list.filter((s) => s.mode !== 'AEAD' && (s.mac === 'MD5' || s.mac === 'SHA' || s.mac === 'NULL'))
  }
  return list.sort((a, b) => compareKeys(suiteSortKey(a), suiteSortKey(b))).map((s) => s.code)
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Protocols run concurrently; where one observation must be picked, the highest protocol's wins. */
const PROTOCOL_RANK: Record<TlsProtocol, number> = {SSLv2: 0, SSLv3: 1, 'TLSv1.0': 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5}

function emptyProtocols(): TlsProtocolsData {
  return {SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false}
}

/** Rebuilds a record carrying only the ServerHello message (the server's exact bytes). */
function serverHelloRecord(msg: HandshakeMessage): Buffer {
  const hs = Buffer.alloc(4 + msg.body.length)
  hs[0] = HS_SERVER_HELLO
  hs.writeUIntBE(msg.body.length, 1, 3)
  msg.body.copy(hs, 4)
  const hdr = Buffer.alloc(5)
  hdr[0] = 22
  hdr.writeUInt16BE(msg.record.length >= 3 ? msg.record.readUInt16BE(1) : 0x0303, 1)
  hdr.writeUInt16BE(hs.length, 3)
  return Buffer.concat([hdr, hs])
}

class Fatal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

class Scanner {
  connections = 0
  /** Some TLS bytes (hello or alert) were seen from the server. */
  spokeTls = false
  firstFailure: {code: string; message: string} | undefined
  /** A full-list hello was accepted: no need for chunking. */
  fullListWorked = false
  useChunks = false
  /** Chunked offers were tried and did not help: do not try again. */
  chunksFailed = false
  /** The first (TLS 1.2) hello was reset/closed before the server proved it speaks TLS: retry in chunks later. */
  deferredChunks = false
  readonly chunkSize: number

  result: TlsEnumeration = {
    protocols: emptyProtocols(),
    cipherSuites: {},
    preference: {},
    keyExchange: {
      groups: [],
      preferredGroup: null,
      dheBits: null,
      compression: [],
      secureRenegotiation: null,
      extendedMasterSecret: null,
      encryptThenMac: null,
    },
    chain: null,
    serverHellos: {},
    alerts: {},
    refusals: {},
    connections: 0,
    elapsedMs: 0,
  }
  private cbcSeen = false
  private etmSeen = false
  private renegotiationFrom: TlsProtocol | undefined

  constructor(
    readonly ctx: ProbeContext,
    opts: EnumerateOptions,
  ) {
    this.chunkSize = opts.chunkSize ?? 128
  }

  private async open(): Promise<Socket> {
    if (this.ctx.signal.aborted) throw new Fatal('aborted', 'probe aborted before completion')
    let sock: Socket
    try {
      sock = await this.ctx.connect()
    } catch (e) {
      if (this.ctx.signal.aborted) throw new Fatal('aborted', 'probe aborted before completion')
      const code = e instanceof ProbeError ? e.code : 'connect-failed'
      throw new Fatal(code, `cannot connect: ${(e as Error).message}`)
    }
    this.connections++
    sock.on('error', () => {}) // errors are read through the record reader
    sock.setNoDelay?.(true)
    return sock
  }

  /** One connection: send a hello, read the reply. */
  private async exchange(hello: Buffer, stopAt: 'server-hello' | 'key-exchange' | 'hello-done'): Promise<Outcome> {
    const sock = await this.open()
    try {
      const reading = readHandshake(sock, {
        timeoutMs: this.ctx.timeoutMs,
        signal: this.ctx.signal,
        done: (msgs) => {
          const first = msgs[0]
          if (first.type !== HS_SERVER_HELLO) return true
          if (stopAt === 'server-hello') return true
          // TLS 1.3 ServerHello / HRR: the rest is encrypted or needs another hello.
          try {
            const sh = parseServerHello(first.body)
            if (sh.version === 0x0304 || sh.helloRetryRequest) return true
          } catch {
            return true
          }
          const last = msgs[msgs.length - 1].type
          if (last === HS_SERVER_HELLO_DONE) return true
          return stopAt === 'key-exchange' && last === HS_SERVER_KEY_EXCHANGE
        },
      })
      sock.write(hello)
      const res = await reading
      this.spokeTls ||= res.messages.length > 0 || res.alert !== undefined
      if (res.alert && !res.messages.length) {
        return {kind: 'alert', alert: parseAlert(res.alert.raw.subarray(5)), raw: res.alert.raw}
      }
      const first = res.messages[0]
      if (!first || first.type !== HS_SERVER_HELLO) {
        return {kind: 'failed', code: 'malformed', message: `expected ServerHello, got handshake type ${first?.type}`}
      }
      const sh = parseServerHello(first.body)
      return {kind: 'hello', sh, shRecord: serverHelloRecord(first), messages: res.messages}
    } catch (e) {
      if (e instanceof Fatal) throw e
      if (e instanceof ProbeError) {
        if (e.code === 'aborted') throw new Fatal('aborted', 'probe aborted before completion')
        return {kind: 'failed', code: e.code, message: e.message}
      }
      return {kind: 'failed', code: 'malformed', message: (e as Error).message}
    } finally {
      sock.destroy()
    }
  }

  private noteFailure(o: Outcome, first: boolean): void {
    if (o.kind !== 'failed') return
    this.firstFailure ??= {code: o.code, message: o.message}
    if (first && (o.code === 'timeout' || o.code === 'not-tls' || o.code === 'oversized')) {
      throw new Fatal(o.code, o.message)
    }
    if (o.code === 'oversized' || (o.code === 'not-tls' && !this.spokeTls)) throw new Fatal(o.code, o.message)
  }

  private hello12(p: TlsProtocol, suites: readonly number[], extra: {groups?: readonly number[]} = {}): Buffer {
    return buildClientHello({
      version: p as Exclude<TlsProtocol, 'SSLv2' | 'TLSv1.3'>,
      cipherSuites: suites,
      targetName: this.ctx.targetName,
      compression: [COMPRESSION_DEFLATE, COMPRESSION_NULL],
      groups: extra.groups,
    })
  }

  private hello13(suites: readonly number[], groups?: readonly number[], keyShares?: readonly number[]): Buffer {
    return buildClientHello({
      version: 'TLSv1.3',
      cipherSuites: suites,
      targetName: this.ctx.targetName,
      groups,
      keyShareGroups: keyShares,
    })
  }

  /** Records what a successful TLS ≤1.2 ServerHello flight tells us. */
  private observe12(p: TlsProtocol, o: Extract<Outcome, {kind: 'hello'}>): void {
    const {sh} = o
    const info = cipherSuiteByCode(sh.cipherSuite)
    this.result.serverHellos[p] ??= o.shRecord
    if (sh.compression === COMPRESSION_DEFLATE && !this.result.keyExchange.compression.includes('DEFLATE')) {
      this.result.keyExchange.compression.push('DEFLATE')
    } else if (sh.compression !== COMPRESSION_NULL && sh.compression !== COMPRESSION_DEFLATE) {
      const name = `method-${sh.compression}`
      if (!this.result.keyExchange.compression.includes(name)) this.result.keyExchange.compression.push(name)
    }
    if (!this.renegotiationFrom || PROTOCOL_RANK[p] > PROTOCOL_RANK[this.renegotiationFrom]) {
      this.renegotiationFrom = p
      this.result.keyExchange.secureRenegotiation = sh.secureRenegotiation
      this.result.keyExchange.extendedMasterSecret = sh.extendedMasterSecret
    }
    if (info?.mode === 'CBC') {
      this.cbcSeen = true
      this.etmSeen ||= sh.encryptThenMac
      this.result.keyExchange.encryptThenMac = this.etmSeen
    }
    for (const m of o.messages) {
      try {
        if (m.type === HS_CERTIFICATE && (!this.result.chain || PROTOCOL_RANK[p] > PROTOCOL_RANK[this.result.chain.protocol])) {
          const der = parseCertificateMessage(m.body)
          if (der.length) this.result.chain = {der, protocol: p}
        } else if (m.type === HS_SERVER_KEY_EXCHANGE && info) {
          const ske: ServerKeyExchange = parseServerKeyExchange(m.body, info.kex)
          if (ske.kind === 'dhe' && ske.primeBits > 0) {
            const cur = this.result.keyExchange.dheBits
            this.result.keyExchange.dheBits = cur === null ? ske.primeBits : Math.min(cur, ske.primeBits)
          }
        }
      } catch (e) {
        this.ctx.log(`tls: ignoring unparsable handshake message ${m.type} (${(e as Error).message})`)
      }
    }
  }

  private refuse(p: TlsProtocol, o: Outcome): void {
    if (o.kind === 'alert') {
      this.result.alerts[p] = {raw: o.raw, alert: o.alert}
      this.result.refusals[p] = `alert ${o.alert.name}`
    } else if (o.kind === 'failed') {
      this.result.refusals[p] = `${o.code}: ${o.message}`
    } else {
      this.result.refusals[p] = `server answered ${o.sh.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} version 0x${o.sh.version.toString(16).padStart(4, '0')}, suite 0x${o.sh.cipherSuite.toString(16).padStart(4, '0')}`
    }
  }

  /** Offers `offer`, removes each accepted suite and repeats until the server refuses. */
  private async removeLoop(
    offer: readonly number[],
    attempt: (list: number[]) => Promise<Outcome>,
    accept: (o: Outcome, list: number[]) => number | null,
    firstOutcome?: Outcome,
    reverseSecond = false,
  ): Promise<number[]> {
    let remaining = [...offer]
    const found: number[] = []
    let pending = firstOutcome
    for (let i = 0; i < MAX_LOOP && remaining.length; i++) {
      // The second offer goes in reverse order: a server that follows the client's order then picks the last
      // accepted suite, one that enforces its own order its second choice (see preference()).
      const list = reverseSecond && i === 1 ? [...remaining].reverse() : remaining
      const o = pending ?? (await attempt(list))
      pending = undefined
      const pick = accept(o, list)
      if (pick === null) break
      found.push(pick)
      remaining = remaining.filter((c) => c !== pick)
    }
    return found
  }

  private accept12 = (p: TlsProtocol) => (o: Outcome, list: number[]): number | null => {
    if (o.kind !== 'hello') return null
    if (o.sh.version !== PROTOCOL_VERSION[p] || o.sh.helloRetryRequest) return null
    if (!list.includes(o.sh.cipherSuite)) {
      this.ctx.log(`tls: ${p} server chose suite 0x${o.sh.cipherSuite.toString(16)} that was not offered`)
      return null
    }
    this.observe12(p, o)
    return o.sh.cipherSuite
  }

  private accept13 = (o: Outcome, list: number[]): number | null => {
    if (o.kind !== 'hello' || o.sh.version !== 0x0304 || !list.includes(o.sh.cipherSuite)) return null
    if (!o.sh.helloRetryRequest) this.result.serverHellos['TLSv1.3'] ??= o.shRecord
    return o.sh.cipherSuite
  }

  /**
   * TLS ≤1.2 protocol: offer every suite valid for the version; if the server resets/closes or chokes on the
   * hello (decode_error …) although it speaks TLS otherwise, retry in chunks of at most `chunkSize` suites.
   */
  async protocol12(p: TlsProtocol, isFirstProbe: boolean, forceChunks = false): Promise<void> {
    const candidates = suitesForProtocol(p)
    const accept = this.accept12(p)
    const attempt = (list: number[]): Promise<Outcome> => this.exchange(this.hello12(p, list), 'hello-done')
    let found: number[] = []
    let chunked = false
    let firstOutcome: Outcome | undefined
    if (!this.useChunks && !forceChunks) {
      firstOutcome = await attempt(candidates)
      this.noteFailure(firstOutcome, isFirstProbe)
      found = await this.removeLoop(candidates, attempt, accept, firstOutcome, true)
      if (found.length) this.fullListWorked = true
      else {
        const suspect =
          (firstOutcome.kind === 'failed' && (firstOutcome.code === 'closed' || firstOutcome.code === 'reset')) ||
          (firstOutcome.kind === 'alert' && SUSPECT_ALERTS.has(firstOutcome.alert.description))
        if (suspect && !this.spokeTls && p === 'TLSv1.2') this.deferredChunks = true
        if (!suspect || !this.spokeTls || this.fullListWorked || this.chunksFailed || candidates.length <= this.chunkSize) {
          this.refuse(p, firstOutcome)
          return
        }
        chunked = true
      }
    } else chunked = true
    if (chunked) {
      let lastOutcome: Outcome | undefined = firstOutcome
      for (const part of chunk(candidates, this.chunkSize)) {
        const o = await attempt(part)
        lastOutcome = o
        if (accept(o, part) === null) continue
        this.useChunks = true
        const pick = (o as Extract<Outcome, {kind: 'hello'}>).sh.cipherSuite
        found.push(pick, ...(await this.removeLoop(part.filter((c) => c !== pick), attempt, accept)))
      }
      if (!found.length) {
        this.chunksFailed = true
        if (lastOutcome) this.refuse(p, lastOutcome)
        return
      }
      delete this.result.refusals[p]
      delete this.result.alerts[p]
    }
    this.result.protocols[p] = true
    await this.preference(p, candidates, found, chunked, attempt, accept)
  }

  /**
   * Server order. Unchunked enumeration offered the second hello in reverse order, so with three or more suites
   * the order of the picks already tells: a server following the client's order picked the first then the last
   * accepted suite (in offer order); one enforcing its own order picked its first and second choice (the found
   * order is then its preference order). With two suites, or after chunked enumeration, one more hello offers the
   * accepted suites reversed; chunked enumeration then derives the full server order by repeated offers.
   */
  private async preference(
    p: TlsProtocol,
    candidates: readonly number[],
    found: number[],
    chunked: boolean,
    attempt: (list: number[]) => Promise<Outcome>,
    accept: (o: Outcome, list: number[]) => number | null,
  ): Promise<void> {
    const offerOrder = [...found].sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b))
    let order = found
    let serverOrder: boolean | null = null
    if (found.length >= 2 && !chunked && found[0] !== offerOrder[0]) {
      // The first offer listed the accepted suites in offerOrder: a server following the client's order would
      // have picked offerOrder[0].
      serverOrder = true
    } else if (found.length >= 3 && !chunked) {
      const clientOrder = found[1] === offerOrder[offerOrder.length - 1]
      serverOrder = !clientOrder
      if (clientOrder) order = offerOrder
    } else if (found.length >= 2) {
      const reversed = [...offerOrder].reverse()
      const o = await attempt(reversed)
      const pick = accept(o, reversed)
      if (pick !== null) serverOrder = pick !== reversed[0]
      if (serverOrder === false) order = offerOrder
      if (serverOrder && chunked) {
        order = await this.removeLoop(found, attempt, accept)
        if (order.length !== found.length) order = [...order, ...found.filter((c) => !order.includes(c))]
      }
    }
    this.result.preference[p] = {serverOrder}
    this.result.cipherSuites[p] = order.map((c) => cipherSuiteByCode(c)?.name ?? `0x${c.toString(16).padStart(4, '0')}`)
  }

  async protocol13(isFirstProbe: boolean): Promise<void> {
    const candidates = suitesForProtocol('TLSv1.3')
    const attempt = (list: number[]): Promise<Outcome> => this.exchange(this.hello13(list), 'server-hello')
    const first = await attempt(candidates)
    this.noteFailure(first, isFirstProbe)
    const found = await this.removeLoop(candidates, attempt, this.accept13, first, true)
    if (!found.length) {
      this.refuse('TLSv1.3', first)
      return
    }
    this.result.protocols['TLSv1.3'] = true
    await this.preference('TLSv1.3', candidates, found, false, attempt, this.accept13)
    // A ServerHello (not only HRRs) for the artifact: offer x25519+secp256r1 shares if we only saw HRRs.
    if (!this.result.serverHellos['TLSv1.3']) {
      const o = await this.exchange(this.hello13(found, undefined, [29, 23]), 'server-hello')
      if (o.kind === 'hello' && !o.sh.helloRetryRequest) this.result.serverHellos['TLSv1.3'] = o.shRecord
    }
  }

  /** TLS 1.3 groups: empty key_share, the server names a group it supports in a HelloRetryRequest. */
  async groups13(): Promise<void> {
    const suites = (this.result.cipherSuites['TLSv1.3'] ?? []).map((n) => tls13CipherSuites().find((s) => s.name === n)?.code ?? -1)
    const offerSuites = suites.filter((c) => c >= 0)
    const attempt = (groups: number[]): Promise<Outcome> => this.exchange(this.hello13(offerSuites, groups, []), 'server-hello')
    const accept = (o: Outcome, list: number[]): number | null => {
      if (o.kind !== 'hello' || o.sh.version !== 0x0304 || o.sh.keyShareGroup === undefined) return null
      return list.includes(o.sh.keyShareGroup) ? o.sh.keyShareGroup : null
    }
    const found = await this.removeLoop(GROUPS_13, attempt, accept)
    this.addGroups(found)
    if (found.length) this.result.keyExchange.preferredGroup = namedGroupName(found[0])
  }

  /** TLS ≤1.2 ECDHE groups: ECDHE suites only, supported_groups shrinking; the curve is in ServerKeyExchange. */
  async groups12(): Promise<void> {
    const p = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0'] as const).find((v) =>
      (this.result.cipherSuites[v] ?? []).some((n) => tls12CipherSuites().find((s) => s.name === n)?.kex === 'ECDHE'),
    )
    if (!p) return
    const ecdhe = tls12CipherSuites()
      .filter((s) => s.kex === 'ECDHE' && (this.result.cipherSuites[p] ?? []).includes(s.name))
      .map((s) => s.code)
    const known = new Set(this.result.keyExchange.groups)
    const candidates = EC_GROUPS_12.filter((g) => !known.has(namedGroupName(g)))
    if (!candidates.length) return
    const attempt = (groups: number[]): Promise<Outcome> =>
      this.exchange(this.hello12(p, ecdhe, {groups}), 'key-exchange')
    const accept = (o: Outcome, list: number[]): number | null => {
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
    const found = await this.removeLoop(candidates, attempt, accept)
    this.addGroups(found)
    if (found.length && !this.result.protocols['TLSv1.3']) {
      this.result.keyExchange.preferredGroup ??= namedGroupName(found[0])
    }
  }

  private addGroups(codes: number[]): void {
    for (const c of codes) {
      const n = namedGroupName(c)
      if (!this.result.keyExchange.groups.includes(n)) this.result.keyExchange.groups.push(n)
    }
  }

  async sslv2(): Promise<void> {
    const kinds = suitesForProtocol('SSLv2')
    const sock = await this.open()
    try {
      const reading = readSslv2(sock, {timeoutMs: this.ctx.timeoutMs, signal: this.ctx.signal})
      sock.write(buildSslv2ClientHello(kinds))
      const res = await reading
      if (res.tls) {
        this.spokeTls = true
        if (res.tls.type === 21 && res.tls.fragment.length >= 2) {
          const alert = parseAlert(res.tls.fragment)
          this.result.alerts.SSLv2 = {raw: res.tls.raw, alert}
          this.result.refusals.SSLv2 = `alert ${alert.name}`
        } else this.result.refusals.SSLv2 = `TLS record type ${res.tls.type} in reply to an SSLv2 hello`
        return
      }
      if (!res.sslv2) return
      const sh = parseSslv2ServerHello(res.sslv2.body)
      if ('error' in sh) {
        this.spokeTls = true
        this.result.refusals.SSLv2 = `SSLv2 ERROR ${sh.error}`
        return
      }
      this.spokeTls = true
      const accepted = sh.cipherKinds.filter((k) => kinds.includes(k))
      this.result.protocols.SSLv2 = true
      this.result.cipherSuites.SSLv2 = accepted.map((k) => cipherSuiteByCode(k)?.name ?? `0x${k.toString(16)}`)
      this.result.preference.SSLv2 = {serverOrder: null}
      if (sh.certificate.length) this.result.sslv2Certificate = sh.certificate
      this.result.serverHellos.SSLv2 = res.sslv2.raw
    } catch (e) {
      if (e instanceof Fatal) throw e
      if (e instanceof ProbeError) {
        if (e.code === 'aborted') throw new Fatal('aborted', 'probe aborted before completion')
        this.firstFailure ??= {code: e.code, message: e.message}
        this.result.refusals.SSLv2 = `${e.code}: ${e.message}`
        return
      }
      this.result.refusals.SSLv2 = `malformed: ${(e as Error).message}`
    } finally {
      sock.destroy()
    }
  }
}

/** Waits for every task (none left running behind our back), then rethrows the first failure. */
async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(tasks)
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
}

/** Runs the full TLS enumeration. Never throws for target misbehaviour: sets `error` instead. */
export async function enumerateTls(ctx: ProbeContext, opts: EnumerateOptions = {}): Promise<TlsEnumeration> {
  const started = Date.now()
  const s = new Scanner(ctx, opts)
  const want = new Set<TlsProtocol>(opts.protocols ?? ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'])
  const order: TlsProtocol[] = ['TLSv1.2', 'TLSv1.3', 'TLSv1.1', 'TLSv1.0', 'SSLv3', 'SSLv2']
  try {
    if (want.has('TLSv1.2')) await s.protocol12('TLSv1.2', true)
    if (s.result.protocols['TLSv1.2'] && !s.deferredChunks) {
      // TLS 1.2 worked with settled chunking: the rest is independent and shares the per-device connection
      // cap (the engine's semaphore), so overlap it. Results stay deterministic (see observe12).
      await settleAll([
        (async () => {
          if (want.has('TLSv1.3')) await s.protocol13(false)
          if (s.result.protocols['TLSv1.3']) await s.groups13()
          await s.groups12()
        })(),
        ...order
          .filter((p) => want.has(p) && p !== 'TLSv1.2' && p !== 'TLSv1.3')
          .map((p) => (p === 'SSLv2' ? s.sslv2() : s.protocol12(p, false))),
      ])
    } else {
      let first = !want.has('TLSv1.2')
      for (const p of order) {
        if (!want.has(p) || p === 'TLSv1.2') continue
        if (p === 'TLSv1.3') await s.protocol13(first)
        else if (p === 'SSLv2') await s.sslv2()
        else await s.protocol12(p, first)
        first = false
        if (s.deferredChunks && s.spokeTls) {
          // The server answered a later (smaller) hello: the TLS 1.2 one may have been too large for it.
          s.deferredChunks = false
          await s.protocol12('TLSv1.2', false, true)
        }
      }
      const anyAccepted = Object.values(s.result.protocols).some(Boolean)
      if (!anyAccepted && !s.spokeTls) {
        const f = s.firstFailure ?? {code: 'no-reply', message: 'no TLS reply to any hello'}
        throw new Fatal(f.code, `target did not complete a TLS hello on any protocol version (${f.message})`)
      }
      if (s.result.protocols['TLSv1.3']) await s.groups13()
      await s.groups12()
    }
    s.result.keyExchange.compression.sort()
  } catch (e) {
    if (!(e instanceof Fatal)) throw e
    const r = s.result
    r.error = {code: e.code, message: e.message}
    r.protocols = emptyProtocols()
    r.cipherSuites = {}
    r.preference = {}
    r.chain = null
    r.serverHellos = {}
  }
  s.result.connections = s.connections
  s.result.elapsedMs = Date.now() - started
  return s.result
}
