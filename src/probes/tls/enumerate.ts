/**
 * TLS scan logic: pick a hello shape the device tolerates (hello-shapes.ts), detect every protocol version,
 * enumerate accepted suites with the removal loop (remove-loop.ts), derive server preference (preference.ts),
 * groups (groups.ts), DHE prime size, compression and RFC 5746/7627/7366 extensions (observe.ts). Connections, retries and
 * the budget live in exchange.ts. What could not be determined is recorded as a gap (partial observation),
 * never as a refusal.
 */
import type {ObservationError} from '../../evidence/types.js'
import type {ProbeContext} from '../types.js'
import {PROTOCOL_VERSION} from './clienthello.js'
import {Fatal, Stop, Wire, type Outcome, type StopAt} from './exchange.js'
import {
  buildShapedHello,
  maxPerHello,
  SHAPE_LADDER,
  type HelloRequest,
  type HelloShape,
  type ShapeRecord,
  type ShapeResult,
  type SizeClass,
} from './hello-shapes.js'
import {scanGroups12, scanGroups13} from './groups.js'
import {observe12, PROTOCOL_RANK, refusalText, type FlightState, type ServedChain} from './observe.js'
import {derivePreference} from './preference.js'
import {cipherSuiteByCode, sslv2CipherKinds, tls12CipherSuites, tls13CipherSuites} from './registry.js'
import {chunkedRemoveLoop, removeLoop, type LoopEnd, type Pick} from './remove-loop.js'
import type {Alert} from './serverhello.js'
import {probeSslv2} from './sslv2.js'
import type {
  CipherSuiteInfo,
  TlsCipherPreferenceData,
  TlsCipherSuitesData,
  TlsKeyExchangeData,
  TlsProtocol,
  TlsProtocolsData,
} from './types.js'

/** Observation names a gap can belong to. */
export type TlsPart = 'tls.protocols' | 'tls.cipher-suites' | 'tls.cipher-preference' | 'tls.key-exchange' | 'tls.certificates'

/** Something the scan could not determine: the observation stays, marked partial with this reason. */
export interface Gap {
  observation: TlsPart
  /** What is missing, e.g. "SSLv3", "TLSv1.0 cipher suites", "ECDHE groups". */
  part: string
  code: string
  message: string
}

export interface TlsEnumeration {
  protocols: TlsProtocolsData
  cipherSuites: TlsCipherSuitesData
  preference: TlsCipherPreferenceData
  keyExchange: TlsKeyExchangeData
  /** Every distinct chain served in a TLS ≤1.2 / SSLv3 handshake (one per key type), highest protocol first. */
  chains: ServedChain[]
  sslv2Certificate?: Buffer
  /** One ServerHello record (only the ServerHello message) per accepted protocol. */
  serverHellos: Partial<Record<TlsProtocol, Buffer>>
  /** Alert record received when a protocol was refused. */
  alerts: Partial<Record<TlsProtocol, {raw: Buffer; alert: Alert}>>
  /** Why each refused protocol counts as refused. */
  refusals: Partial<Record<TlsProtocol, string>>
  /** Hello shapes tried and the one used. */
  shapes: ShapeRecord
  /** What could not be determined, per observation. */
  gaps: Gap[]
  /** Protocol anomalies (a suite or group that was not offered, …). */
  anomalies: string[]
  /** Warning alerts the server sent before its reply (e.g. unrecognized_name). */
  warnings: string[]
  connections: number
  retries: number
  elapsedMs: number
  /** Set when the target is unusable (silent, not TLS, resets everything …): other fields are empty. */
  error?: ObservationError
}

export interface EnumerateOptions {
  /** Protocols to test (default: all). */
  protocols?: readonly TlsProtocol[]
  /** Epoch ms after which the probe starts no new exchange and returns what it has (default: none). */
  deadline?: number
}

/** Alerts that suggest the hello itself (size, a value in it) upset the server, not the protocol/suites. */
const SUSPECT_ALERTS = new Set([10, 22, 47, 50, 80])

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

function emptyProtocols(): TlsProtocolsData {
  return {SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false}
}

const hex = (c: number): string => `0x${c.toString(16).padStart(4, '0')}`
const suiteName = (c: number): string => cipherSuiteByCode(c)?.name ?? hex(c)

/** How a refused protocol was refused: proven by the server's words, or by silence/reset to a hello size. */
interface RefusalEvidence {
  proven: boolean
  size: SizeClass
  code: string
}

