import type {Socket} from 'node:net'

import {observationId, sha256Hex} from '../evidence/ids.js'
import type {Artifact, Observation, ObservationError, Service} from '../evidence/types.js'
import {type ProbeContext, type ProbeEmission, ProbeError, type ProbeUnit} from '../probes/types.js'
import {type ConnectionStats, makeConnector} from './connector.js'
import type {RateLimiter} from './rate-limiter.js'
import type {Semaphore} from './semaphore.js'

export interface UnitRunOptions {
  service: Service
  targetName: string
  timeoutMs: number
  /** Whole-unit budget; past it the unit's sockets are destroyed and its observations carry an error. */
  budgetMs: number
  semaphore: Semaphore
  stats: ConnectionStats
  rate?: RateLimiter
  caCertificates: string[]
  intrusive: boolean
  credentials?: ProbeContext['credentials']
  declared?: ProbeContext['declared']
  login?: ProbeContext['login']
  now: () => Date
  signal?: AbortSignal
  log: (message: string) => void
}

/** Runs one probe unit against one service; never throws: failures become observations with `error`. */
export async function runUnit(unit: ProbeUnit, o: UnitRunOptions): Promise<Observation[]> {
  const controller = new AbortController()
  const open = new Set<Socket>()
  const onOuterAbort = () => controller.abort(new ProbeError('aborted', 'scan cancelled'))
  o.signal?.addEventListener('abort', onOuterAbort, {once: true})
  let timer: NodeJS.Timeout | undefined
  const budget = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ProbeError('budget', `probe ${unit.id} did not finish within its ${o.budgetMs} ms budget`)
      controller.abort(error)
      reject(error)
    }, o.budgetMs)
  })
  const collectedAt = o.now().toISOString()
  let emissions: ProbeEmission[]
  try {
    const ctx = {
      service: o.service,
      timeoutMs: o.timeoutMs,
      signal: controller.signal,
      connect: makeConnector({
        host: o.service.host,
        defaultPort: o.service.port,
        timeoutMs: o.timeoutMs,
        signal: controller.signal,
        semaphore: o.semaphore,
        stats: o.stats,
        rate: o.rate,
        open,
      }),
      caCertificates: o.caCertificates,
      intrusive: o.intrusive,
      credentials: o.credentials,
      declared: o.declared,
      login: o.login,
      targetName: o.targetName,
      now: o.now,
      log: o.log,
    }
    emissions = await Promise.race([unit.run(ctx), budget])
  } catch (error) {
    const failure: ObservationError =
      error instanceof ProbeError
        ? {code: error.code, message: error.message}
        : {code: 'internal', message: `probe ${unit.id} failed unexpectedly: ${(error as Error)?.message ?? String(error)}`}
    emissions = unit.emits.map((probe) => ({probe, data: {}, error: failure}))
  } finally {
    clearTimeout(timer)
    o.signal?.removeEventListener('abort', onOuterAbort)
    controller.abort()
    for (const socket of open) socket.destroy()
  }
  // A unit that forgot an emission still yields an explained observation for every name it declares.
  for (const probe of unit.emits) {
    if (!emissions.some((e) => e.probe === probe)) {
      emissions.push({probe, data: {}, error: {code: 'internal', message: `probe ${unit.id} emitted no ${probe}`}})
    }
  }
  return emissions.map((e) => toObservation(o.service, e, collectedAt))
}

/** `service` may be a device pseudo-service (`device:<id>`) for observations derived per device. */
export function toObservation(service: Pick<Service, 'id'>, e: ProbeEmission, collectedAt: string): Observation {
  const artifacts: Artifact[] = (e.artifacts ?? []).map((a) => ({...a, sha256: sha256Hex(a.content)}))
  const observation: Observation = {
    // Content-addressed, raw bytes included (src/evidence/ids.ts): a swapped certificate changes the id. Bytes
    // that differ on every connection (a ServerHello random, an SSH KEXINIT cookie) make the id differ between
    // runs too; what stays comparable across runs is (device, service, probe) and `data`, which `report diff`
    // and merge use — never the id.
    id: observationId({service: service.id, probe: e.probe, data: e.data, artifacts, ...(e.error ? {error: e.error} : {}), ...(e.partial ? {partial: e.partial} : {})}),
    service: service.id,
    probe: e.probe,
    collectedAt: e.collectedAt ?? collectedAt,
    data: e.data,
    artifacts,
  }
  if (e.error) observation.error = e.error
  else if (e.partial) observation.partial = e.partial
  return observation
}
