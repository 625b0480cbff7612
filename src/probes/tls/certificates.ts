/**
 * The tls.certificates observation: the chain the server presents, parsed, matched against the name used to
 * reach the device (RFC 9525) and validated to the system store or --ca anchors (validity dates aside).
 *
 * The raw prober hands over the chain it read from a cleartext (TLS ≤ 1.2 / SSLv3) Certificate message.
 * When the server speaks only TLS 1.3, certificates travel encrypted, so the chain is fetched here with a
 * real TLS 1.3 handshake through node:tls over a socket from `ctx.connect()`.
 */
import {createHash} from 'node:crypto'
import * as tls from 'node:tls'

import type {ObservationError} from '../../evidence/types.js'
import {ProbeError, type ArtifactInput, type ProbeContext, type ProbeEmission} from '../types.js'
import {isIpTarget, matchesServiceIdentity} from './hostname.js'
import {verifyChain} from './trust.js'
import type {CertificateInfo, TlsCertificatesData, TlsProtocol, TlsServedChainData} from './types.js'
import {CertificateParseError, derToPem, parseCertificate} from './x509.js'

const PROBE = 'tls.certificates'
/** More certificates than any real chain: stops a hostile issuer loop in Node's chain view. */
const MAX_CHAIN = 32

function failure(error: ObservationError, artifacts?: ArtifactInput[]): ProbeEmission {
  const emission: ProbeEmission = {probe: PROBE, data: {}, error}
  if (artifacts?.length) emission.artifacts = artifacts
  return emission
}

/** Maps what can go wrong on the wire to an observation error. */
function toObservationError(err: unknown): ObservationError {
  if (err instanceof ProbeError) return {code: err.code, message: err.message}
  const e = err as NodeJS.ErrnoException
  const message = e?.message ?? String(err)
  switch (e?.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return {code: 'reset', message}
    case 'ECONNREFUSED':
      return {code: 'refused', message}
    case 'ETIMEDOUT':
      return {code: 'timeout', message}
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return {code: 'not-tls', message}
    default:
      if (typeof e?.code === 'string' && e.code.startsWith('ERR_SSL_')) return {code: 'handshake-failed', message}
      return {code: 'tls-error', message}
  }
}

/** Server name for SNI: DNS names only (RFC 6066 §3 forbids IP literals), without a trailing dot. */
function sniName(target: string): string | undefined {
  if (!target || isIpTarget(target)) return undefined
  const name = target.endsWith('.') ? target.slice(0, -1) : target
  return name || undefined
}

/** Every certificate the server sent, leaf first, from Node's linked view of the peer chain. */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = []
  const seen = new Set<string>()
  let current: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true)
  while (current?.raw && out.length < MAX_CHAIN) {
    const id = createHash('sha256').update(current.raw).digest('hex')
    if (seen.has(id)) break
    seen.add(id)
    out.push(Buffer.from(current.raw))
    const next: tls.DetailedPeerCertificate | undefined = current.issuerCertificate
    // Node links a self-signed root to itself: stop there.
    if (!next || next === current) break
    current = next
  }
  return out
}

/** What the raw prober learnt that the node:tls fallback must be told (node's defaults omit CCM suites …). */
export interface Tls13Hint {
  /** TLS 1.3 suites the server accepted, IANA names (= OpenSSL names for TLS 1.3). */
  suites?: readonly string[]
  /** Groups the server accepted, IANA names. */
  groups?: readonly string[]
}

/** IANA group names → OpenSSL group names node:tls understands. */
const OPENSSL_GROUP: Record<string, string> = {
  x25519: 'X25519',
  x448: 'X448',
  secp256r1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  ffdhe2048: 'ffdhe2048',
  ffdhe3072: 'ffdhe3072',
  ffdhe4096: 'ffdhe4096',
  ffdhe6144: 'ffdhe6144',
  ffdhe8192: 'ffdhe8192',
}

/** TLS 1.3 signature schemes per certificate key type: a server with several certificates picks by them. */
const SIGALGS_BY_KEY: Record<string, string> = {
  RSA: 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512',
  ECDSA: 'ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512',
}