class Scanner {
  readonly wire: Wire
  shape: HelloShape = 'full'
  readonly shapes: ShapeRecord = {tried: [], chosen: 'full', toleratedSizes: []}
  readonly flight: FlightState = {
    keyExchange: {
      groups: [],
      preferredGroup: null,
      dheBits: null,
      compression: [],
      secureRenegotiation: null,
      extendedMasterSecret: null,
      encryptThenMac: null,
    },
    serverHellos: {},
    chains: [],
    cbcSeen: false,
    etmSeen: false,
  }
  readonly protocols = emptyProtocols()
  readonly cipherSuites: TlsCipherSuitesData = {}
  readonly preference: TlsCipherPreferenceData = {}
  readonly alerts: TlsEnumeration['alerts'] = {}
  readonly refusals: TlsEnumeration['refusals'] = {}
  readonly evidence: Partial<Record<TlsProtocol, RefusalEvidence>> = {}
  readonly gaps: Gap[] = []
  readonly anomalies: string[] = []
  sslv2Certificate?: Buffer
  /** The first ladder hello's outcome (full shape): the lead protocol's refusal when no shape was answered. */
  ladderFirst?: Outcome

  constructor(
    readonly ctx: ProbeContext,
    deadline: number,
  ) {
    this.wire = new Wire(ctx, deadline)
  }

  gap(observation: TlsPart, part: string, code: string, message: string): void {
    if (!this.gaps.some((g) => g.observation === observation && g.part === part)) this.gaps.push({observation, part, code, message})
  }

  /** The protocol could not be tested at all (budget, abort, lost device). */
  protocolGap(p: TlsProtocol, code: string, message: string): void {
    this.gap('tls.protocols', p, code, message)
    this.gap('tls.cipher-suites', `${p} cipher suites`, code, message)
    this.gap('tls.cipher-preference', `${p} cipher order`, code, message)
  }

  request(p: Exclude<TlsProtocol, 'SSLv2'>, suites: readonly number[], extra: Partial<HelloRequest> = {}): HelloRequest {
    return {protocol: p, suites, targetName: this.ctx.targetName, deflate: p !== 'TLSv1.3', ...extra}
  }

  /** The shape for a protocol: TLS 1.3 hellos hold ≤ 5 suites, so only the size-limited shapes differ. */
  shapeFor(p: TlsProtocol): HelloShape {
    if (p === 'TLSv1.3') return this.shape === 'small' || this.shape === 'bare' ? 'small' : 'full'
    return this.shape
  }

  hello(p: Exclude<TlsProtocol, 'SSLv2'>, list: readonly number[], stopAt: StopAt, extra: Partial<HelloRequest> = {}): Promise<Outcome> {
    return this.wire.exchange(() => buildShapedHello(this.shapeFor(p), this.request(p, list, extra)), stopAt)
  }

  refuse(p: TlsProtocol, o: Outcome): void {
    if (o.kind === 'alert') this.alerts[p] = {raw: o.raw, alert: o.alert}
    this.refusals[p] = refusalText(o)
    // An alert or a ServerHello for something else is the server saying no; silence, a reset or a close is
    // only a refusal if the device answers hellos of that size at all (settled in finish()).
    this.evidence[p] = {proven: o.kind !== 'failed', size: o.size, code: o.kind === 'failed' ? o.code : o.kind}
  }

  private accept12 =
    (p: TlsProtocol) =>
    (o: Outcome, list: number[]): Pick => {
      if (o.kind !== 'hello') return null
      if (o.sh.helloRetryRequest || o.sh.version < PROTOCOL_VERSION[p]) return null
      if (o.sh.version > PROTOCOL_VERSION[p] || !list.includes(o.sh.cipherSuite)) {
        return {anomaly: `${p}: server answered version ${hex(o.sh.version)} with suite ${suiteName(o.sh.cipherSuite)}, which was not offered`}
      }
      observe12(this.flight, p, o, this.ctx.log)
      return o.sh.cipherSuite
    }

  private accept13 = (o: Outcome, list: number[]): Pick => {
    if (o.kind !== 'hello' || o.sh.version !== 0x0304) return null
    if (!list.includes(o.sh.cipherSuite)) {
      return {anomaly: `TLSv1.3: server chose suite ${suiteName(o.sh.cipherSuite)}, which was not offered`}
    }
    if (!o.sh.helloRetryRequest) this.flight.serverHellos['TLSv1.3'] ??= o.shRecord
    return o.sh.cipherSuite
  }

