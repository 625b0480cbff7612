/**
 * The SNMP probe unit (UDP).
 *  1. community sweep, v1 + v2c GET sysDescr.0 per candidate, paced (communities.ts)            → snmp.communities
 *     in parallel with SNMPv3 engine discovery                                                     → snmp.v3
 *  2. noAuthNoPriv GETs with a few common SNMPv3 user names (when the engine answered discovery)  → snmp.v3
 *  3. the system group with the first accepted community (else noAuth user), PII masked            → snmp.system
 *  2b. with `v3Credentials`: authPriv (when a privacy protocol is given) and authNoPriv GETs per credential → snmp.v3
 *  4. only with `intrusive: true`: SET harmless system objects to their own value per accepted community (write.ts) → snmp.communities
 * UDP is exempt from the engine's TCP connection cap (ctx.connect is TCP only): this unit opens its own dgram
 * sockets, paces its requests itself (`intervalMs`), honours ctx.timeoutMs per request and ctx.signal,
 * and closes every socket before returning. A silent agent is no error by itself (UDP gives no refusal), but
 * when nothing answers at all every observation carries error `no-response` (or the reason the replies were
 * unusable: `malformed`, `oversized`, `wrong-request-id`). Community strings and user names never appear in
 * the output: only dataset ids (user-supplied SNMPv3 credentials keep their user name; their keys never appear).
 */
import type {ObservationError} from '../../evidence/types.js'
import type {ProbeContext, ProbeEmission, ProbeUnit} from '../types.js'
import {DEFAULT_INTERVAL_MS, sweepCommunities, sweepDurationMs} from './communities.js'
import {communityDataset, type CommunityCandidate} from './dataset.js'
import {addAnomalies, closeOnAbort, closeSession, communitySession, emptyAnomalies, newTraffic, noAuthV3Session, toProbeError} from './session.js'
import {readSystem, unreadableSystem} from './system.js'
import {
  P_SNMP_COMMUNITIES,
  P_SNMP_SYSTEM,
  P_SNMP_V3,
  type SnmpAnomalies,
  type SnmpCommunitiesData,
  type SnmpCommunityVersion,
  type SnmpSystemData,
  type SnmpV3Data,
} from './types.js'
import {testV3Credentials, type SnmpV3Credential} from './v3-credentials.js'
import {DEFAULT_V3_USERS, discoverEngine, engineEnterprise, tryNoAuthUsers, v3UserId} from './v3.js'
import {writeTest} from './write.js'

import {SNMP_EMITS, snmpUnitMeta} from './meta.js'

export {SNMP_EMITS}

export interface SnmpProbeOptions {
  /** Run the write test (SET sysLocation.0 to its current value). Default false. */
  intrusive?: boolean
  /** Candidates taken from the head of the community list. Default 100. */
  maxCommunities?: number
  /** Pause between two sweep datagrams, ms. Default DEFAULT_INTERVAL_MS (4). */
  intervalMs?: number
  /** Retransmissions per SNMPv3 / system / write request, 0 or 1. Default 1. */
  retries?: number
  /** 1 = a second sweep pass over unanswered requests of short lists (costs one more timeout). Default 0: the sweep
   *  resends only what failed to go out. */
  sweepRetries?: number
  /** Versions swept. Default ['v1', 'v2c']. */
  versions?: SnmpCommunityVersion[]
  /** Candidates instead of the bundled dataset (ids must be unique; the strings stay secret). */
  communities?: CommunityCandidate[]
  /** Dataset id reported with `communities` (default "custom"). */
  datasetId?: string
  /** SNMPv3 user names tried with noAuthNoPriv (default DEFAULT_V3_USERS). */
  v3Users?: readonly string[]
  /** User-supplied SNMPv3 credentials (loadSnmpV3Credentials); each is tried at authPriv and authNoPriv. */
  v3Credentials?: readonly SnmpV3Credential[]
}

export const DEFAULT_MAX_COMMUNITIES = 100
export const DEFAULT_RETRIES = 1
export const DEFAULT_SWEEP_RETRIES = 0

/**
 * Whole-unit budget: the sweep's own time (paced requests, one wait for late answers, a retry pass on short lists)
 * plus 12 timeouts for the rest (SNMPv3 discovery and users, system group, write test) — the scan's default unit
 * budget. The unit stops its sweep at the sweep part of it, so a budget hit never loses what was found.
 */
export function snmpBudgetMs(o: {candidates: number; versions?: number; intervalMs?: number; timeoutMs: number; sweepRetries?: number}): number {
  const sweep = sweepDurationMs(o.candidates, o.versions ?? 2, o.intervalMs ?? DEFAULT_INTERVAL_MS, o.timeoutMs, o.sweepRetries ?? DEFAULT_SWEEP_RETRIES)
  return sweep + 12 * o.timeoutMs
}

