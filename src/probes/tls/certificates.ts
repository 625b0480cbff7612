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
import type {CertificateInfo, TlsCertificatesData, TlsProtocol} from './types.js'
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

/**
 * Completes a TLS 1.3 handshake and returns the peer's certificates. No trust store is loaded (`ca: []`)
 * so that Node's chain view holds only what the server sent, never a root from the local store; Node
 * orders that view by issuance from the leaf, dropping certificates that issued none of the others.
 */
async function fetchTls13Chain(ctx: ProbeContext): Promise<Buffer[]> {
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

/**
 * Builds the tls.certificates emission. `chain` is what the raw prober read (DER, leaf first, and the
 * protocol whose handshake carried it), or null when the server speaks only TLS 1.3: then the chain is
 * fetched here. Never throws for target misbehaviour: failures become the emission's `error`.
 */
export async function certificatesObservation(
  ctx: ProbeContext,
  chain: {der: Buffer[]; protocol: TlsProtocol} | null,
): Promise<ProbeEmission> {
  let ders: Buffer[]
  let protocol: TlsProtocol
  if (chain) {
    ders = chain.der
    protocol = chain.protocol
  } else {
    try {
      ders = await fetchTls13Chain(ctx)
    } catch (err) {
      return failure(toObservationError(err))
    }
    protocol = 'TLSv1.3'
  }
  if (ders.length === 0) return failure({code: 'no-certificate', message: 'the server sent no certificate'})

  const artifacts: ArtifactInput[] = ders.map((der) => ({kind: 'certificate', encoding: 'pem', content: derToPem(der)}))
  const infos: CertificateInfo[] = []
  for (const [index, der] of ders.entries()) {
    try {
      infos.push(parseCertificate(der))
    } catch (err) {
      const reason = err instanceof CertificateParseError ? err.message : String(err)
      return failure({code: 'bad-certificate', message: `certificate ${index} of the chain: ${reason}`}, artifacts)
    }
  }
  if (!isRecordableSource(protocol)) {
    // TlsCertificatesData.source has no SSLv2 value; recording another protocol would be false evidence.
    return failure(
      {code: 'unsupported-source', message: 'the chain was delivered by an SSLv2 handshake, which tls.certificates cannot record'},
      artifacts,
    )
  }

  let data: TlsCertificatesData
  try {
    const trust = verifyChain(ders, {anchors: ctx.caCertificates})
    data = {
      chain: infos,
      hostnameMatch: matchesServiceIdentity(infos[0]!, ctx.targetName),
      matchedName: ctx.targetName,
      trusted: trust.trusted,
      source: protocol,
    }
    if (trust.error) data.trustError = trust.error
  } catch (err) {
    return failure({code: 'analysis-failed', message: `certificate analysis failed: ${(err as Error).message}`}, artifacts)
  }
  return {probe: PROBE, data: {...data}, artifacts}
}