  /**
   * Climbs the shape ladder on the first protocol's first hello until the device answers. Silence to a large
   * hello jumps to the small shape (silence is about size); silence to both is a silent target.
   */
  async chooseShape(p: Exclude<TlsProtocol, 'SSLv2' | 'TLSv1.3'>): Promise<Outcome | undefined> {
    const candidates = suitesForProtocol(p)
    let silentLarge = false
    for (const shape of SHAPE_LADDER) {
      if (silentLarge && shape === 'chunks-64') continue
      const req = this.request(p, candidates)
      const list = candidates.slice(0, maxPerHello(shape, req, 'suites', candidates))
      const hello = buildShapedHello(shape, {...req, suites: list})
      const o = await this.wire.once(hello, 'hello-done')
      this.ladderFirst ??= o
      const result: ShapeResult =
        o.kind === 'hello' ? 'answered' : o.kind === 'alert' ? 'alert' : o.code === 'timeout' ? 'silent' : o.code === 'reset' || o.code === 'closed' ? o.code : 'error'
      this.shapes.tried.push({shape, bytes: hello.length, result})
      if (o.kind === 'hello' || (o.kind === 'alert' && !SUSPECT_ALERTS.has(o.alert.description))) {
        this.shape = shape
        return o
      }
      if (o.kind === 'failed') {
        this.wire.firstFailure ??= {code: o.code, message: o.message}
        if (o.code === 'not-tls' || o.code === 'oversized') throw new Fatal(o.code, o.message)
        if (o.code === 'timeout') {
          if (silentLarge && !this.wire.spokeTls) throw new Fatal('timeout', `no reply to a large or a small hello (${o.message})`)
          silentLarge = true
        }
      }
    }
    return undefined
  }

  /** TLS ≤ 1.2 / SSLv3: every suite valid for the version, in hellos of the chosen shape. */
  async protocol12(p: Exclude<TlsProtocol, 'SSLv2' | 'TLSv1.3'>, first?: Outcome): Promise<void> {
    const candidates = suitesForProtocol(p)
    const max = maxPerHello(this.shapeFor(p), this.request(p, []), 'suites', candidates)
    const attempt = (list: number[]): Promise<Outcome> => this.hello(p, list, 'hello-done')
    const accept = this.accept12(p)
    const end = await chunkedRemoveLoop(candidates, max, attempt, accept, first)
    this.settleLoop(p, end, candidates.length > max)
    if (!end.found.length) {
      if (end.stopped) throw end.stopped
      return
    }
    await this.order(p, candidates, end, {chunked: candidates.length > max, maxPerHello: max}, attempt, accept)
  }

  /** Records the suites found, then their order; a stop keeps the suites and marks the order missing. */
  private async order(
    p: TlsProtocol,
    candidates: readonly number[],
    end: LoopEnd,
    opts: {chunked: boolean; maxPerHello: number},
    attempt: (list: number[]) => Promise<Outcome>,
    accept: (o: Outcome, list: number[]) => Pick,
  ): Promise<void> {
    this.record(p, end.found, null)
    if (end.stopped) {
      this.gap('tls.cipher-preference', `${p} cipher order`, end.stopped.code, end.stopped.message)
      throw end.stopped
    }
    const pref = await derivePreference(candidates, end.found, opts, attempt, accept).catch((e: unknown) => {
      if (e instanceof Stop) this.gap('tls.cipher-preference', `${p} cipher order`, e.code, e.message)
      throw e
    })
    this.record(p, pref.order, pref.serverOrder)
  }

  async protocol13(): Promise<void> {
    const candidates = suitesForProtocol('TLSv1.3')
    const attempt = (list: number[]): Promise<Outcome> => this.hello('TLSv1.3', list, 'server-hello')
    const end = await removeLoop(candidates, attempt, this.accept13, {reverseSecond: true})
    this.settleLoop('TLSv1.3', end, false)
    if (!end.found.length) {
      if (end.stopped) throw end.stopped
      return
    }
    await this.order('TLSv1.3', candidates, end, {chunked: false, maxPerHello: candidates.length}, attempt, this.accept13)
    // A ServerHello (not only HRRs) for the artifact: offer x25519+secp256r1 shares if we only saw HRRs.
    if (!this.flight.serverHellos['TLSv1.3']) {
      const o = await this.hello('TLSv1.3', end.found, 'server-hello', {keyShareGroups: [29, 23]})
      if (o.kind === 'hello' && !o.sh.helloRetryRequest) this.flight.serverHellos['TLSv1.3'] = o.shRecord
    }
  }

