/**
 * The TLS probe unit: one raw-socket enumeration feeding five observations.
 */
import type {ArtifactInput, ProbeContext, ProbeEmission, ProbeUnit} from '../types.js'
import {certificatesObservation} from './certificates.js'
import {enumerateTls, type TlsEnumeration} from './enumerate.js'
import type {
  TlsCipherPreferenceData,
  TlsCipherSuitesData,
  TlsKeyExchangeData,
  TlsProtocol,
  TlsProtocolsData,
} from './types.js'
import {TLS_PROTOCOLS} from './types.js'

export const TLS_EMITS = [
  'tls.protocols',
  'tls.cipher-suites',
  'tls.cipher-preference',
  'tls.certificates',
  'tls.key-exchange',
] as const

function hexArtifact(kind: string, buf: Buffer): ArtifactInput {
  return {kind, encoding: 'hex', content: buf.toString('hex')}
}

export function protocolsData(e: TlsEnumeration): TlsProtocolsData {
  const out = {} as TlsProtocolsData
  for (const p of TLS_PROTOCOLS) out[p] = e.protocols[p]
  return out
}

function ordered<T>(rec: Partial<Record<TlsProtocol, T>>): Partial<Record<TlsProtocol, T>> {
  const out: Partial<Record<TlsProtocol, T>> = {}
  for (const p of TLS_PROTOCOLS) if (rec[p] !== undefined) out[p] = rec[p]
  return out
}

/** Turns an enumeration into the five emissions (certificates handled by certificates.ts). */
export async function emissionsFromEnumeration(ctx: ProbeContext, e: TlsEnumeration): Promise<ProbeEmission[]> {
  if (e.error) {
    return TLS_EMITS.map((probe) => ({probe, data: {}, error: e.error}))
  }
  // When the enumeration's data was complete; the certificates may be fetched afterwards and get their own time.
  const enumeratedAt = ctx.now().toISOString()
  const helloArtifacts: ArtifactInput[] = []
  for (const p of TLS_PROTOCOLS) {
    const rec = e.serverHellos[p]
    if (rec) helloArtifacts.push(hexArtifact('server-hello', rec))
  }
  for (const p of TLS_PROTOCOLS) {
    const a = e.alerts[p]
    if (a) helloArtifacts.push(hexArtifact('alert', a.raw))
  }
  const suites: TlsCipherSuitesData = ordered(e.cipherSuites)
  const preference: TlsCipherPreferenceData = ordered(e.preference)
  const kx: TlsKeyExchangeData = e.keyExchange

  // chain is null when no TLS ≤1.2/SSLv3 handshake delivered one (e.g. TLS 1.3 only): certificates.ts then
  // fetches it itself.
  let certs: ProbeEmission
  try {
    certs = await certificatesObservation(ctx, e.chain ?? null)
  } catch (err) {
    certs = {
      probe: 'tls.certificates',
      data: {},
      error: {code: 'certificates-failed', message: (err as Error).message},
    }
  }
  certs.collectedAt ??= ctx.now().toISOString()
  return [
    {probe: 'tls.protocols', data: {...protocolsData(e)}, artifacts: helloArtifacts, collectedAt: enumeratedAt},
    {probe: 'tls.cipher-suites', data: {...suites}, collectedAt: enumeratedAt},
    {probe: 'tls.cipher-preference', data: {...preference}, collectedAt: enumeratedAt},
    certs,
    {probe: 'tls.key-exchange', data: {...kx}, collectedAt: enumeratedAt},
  ]
}

export const tlsProbeUnit: ProbeUnit = {
  id: 'tls',
  protocols: ['tls', 'https'],
  emits: TLS_EMITS,
  async run(ctx: ProbeContext): Promise<ProbeEmission[]> {
    const e = await enumerateTls(ctx)
    ctx.log(`tls: ${e.connections} connections in ${e.elapsedMs} ms`)
    return emissionsFromEnumeration(ctx, e)
  },
}
