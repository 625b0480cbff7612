/**
 * The HTTP admin-surface probe unit (non-intrusive: GETs without credentials only). Emits `http.exchanges`
 * (every request as redacted evidence) and `http.surface` (the derived facts the checks read). When `/`
 * itself cannot be read (no valid response, timeout, limits, redirect loop) both carry an error with the
 * reason; the exchanges made so far stay in the data as evidence.
 */
import type {ObservationError} from '../../evidence/types.js'
import type {PiiHit} from '../../pii/index.js'
import {ProbeError, type ProbeContext, type ProbeEmission, type ProbeUnit} from '../types.js'
import {makeClient, originOf, type TlsSeen} from './client.js'
import {crawl, type CrawledResponse} from './crawl.js'
import {piiOf, toExchange} from './exchanges.js'
import {redactUrl} from './redact.js'
import {deriveSurface} from './surface.js'
import {httpUnitMeta} from './meta.js'
import {P_HTTP_EXCHANGES, P_HTTP_SURFACE, type HttpExchangesData, type HttpScheme} from './types.js'

function toError(err: unknown): ObservationError {
  if (err instanceof ProbeError) return {code: err.code, message: err.message}
  return {code: 'internal', message: (err as Error)?.message ?? String(err)}
}

export async function runHttpProbe(ctx: ProbeContext): Promise<ProbeEmission[]> {
  const scheme: HttpScheme = ctx.service.protocol === 'https' ? 'https' : 'http'
  const origin = originOf(ctx, scheme)
  const seen: TlsSeen = {chainVerified: null}
  const client = makeClient(ctx, scheme, seen)
  try {
    const result = await crawl(client, ctx, new URL(origin).origin)
    const pii = new Map<CrawledResponse, PiiHit[]>()
    for (const r of result.responses) pii.set(r, piiOf(r))
    const exchanges: HttpExchangesData = {
      exchanges: result.responses.map((r) => toExchange(r, pii.get(r) ?? [])),
      skipped: result.skipped,
      offOrigin: result.offOrigin.map((u) => redactUrl(u)),
    }
    if (result.rootError) {
      const error = {code: result.rootError.code, message: `GET /: ${result.rootError.message}`}
      ctx.log(`http: ${error.code}: ${error.message}`)
      return [
        {probe: P_HTTP_EXCHANGES, data: {...exchanges}, error},
        {probe: P_HTTP_SURFACE, data: {}, error},
      ]
    }
    const surface = deriveSurface(result, scheme, pii, seen.chainVerified)
    ctx.log(`http: ${exchanges.exchanges.length} requests, ${surface.loginForms.length} login form(s), ${surface.cookies.length} cookie(s), ${surface.pii.length} PII hit group(s)`)
    return [
      {probe: P_HTTP_EXCHANGES, data: {...exchanges}},
      {probe: P_HTTP_SURFACE, data: {...surface}},
    ]
  } catch (err) {
    const error = toError(err)
    return [
      {probe: P_HTTP_EXCHANGES, data: {}, error},
      {probe: P_HTTP_SURFACE, data: {}, error},
    ]
  } finally {
    await client.destroy().catch(() => {})
  }
}

export const httpProbeUnit: ProbeUnit = {
  ...httpUnitMeta,
  run: runHttpProbe,
}