  /** What ended a suite loop: refusal, anomaly or an interruption (the list may be incomplete). */
  private settleLoop(p: TlsProtocol, end: LoopEnd, chunked: boolean): void {
    if (end.anomaly) {
      this.anomalies.push(end.anomaly)
      this.gap('tls.cipher-suites', `${p} cipher suites`, 'anomaly', end.anomaly)
    }
    if (!end.found.length) {
      if (end.stopped) return // the caller's guard records the whole protocol as missing
      if (end.anomaly) {
        // The server negotiated the version, just not sanely: it speaks it.
        this.protocols[p] = true
        this.cipherSuites[p] = []
        this.preference[p] = {serverOrder: null}
        return
      }
      if (end.last) this.refuse(p, end.last)
      return
    }
    delete this.refusals[p]
    delete this.alerts[p]
    delete this.evidence[p]
    this.protocols[p] = true
    // A loop that ended on a failure (after its retry) may have stopped early. A reset or close to a hello of
    // a size the device answers is how some stacks say "no more"; silence is not.
    const i = end.interrupted
    if (i && (i.code === 'timeout' || !(end.last && this.wire.tolerated.has(end.last.size)))) {
      this.gap('tls.cipher-suites', `${p} cipher suites`, i.code, `the suite loop ended on ${i.code}${chunked ? ' (chunked)' : ''}: ${i.message}`)
    }
  }

  private record(p: TlsProtocol, order: number[], serverOrder: boolean | null): void {
    this.preference[p] = {serverOrder}
    this.cipherSuites[p] = order.map(suiteName)
  }

  async groups13(): Promise<void> {
    await scanGroups13(this)
  }

  async groups12(): Promise<void> {
    await scanGroups12(this)
  }

  async sslv2(): Promise<void> {
    const r = await probeSslv2(this.wire, this.ctx, suitesForProtocol('SSLv2'))
    if (r.refusal) this.refusals.SSLv2 = r.refusal
    if (r.alert) this.alerts.SSLv2 = r.alert
    if (!r.accepted) return
    this.protocols.SSLv2 = true
    this.cipherSuites.SSLv2 = r.accepted.suites
    this.preference.SSLv2 = {serverOrder: null}
    if (r.accepted.certificate.length) this.sslv2Certificate = r.accepted.certificate
    this.flight.serverHellos.SSLv2 = r.accepted.serverHello
  }


  /**
   * Refusals by silence, reset or close count only for hello sizes the device answered at least once. SSLv3
   * hellos are the only small ones a full-shape scan sends: one small hello on a working protocol tells.
   */
  async settleRefusals(): Promise<void> {
    const unproven = (Object.entries(this.evidence) as Array<[TlsProtocol, RefusalEvidence]>).filter(
      ([, e]) => !e.proven && !this.wire.tolerated.has(e.size),
    )
    const working = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0'] as const).find((v) => (this.cipherSuites[v]?.length ?? 0) > 0)
    if (unproven.some(([, e]) => e.size === 'small') && working && this.shape !== 'small' && this.shape !== 'bare') {
      const suite = tls12CipherSuites().find((s) => s.name === this.cipherSuites[working]![0])?.code
      if (suite !== undefined) await this.wire.once(buildShapedHello('small', this.request(working, [suite])), 'server-hello')
    }
    for (const [p, e] of unproven) {
      if (this.wire.tolerated.has(e.size)) continue
      this.protocolGap(p, e.code, `no answer (${e.code}) to a ${e.size} hello, a size this device was never seen to answer: ${p} refusal not proven`)
    }
  }

  result(): Omit<TlsEnumeration, 'elapsedMs'> {
    this.shapes.chosen = this.shape
    this.shapes.toleratedSizes = (['small', 'window', 'large'] as const).filter((s) => this.wire.tolerated.has(s))
    this.flight.keyExchange.compression.sort()
    // Highest protocol first; among equals RSA first (the chain most clients get), so the top-level fields of
    // tls.certificates stay what a single-certificate scan reported.
    const rsaFirst = (c: ServedChain): number => (c.auth === 'RSA' ? 0 : 1)
    const chains = [...this.flight.chains].sort((a, b) => PROTOCOL_RANK[b.protocol] - PROTOCOL_RANK[a.protocol] || rsaFirst(a) - rsaFirst(b))
    return {
      protocols: this.protocols,
      cipherSuites: this.cipherSuites,
      preference: this.preference,
      keyExchange: this.flight.keyExchange,
      chains,
      ...(this.sslv2Certificate ? {sslv2Certificate: this.sslv2Certificate} : {}),
      serverHellos: this.flight.serverHellos,
      alerts: this.alerts,
      refusals: this.refusals,
      shapes: this.shapes,
      gaps: this.gaps,
      anomalies: this.anomalies,
      warnings: [...this.wire.warnings],
      connections: this.wire.connections,
      retries: this.wire.retries,
    }
  }
}

