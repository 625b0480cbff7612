/**
 * What one TLS ≤ 1.2 ServerHello flight tells us (compression, RFC 5746/7627/7366 extensions, certificate
 * chain per key type, DHE prime size), recorded into the enumeration result. Pure bookkeeping, no I/O.
 */
import {COMPRESSION_DEFLATE, COMPRESSION_NULL} from './clienthello.js'
import type {Outcome} from './exchange.js'
import {HS_CERTIFICATE, HS_SERVER_KEY_EXCHANGE} from './records.js'
import {cipherSuiteByCode} from './registry.js'
import {parseCertificateMessage, parseServerKeyExchange} from './serverhello.js'
import type {TlsKeyExchangeData, TlsProtocol} from './types.js'

/** Protocols run concurrently; where one observation must be picked, the highest protocol's wins. */
export const PROTOCOL_RANK: Record<TlsProtocol, number> = {SSLv2: 0, SSLv3: 1, 'TLSv1.0': 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5}

/** One certificate chain as served, leaf first, with the suite authentication that selected it. */
export interface ServedChain {
  der: Buffer[]
  protocol: TlsProtocol
  /** Authentication of the suite the chain came with (RSA, ECDSA, DSS …; TLS13 when fetched over TLS 1.3). */
  auth: string
}

export interface FlightState {
  keyExchange: TlsKeyExchangeData
  serverHellos: Partial<Record<TlsProtocol, Buffer>>
  /** One chain per distinct leaf (RSA and ECDSA certificates on one server are two chains). */
  chains: ServedChain[]
  cbcSeen: boolean
  etmSeen: boolean
  renegotiationFrom?: TlsProtocol
}

export function observe12(state: FlightState, p: TlsProtocol, o: Extract<Outcome, {kind: 'hello'}>, log: (m: string) => void): void {
  const {sh} = o
  const info = cipherSuiteByCode(sh.cipherSuite)
  const kx = state.keyExchange
  state.serverHellos[p] ??= o.shRecord
  if (sh.compression === COMPRESSION_DEFLATE && !kx.compression.includes('DEFLATE')) {
    kx.compression.push('DEFLATE')
  } else if (sh.compression !== COMPRESSION_NULL && sh.compression !== COMPRESSION_DEFLATE) {
    const name = `method-${sh.compression}`
    if (!kx.compression.includes(name)) kx.compression.push(name)
  }
  if (!state.renegotiationFrom || PROTOCOL_RANK[p] > PROTOCOL_RANK[state.renegotiationFrom]) {
    state.renegotiationFrom = p
    kx.secureRenegotiation = sh.secureRenegotiation
    kx.extendedMasterSecret = sh.extendedMasterSecret
  }
  if (info?.mode === 'CBC') {
    state.cbcSeen = true
    state.etmSeen ||= sh.encryptThenMac
    kx.encryptThenMac = state.etmSeen
  }
  for (const m of o.messages) {
    try {
      if (m.type === HS_CERTIFICATE) {
        const der = parseCertificateMessage(m.body)
        if (der.length) addChain(state.chains, {der, protocol: p, auth: info?.auth ?? 'unknown'})
      } else if (m.type === HS_SERVER_KEY_EXCHANGE && info) {
        const ske = parseServerKeyExchange(m.body, info.kex)
        if (ske.kind === 'dhe' && ske.primeBits > 0) {
          kx.dheBits = kx.dheBits === null ? ske.primeBits : Math.min(kx.dheBits, ske.primeBits)
        }
      }
    } catch (e) {
      log(`tls: ignoring unparsable handshake message ${m.type} (${(e as Error).message})`)
    }
  }
}

/** Keeps one chain per leaf; for a leaf seen on several protocols, the highest protocol's delivery. */
export function addChain(chains: ServedChain[], chain: ServedChain): void {
  const leaf = chain.der[0]
  const i = chains.findIndex((c) => c.der[0].equals(leaf))
  if (i < 0) chains.push(chain)
  else if (PROTOCOL_RANK[chain.protocol] > PROTOCOL_RANK[chains[i].protocol]) chains[i] = chain
}

/** A refusal in words, for the evidence. */
export function refusalText(o: Outcome): string {
  if (o.kind === 'alert') return `alert ${o.alert.name}`
  if (o.kind === 'failed') return `${o.code}: ${o.message}`
  const v = `0x${o.sh.version.toString(16).padStart(4, '0')}`
  const s = `0x${o.sh.cipherSuite.toString(16).padStart(4, '0')}`
  return `server answered ${o.sh.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} version ${v}, suite ${s}`
}