function noAnswerError(anomalies: SnmpAnomalies, timeoutMs: number, aborted: boolean, detail?: string): ObservationError {
  if (aborted) return {code: 'aborted', message: 'the SNMP probe was cancelled before any reply arrived'}
  if (anomalies.malformed > 0) {
    return {code: 'malformed', message: `received ${anomalies.malformed} datagram(s) that are not valid SNMP${detail ? ` (${detail})` : ''}`}
  }
  if (anomalies.oversized > 0) return {code: 'oversized', message: `received ${anomalies.oversized} oversized datagram(s); no usable SNMP reply`}
  if (anomalies.unmatched > 0) {
    return {code: 'wrong-request-id', message: `received ${anomalies.unmatched} SNMP reply(ies) matching no request id; no usable reply`}
  }
  return {
    code: 'no-response',
    message: `no SNMP reply at all (no v1/v2c response to any candidate community, no SNMPv3 discovery report) within ${timeoutMs} ms per request: agent absent, filtered, or answering no tested credential`,
  }
}

export function createSnmpProbeUnit(options: SnmpProbeOptions = {}): ProbeUnit {
  const maxCommunities = Math.max(0, Math.floor(options.maxCommunities ?? DEFAULT_MAX_COMMUNITIES))
  const intervalMs = Math.max(0, options.intervalMs ?? DEFAULT_INTERVAL_MS)
  const retries = Math.max(0, Math.min(1, Math.floor(options.retries ?? DEFAULT_RETRIES)))
  const sweepRetries = Math.max(0, Math.min(1, Math.floor(options.sweepRetries ?? DEFAULT_SWEEP_RETRIES)))
  const versions = options.versions ?? ['v1', 'v2c']
  const v3Users = options.v3Users ?? DEFAULT_V3_USERS
  const intrusive = options.intrusive === true
  const v3Credentials = options.v3Credentials ?? []

  return {
    ...snmpUnitMeta,
    async run(ctx: ProbeContext): Promise<ProbeEmission[]> {
      const started = Date.now()
      try {
        const dataset = options.communities ? {id: options.datasetId ?? 'custom', communities: options.communities} : communityDataset()
        const candidates = dataset.communities.slice(0, maxCommunities)

        // The sweep gets its share of the unit budget (and a little slack for timers on a loaded machine); past it,
        // it stops sending and keeps what it found.
        const sweepMs = sweepDurationMs(candidates.length, versions.length, intervalMs, ctx.timeoutMs, sweepRetries)
        const deadline = started + sweepMs + 2 * ctx.timeoutMs
        const [sweep, disc] = await Promise.all([
          sweepCommunities(ctx, candidates, {versions, intervalMs, retries: sweepRetries, deadline}),
          discoverEngine(ctx, retries),
        ])

        const [users, creds] = await Promise.all([
          disc.discovery ? tryNoAuthUsers(ctx, v3Users, retries) : Promise.resolve({results: [], traffic: newTraffic()}),
          testV3Credentials(ctx, v3Credentials, {retries, discovered: disc.discovery !== null}),
        ])

        // System group: first accepted community (v2c preferred for the same id), else first noAuth user.
        let system: SnmpSystemData = unreadableSystem()
        // Access was granted (a community or a noAuth user) but the read failed: the group is not proven closed.
        let systemReadFailed: string | undefined
        const first = sweep.accepted.find((a) => a.version === 'v2c') ?? sweep.accepted[0]
        const firstUser = users.results.findIndex((u) => u.accepted)
        if (first && !ctx.signal.aborted) {
          const session = communitySession(first.version, {host: ctx.service.host, port: ctx.service.port, timeoutMs: ctx.timeoutMs, retries, traffic: newTraffic(), signal: ctx.signal})
          const detach = closeOnAbort(ctx.signal, [session])
          try {
            const read = await readSystem(session, first.candidate.community, {credentialId: first.candidate.id, version: first.version})
            if (read) system = read
            else systemReadFailed = `${first.candidate.id} (${first.version}) was accepted but the system-group read got no answer`
          } finally {
            detach()
            closeSession(session)
          }
        } else if (firstUser >= 0 && !ctx.signal.aborted) {
          const session = noAuthV3Session(v3Users[firstUser] as string, {host: ctx.service.host, port: ctx.service.port, timeoutMs: ctx.timeoutMs, retries, traffic: newTraffic(), signal: ctx.signal})
          const detach = closeOnAbort(ctx.signal, [session])
          try {
            const read = await readSystem(session, undefined, {credentialId: v3UserId(firstUser), version: 'v3'})
            if (read) system = read
            else systemReadFailed = `${v3UserId(firstUser)} (v3 noAuthNoPriv) was accepted but the system-group read got no answer`
          } finally {
            detach()
            closeSession(session)
          }
        }

        const write = intrusive && sweep.accepted.length > 0 ? await writeTest(ctx, sweep.accepted, retries) : {results: [], traffic: newTraffic()}
        const writable = new Set(write.results.filter((r) => r.setAccepted || r.verdict === 'write').map((r) => `${r.credentialId}|${r.version}`))

        const sweepAnomalies = emptyAnomalies()
        addAnomalies(sweepAnomalies, sweep.traffic)
        addAnomalies(sweepAnomalies, write.traffic)
        const communities: SnmpCommunitiesData = {
          dataset: dataset.id,
          tried: sweep.tried,
          versions: [...versions],
          requests: sweep.requests,
          accepted: sweep.accepted.map((a) => ({
            credentialId: a.candidate.id,
            version: a.version,
            access: writable.has(`${a.candidate.id}|${a.version}`) ? 'write' : 'read',
          })),
          responded: sweep.responded,
          anomalies: sweepAnomalies,
          writeTest: {ran: intrusive && sweep.accepted.length > 0, results: write.results},
          untried: sweep.untried,
          denied: sweep.denied.map((d) => ({credentialId: d.candidate.id, version: d.version, status: d.status})),
          pacing: {intervalMs},
        }
        const v3Anomalies = emptyAnomalies()
        addAnomalies(v3Anomalies, disc.traffic)
        addAnomalies(v3Anomalies, users.traffic)
        addAnomalies(v3Anomalies, creds.traffic)
        const d = disc.discovery
        const v3: SnmpV3Data = {
          discovered: d !== null,
          engineId: d ? d.engineId.toString('hex') : null,
          engineBoots: d ? d.engineBoots : null,
          engineTime: d ? d.engineTime : null,
          engineEnterprise: d ? engineEnterprise(d.engineId) : null,
          reportOid: d ? d.reportOid : null,
          noAuthUsers: users.results,
          credentialsSupplied: v3Credentials.length > 0,
          credentials: creds.results,
          anomalies: v3Anomalies,
        }

        ctx.log(
          `snmp: ${communities.tried} communities tried (${communities.requests} requests), ${communities.accepted.length} accepted; ` +
            `v3 ${v3.discovered ? 'discovered' : 'silent'}` +
            (v3Credentials.length > 0 ? `, ${creds.results.filter((r) => r.result === 'accepted').length}/${creds.results.length} credential attempts accepted` : '') +
            `; ${Date.now() - started} ms`,
        )

        if (!sweep.responded && !d) {
          const all = emptyAnomalies()
          addAnomalies(all, sweepAnomalies)
          addAnomalies(all, v3Anomalies)
          const detail = disc.traffic.lastMalformed ?? sweep.traffic.lastMalformed
          const error = noAnswerError(all, ctx.timeoutMs, ctx.signal.aborted, detail)
          ctx.log(`snmp: ${error.code}: ${error.message}`)
          return [
            {probe: P_SNMP_COMMUNITIES, data: {...communities}, error},
            {probe: P_SNMP_SYSTEM, data: {}, error},
            {probe: P_SNMP_V3, data: {...v3}, error},
          ]
        }
        const v3Emission: ProbeEmission = {probe: P_SNMP_V3, data: {...v3}}
        if (d) v3Emission.artifacts = [{kind: 'snmpv3-discovery-report', encoding: 'hex', content: d.raw.toString('hex')}]
        else if (disc.failure && disc.failure.code !== 'no-response') {
          // v1/v2c works but the v3 port answered with junk: say why the v3 result is missing.
          v3Emission.error = {code: disc.failure.code, message: disc.failure.message}
        }
        const communitiesEmission: ProbeEmission = {probe: P_SNMP_COMMUNITIES, data: {...communities}}
        if (sweep.untried > 0) {
          // What was found stands; what was not tried cannot pass (judge turns a pass into inconclusive).
          communitiesEmission.partial = {
            code: sweep.stopped === 'aborted' ? 'aborted' : 'budget',
            message: `the community sweep stopped after ${sweep.tried} of ${candidates.length} candidates (${sweep.stopped === 'aborted' ? 'cancelled' : 'time budget reached'})`,
            missing: [`${sweep.untried} untried communities`],
          }
        }
        const systemEmission: ProbeEmission = {probe: P_SNMP_SYSTEM, data: {...system}}
        if (systemReadFailed) systemEmission.partial = {code: 'read-failed', message: systemReadFailed, missing: ['system group']}
        return [communitiesEmission, systemEmission, v3Emission]
      } catch (err) {
        const e = toProbeError(err)
        const error = {code: e.code, message: e.message}
        ctx.log(`snmp: ${error.code}: ${error.message}`)
        return SNMP_EMITS.map((probe) => ({probe, data: {}, error}))
      }
    },
  }
}

/** The non-intrusive unit with default options. */
export const snmpProbeUnit: ProbeUnit = createSnmpProbeUnit()