/** Runs one protocol's work; a Stop (budget, abort, lost device) becomes gaps for what it did not finish. */
async function guarded(s: Scanner, parts: TlsProtocol[], work: () => Promise<void>): Promise<void> {
  try {
    await work()
  } catch (e) {
    if (!(e instanceof Stop)) throw e
    for (const p of parts) {
      if (s.protocols[p]) {
        if (s.cipherSuites[p] === undefined) s.gap('tls.cipher-suites', `${p} cipher suites`, e.code, e.message)
        if (s.preference[p] === undefined) s.gap('tls.cipher-preference', `${p} cipher order`, e.code, e.message)
      } else if (!s.refusals[p]) s.protocolGap(p, e.code, e.message)
      else s.gap('tls.cipher-suites', `${p} cipher suites`, e.code, e.message)
    }
    if (parts.includes('TLSv1.2') || parts.includes('TLSv1.3')) s.gap('tls.key-exchange', 'groups', e.code, e.message)
  }
}

const ALL: readonly TlsProtocol[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']

/** Runs the full TLS enumeration. Never throws for target misbehaviour: sets `error` or gaps instead. */
export async function enumerateTls(ctx: ProbeContext, opts: EnumerateOptions = {}): Promise<TlsEnumeration> {
  const started = Date.now()
  const s = new Scanner(ctx, opts.deadline ?? Number.POSITIVE_INFINITY)
  const want = new Set<TlsProtocol>(opts.protocols ?? ALL)
  let error: ObservationError | undefined
  try {
    let first: Outcome | undefined
    const lead = (['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).find((p) => want.has(p))
    if (lead) first = await s.chooseShape(lead)
    if (!first && want.has('TLSv1.3')) {
      // No shape got an answer to a TLS ≤ 1.2 hello: a TLS 1.3-only stack may still speak.
      await guarded(s, ['TLSv1.3'], () => s.protocol13())
      if (!s.wire.spokeTls) {
        const f = s.wire.firstFailure ?? {code: 'no-reply', message: 'no TLS reply to any hello'}
        throw new Fatal(f.code, `target did not complete a TLS hello in any hello shape (${f.message})`)
      }
    }
    if (lead && first) await guarded(s, [lead], () => s.protocol12(lead, first))
    else if (lead && s.ladderFirst) s.refuse(lead, s.ladderFirst)
    // The rest is independent and shares the per-device connection cap (the engine's semaphore): overlap it.
    const others = ALL.filter((p) => want.has(p) && p !== lead && !(p === 'TLSv1.3' && !first))
    await Promise.all([
      ...others
        .filter((p) => p !== 'TLSv1.3')
        .map((p) => guarded(s, [p], () => (p === 'SSLv2' ? s.sslv2() : s.protocol12(p as Exclude<TlsProtocol, 'SSLv2' | 'TLSv1.3'>)))),
      guarded(s, others.includes('TLSv1.3') ? ['TLSv1.3'] : [], async () => {
        if (others.includes('TLSv1.3')) await s.protocol13()
        if (s.protocols['TLSv1.3']) await s.groups13()
        await s.groups12()
      }),
    ])
    const anyAccepted = Object.values(s.protocols).some(Boolean)
    if (!anyAccepted && !s.wire.spokeTls) {
      const f = s.wire.firstFailure ?? {code: 'no-reply', message: 'no TLS reply to any hello'}
      throw new Fatal(f.code, `target did not complete a TLS hello on any protocol version (${f.message})`)
    }
    await guarded(s, [], () => s.settleRefusals())
  } catch (e) {
    if (e instanceof Fatal) error = {code: e.code, message: e.message}
    else if (e instanceof Stop) {
      // Stopped before anything was seen: nothing usable. Otherwise the gaps say what is missing.
      if (!s.wire.spokeTls) error = {code: e.code, message: e.message}
      else for (const p of ALL) if (want.has(p) && !s.protocols[p] && !s.refusals[p]) s.protocolGap(p, e.code, e.message)
    } else throw e
  }
  const r: TlsEnumeration = {...s.result(), elapsedMs: Date.now() - started}
  if (error) {
    r.error = error
    r.protocols = emptyProtocols()
    r.cipherSuites = {}
    r.preference = {}
    r.chains = []
    r.serverHellos = {}
    r.gaps = []
  }
  return r
}
