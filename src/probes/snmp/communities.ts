/**
 * SNMPv1/v2c community sweep: a GET of sysDescr.0 per candidate community and version. One net-snmp session
 * (one UDP socket) per version; the community is set per request. At most `maxInFlight` requests are
 * outstanding at once (UDP is exempt from the TCP connection cap, see session.ts), each bounded by
 * ctx.timeoutMs with `retries` (0–1) retransmissions. An agent silently drops unknown communities, so a
 * timeout means "not accepted"; any response — even an error status such as noSuchName — means accepted.
 */
import type {ProbeContext} from '../types.js'
import type {CommunityCandidate} from './dataset.js'
import {
  OID,
  closeOnAbort,
  closeSession,
  communitySession,
  newTraffic,
  runPool,
  sessionGet,
  type Traffic,
} from './session.js'
import type {SnmpCommunityVersion} from './types.js'

export interface SweepOptions {
  versions: SnmpCommunityVersion[]
  maxInFlight: number
  retries: number
}

export interface SweepAccepted {
  candidate: CommunityCandidate
  version: SnmpCommunityVersion
}

export interface SweepResult {
  accepted: SweepAccepted[]
  tried: number
  requests: number
  untried: number
  /** Any well-formed v1/v2c response arrived. */
  responded: boolean
  traffic: Traffic
}

export async function sweepCommunities(ctx: ProbeContext, candidates: readonly CommunityCandidate[], options: SweepOptions): Promise<SweepResult> {
  const traffic = newTraffic()
  const base = {
    host: ctx.service.host,
    port: ctx.service.port,
    timeoutMs: ctx.timeoutMs,
    retries: Math.max(0, Math.min(1, options.retries)),
    traffic,
    signal: ctx.signal,
  }
  const sessions = new Map(options.versions.map((v) => [v, communitySession(v, base)] as const))
  const detach = closeOnAbort(ctx.signal, [...sessions.values()])
  const jobs = candidates.flatMap((candidate, index) => options.versions.map((version) => ({candidate, version, index})))
  const accepted: Array<SweepAccepted & {order: number}> = []
  let requests = 0
  let responded = false
  let started = 0
  try {
    started = await runPool(jobs, options.maxInFlight, ctx.signal, async (job, order) => {
      const session = sessions.get(job.version)
      if (!session) return
      requests++
      const out = await sessionGet(session, [OID.sysDescr], job.candidate.community)
      if (out.kind === 'response' || out.kind === 'error-status') {
        responded = true
        accepted.push({candidate: job.candidate, version: job.version, order})
      }
    })
  } finally {
    detach()
    for (const s of sessions.values()) closeSession(s)
  }
  accepted.sort((a, b) => a.order - b.order)
  const triedCandidates = new Set(jobs.slice(0, started).map((j) => j.index)).size
  return {
    accepted: accepted.map(({candidate, version}) => ({candidate, version})),
    tried: triedCandidates,
    requests,
    untried: candidates.length - triedCandidates,
    responded: responded || traffic.matched > 0,
    traffic,
  }
}