/**
 * Completes a TLS 1.3 handshake and returns the peer's certificates. No trust store is loaded (`ca: []`)
 * so that Node's chain view holds only what the server sent, never a root from the local store; Node
 * orders that view by issuance from the leaf, dropping certificates that issued none of the others.
 */
async function fetchTls13Chain(ctx: ProbeContext, hint: Tls13Hint = {}, sigalgs?: string): Promise<Buffer[]> {
  if (ctx.signal.aborted) throw new ProbeError('aborted', 'probe aborted before the TLS 1.3 handshake')
  const socket = await ctx.connect()
  return new Promise<Buffer[]>((resolve, reject) => {
    const options: tls.ConnectionOptions = {
      socket,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ca: [],
    }
    // Offer exactly what the server was seen to accept: Node's defaults leave out the CCM suites and some
    // groups, and a TLS 1.3-only device limited to them would fail the handshake.
    const suites = (hint.suites ?? []).filter((n) => /^TLS_[A-Z0-9_]+$/.test(n))
    if (suites.length) options.ciphers = suites.join(':')
    const groups = (hint.groups ?? []).map((g) => OPENSSL_GROUP[g]).filter((g): g is string => g !== undefined)
    if (groups.length) options.ecdhCurve = groups.join(':')
    if (sigalgs) options.sigalgs = sigalgs
    const servername = sniName(ctx.targetName)
    if (servername) options.servername = servername
    let settled = false
    let tlsSocket: tls.TLSSocket | undefined
    const finish = (err: unknown, chain?: Buffer[]): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      tlsSocket?.destroy()
      socket.destroy()
      if (err !== undefined) reject(err)
      else resolve(chain ?? [])
    }
    const onAbort = (): void => finish(new ProbeError('aborted', 'probe aborted during the TLS 1.3 handshake'))
    const timer = setTimeout(
      () => finish(new ProbeError('timeout', `TLS 1.3 handshake did not complete within ${ctx.timeoutMs} ms`)),
      ctx.timeoutMs,
    )
    ctx.signal.addEventListener('abort', onAbort, {once: true})
    try {
      tlsSocket = tls.connect(options)
    } catch (err) {
      finish(err)
      return
    }
    tlsSocket.once('secureConnect', () => {
      try {
        finish(undefined, peerChain(tlsSocket!))
      } catch (err) {
        finish(err)
      }
    })
    tlsSocket.once('error', (err) => finish(err))
    tlsSocket.once('close', () =>
      finish(new ProbeError('reset', 'connection closed before the TLS 1.3 handshake completed')),
    )
  })
}

type CertificateSource = TlsCertificatesData['source']

function isRecordableSource(protocol: TlsProtocol): protocol is CertificateSource {
  return protocol !== 'SSLv2'
}

/** One chain as handed over by the raw prober. */
export interface ChainInput {
  der: Buffer[]
  protocol: TlsProtocol
  /** Suite authentication that selected it (RSA, ECDSA …), when known. */
  auth?: string
}

type ChainData = TlsServedChainData

type Analysed = {ok: true; data: ChainData} | {ok: false; error: ObservationError}

function analyse(ctx: ProbeContext, ders: Buffer[], protocol: TlsProtocol): Analysed {
  if (ders.length === 0) return {ok: false, error: {code: 'no-certificate', message: 'the server sent no certificate'}}
  const infos: CertificateInfo[] = []
  const unparsable: Array<{index: number; reason: string}> = []
  for (const [index, der] of ders.entries()) {
    try {
      infos.push(parseCertificate(der))
    } catch (err) {
      const reason = err instanceof CertificateParseError ? err.message : String(err)
      // Without the leaf nothing can be judged; a bad intermediate must not hide the leaf.
      if (index === 0) return {ok: false, error: {code: 'bad-certificate', message: `certificate 0 (leaf) of the chain: ${reason}`}}
      unparsable.push({index, reason})
    }
  }
  if (!isRecordableSource(protocol)) {
    // TlsCertificatesData.source has no SSLv2 value; recording another protocol would be false evidence.
    return {ok: false, error: {code: 'unsupported-source', message: 'the chain was delivered by an SSLv2 handshake, which tls.certificates cannot record'}}
  }
  try {
    const good = ders.filter((_, i) => !unparsable.some((u) => u.index === i))
    const trust = verifyChain(good, {anchors: ctx.caCertificates})
    const data: ChainData = {
      keyType: infos[0]!.keyType,
      chain: infos,
      hostnameMatch: matchesServiceIdentity(infos[0]!, ctx.targetName),
      matchedName: ctx.targetName,
      trusted: trust.trusted,
      source: protocol,
    }
    if (trust.error) data.trustError = trust.error
    if (unparsable.length) data.unparsable = unparsable
    return {ok: true, data}
  } catch (err) {
    return {ok: false, error: {code: 'analysis-failed', message: `certificate analysis failed: ${(err as Error).message}`}}
  }
}

