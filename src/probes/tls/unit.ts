/**
 * The TLS probe unit: one raw-socket enumeration feeding five observations.
 */
import type {ObservationPartial} from '../../evidence/types.js'
import type {ArtifactInput, ProbeContext, ProbeEmission, ProbeUnit} from '../types.js'
import {certificatesObservation} from './certificates.js'
import {enumerateTls, type TlsEnumeration, type TlsPart} from './enumerate.js'
import type {
  TlsCipherPreferenceData,
  TlsCipherSuitesData,
  TlsKeyExchangeData,
  TlsProtocol,
  TlsProtocolsData,
} from './types.js'
import {TLS_PROTOCOLS} from './types.js'

import {TLS_EMITS, tlsUnitMeta} from './meta.js'

export {TLS_EMITS}

/**
 * Budget: a full scan needs ~50 connections (up to ~100 on a server with many suites), each bounded by one
 * timeout for the connect and one for the whole exchange, two at a time under the default per-device cap.
 * The probe stops starting exchanges two timeouts before the budget ends and returns what it has (partial),
 * so the engine's hard budget never has to wipe it.
 */
const BUDGET_CONNECTIONS = 96
export function tlsBudgetMs(timeoutMs: number): number {
  return (BUDGET_CONNECTIONS / 2) * timeoutMs
}

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

/** The partial marker of one observation from the scan's gaps (undefined when it is complete). */
function partialOf(e: TlsEnumeration, part: TlsPart): ObservationPartial | undefined {
  const gaps = e.gaps.filter((g) => g.observation === part)
  if (!gaps.length) return undefined
  const codes = [...new Set(gaps.map((g) => g.code))]
  return {
    code: codes.length === 1 ? codes[0]! : 'incomplete',
    message: [...new Set(gaps.map((g) => g.message))].join('; '),
    missing: gaps.map((g) => g.part),
  }
}

function withPartial(emission: ProbeEmission, partial: ObservationPartial | undefined): ProbeEmission {
  return partial ? {...emission, partial} : emission
}

/** The observation of how the device handled our hellos: a fact of its own (hello-size intolerance …). */
function behaviourData(e: TlsEnumeration): Record<string, unknown> {
  return {
    helloShapes: e.shapes.tried.map((t) => ({...t})),
    chosenShape: e.shapes.chosen,
    toleratedSizes: [...e.shapes.toleratedSizes],
    warningAlerts: [...e.warnings],
    anomalies: [...e.anomalies],
    connections: e.connections,
    retries: e.retries,
  }
}

/** Turns an enumeration into the emissions (certificates handled by certificates.ts). */
export async function emissionsFromEnumeration(ctx: ProbeContext, e: TlsEnumeration): Promise<ProbeEmission[]> {
  if (e.error) {
    return TLS_EMITS.map((probe) =>
      probe === 'tls.handshake-behaviour' && e.shapes.tried.length
        ? {probe, data: behaviourData(e)}
        : {probe, data: {}, error: e.error},
    )
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

  // chains is empty when no TLS ≤1.2/SSLv3 handshake delivered one (e.g. TLS 1.3 only): certificates.ts then
  // fetches them itself, told the suites and groups the server accepted.
  let certs: ProbeEmission
  try {
    if (!e.chains.length && !e.protocols['TLSv1.3'] && e.gaps.some((g) => g.observation === 'tls.protocols')) {
      certs = {probe: 'tls.certificates', data: {}, error: {code: 'not-reached', message: 'no handshake delivered a certificate before the scan stopped'}}
    } else {
      certs = await certificatesObservation(ctx, e.chains, {suites: e.cipherSuites['TLSv1.3'], groups: e.keyExchange.groups})
    }
  } catch (err) {
    certs = {
      probe: 'tls.certificates',
      data: {},
      error: {code: 'certificates-failed', message: (err as Error).message},
    }
  }
  certs.collectedAt ??= ctx.now().toISOString()
  return [
    withPartial({probe: 'tls.protocols', data: {...protocolsData(e)}, artifacts: helloArtifacts, collectedAt: enumeratedAt}, partialOf(e, 'tls.protocols')),
    withPartial({probe: 'tls.cipher-suites', data: {...suites}, collectedAt: enumeratedAt}, partialOf(e, 'tls.cipher-suites')),
    withPartial({probe: 'tls.cipher-preference', data: {...preference}, collectedAt: enumeratedAt}, partialOf(e, 'tls.cipher-preference')),
    certs.error ? certs : withPartial(certs, certs.partial ?? partialOf(e, 'tls.certificates')),
    withPartial({probe: 'tls.key-exchange', data: {...kx}, collectedAt: enumeratedAt}, partialOf(e, 'tls.key-exchange')),
    {probe: 'tls.handshake-behaviour', data: behaviourData(e), collectedAt: enumeratedAt},
  ]
}

export const tlsProbeUnit: ProbeUnit = {
  ...tlsUnitMeta,
  budgetMs: ({timeoutMs}) => tlsBudgetMs(timeoutMs),
  async run(ctx: ProbeContext): Promise<ProbeEmission[]> {
    // Stop starting exchanges early enough that the certificate fetch and the last exchange still fit.
    const deadline = Date.now() + tlsBudgetMs(ctx.timeoutMs) - 8 * ctx.timeoutMs
    const e = await enumerateTls(ctx, {deadline})
    ctx.log(`tls: ${e.connections} connections (${e.retries} retries) in ${e.elapsedMs} ms, hello shape ${e.shapes.chosen}`)
    return emissionsFromEnumeration(ctx, e)
  },
}