/** TLS 1.3 only: the default handshake, then one per other key type (a server may hold RSA and ECDSA). */
async function fetchTls13Chains(ctx: ProbeContext, hint: Tls13Hint): Promise<ChainInput[]> {
  const first = await fetchTls13Chain(ctx, hint)
  const out: ChainInput[] = [{der: first, protocol: 'TLSv1.3'}]
  let leafKey = ''
  try {
    leafKey = parseCertificate(first[0]!).keyType
  } catch {
    // judged (and reported) by analyse()
  }
  for (const [key, sigalgs] of Object.entries(SIGALGS_BY_KEY)) {
    if (key === leafKey || (key === 'ECDSA' && leafKey === 'EC')) continue
    try {
      const der = await fetchTls13Chain(ctx, hint, sigalgs)
      if (der.length && !out.some((c) => c.der[0]?.equals(der[0]!))) out.push({der, protocol: 'TLSv1.3'})
    } catch (err) {
      // The server has no certificate for these schemes (handshake failure): nothing more to fetch.
      if (err instanceof ProbeError && err.code === 'aborted') throw err
    }
  }
  return out
}

/**
 * Builds the tls.certificates emission from every chain the server served (one per key type). `chains` is
 * what the raw prober read from cleartext Certificate messages; empty/null when the server speaks only TLS
 * 1.3, then the chains are fetched here. The top-level fields describe the first chain (compatibility);
 * `chains` holds every chain, each judged by the tls.cert.* checks. Never throws for target misbehaviour.
 */
export async function certificatesObservation(
  ctx: ProbeContext,
  chains: ChainInput | ChainInput[] | null,
  hint: Tls13Hint = {},
): Promise<ProbeEmission> {
  let inputs: ChainInput[] = chains === null ? [] : Array.isArray(chains) ? chains : [chains]
  if (inputs.length === 0) {
    try {
      inputs = await fetchTls13Chains(ctx, hint)
    } catch (err) {
      return failure(toObservationError(err))
    }
  }
  const artifacts: ArtifactInput[] = inputs.flatMap((c) =>
    c.der.map((der) => ({kind: 'certificate', encoding: 'pem' as const, content: derToPem(der)})),
  )
  const analysed = inputs.map((c) => analyse(ctx, c.der, c.protocol))
  const good = analysed.filter((a): a is {ok: true; data: ChainData} => a.ok).map((a) => a.data)
  const bad = analysed.filter((a): a is {ok: false; error: ObservationError} => !a.ok).map((a) => a.error)
  if (good.length === 0) return failure(bad[0] ?? {code: 'no-certificate', message: 'the server sent no certificate'}, artifacts)
  const [primary] = good
  const {keyType: _k, unparsable: _u, ...top} = primary!
  const emission: ProbeEmission = {probe: PROBE, data: {...top, chains: good}, artifacts}
  const missing = [
    ...bad.map((e) => `a chain (${e.code}: ${e.message})`),
    ...good.flatMap((c) => (c.unparsable ?? []).map((u) => `${c.keyType} chain certificate ${u.index} (${u.reason})`)),
  ]
  if (missing.length) {
    emission.partial = {code: 'bad-certificate', message: `some served certificates could not be analysed: ${missing.join('; ')}`, missing}
  }
  return emission
}
