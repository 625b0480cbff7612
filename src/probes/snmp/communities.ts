/**
 * SNMPv1/v2c community sweep: a GET of sysDescr.0 per candidate community and version, on one raw dgram socket.
 *
 * onesixtyone's model, because a real agent (Debian net-snmp snmpd) answers nothing at all to a wrong community:
 *  1. send every request once, paced (`intervalMs` between datagrams, never a burst a small agent's receive buffer
 *     cannot hold), collecting answers as they arrive;
 *  2. after the last one, wait once (`timeoutMs`) for late answers;
 *  3. retry only what needs it: requests whose send failed (ENOBUFS, EAGAIN …). Silence is the agent's answer to a
 *     wrong community, so unanswered requests get no blind second pass — unless the caller asks for one
 *     (`retries` 1) and the list is short (≤ SMALL_SWEEP requests), where it costs one more wait.
 * Replies are matched by request-id (random per request), community and version; a reply from another address of the
 * target (a multi-homed agent) is accepted on that match and recorded. An answer with error-status
 * authorizationError is a refusal (recorded in `denied`), not access; any other answer — even noSuchName — means
 * the community was accepted. A deadline stops sending and keeps what was seen (the unit marks the result partial).
 */
import {randomInt} from 'node:crypto'
import {createSocket} from 'node:dgram'
import {lookup} from 'node:dns/promises'
import {isIP} from 'node:net'

import type {ProbeContext} from '../types.js'
import {sameIp} from './address.js'
import {buildGetRequest, errorStatusName, parseCommunityReply, WIRE_VERSION} from './community-pdu.js'
import type {CommunityCandidate} from './dataset.js'
import {MAX_DATAGRAM, OID, newTraffic, type Traffic} from './session.js'
import type {SnmpCommunityVersion} from './types.js'

/** Requests at most for which unanswered ones get a blind second pass. */
export const SMALL_SWEEP = 256
/** Default pause between two datagrams: 250 per second, gentler than onesixtyone's 10 ms per v1 request when both
 *  versions are swept (two datagrams per community). */
export const DEFAULT_INTERVAL_MS = 4
/** authorizationError (RFC 3416 error-status 16): the agent refused the request by access control. */
const AUTHORIZATION_ERROR = 16

export interface SweepOptions {
  versions: SnmpCommunityVersion[]
  /** Pause between two datagrams, ms. */
  intervalMs: number
  /** 0 or 1: a second pass over unanswered requests of short lists. */
  retries: number
  /** Epoch ms after which nothing more is sent (results so far are kept). */
  deadline?: number
}

export interface SweepAccepted {
  candidate: CommunityCandidate
  version: SnmpCommunityVersion
}

export interface SweepDenied extends SweepAccepted {
  /** The error-status name the agent answered with (authorizationError). */
  status: string
}

export interface SweepResult {
  accepted: SweepAccepted[]
  /** Answered, but refused by the agent's access control (authorizationError): not access. */
  denied: SweepDenied[]
  tried: number
  requests: number
  untried: number
  /** Any well-formed v1/v2c response arrived. */
  responded: boolean
  traffic: Traffic
  /** Why the sweep stopped before every candidate was tried, when it did. */
  stopped?: 'deadline' | 'aborted'
}

/** Time the sweep needs at most: every request paced, one wait for late answers, a second pass on short lists. */
export function sweepDurationMs(candidates: number, versions: number, intervalMs: number, timeoutMs: number, retries: number): number {
  const requests = candidates * versions
  const second = retries > 0 && requests <= SMALL_SWEEP ? requests * intervalMs + timeoutMs : 0
  return requests * intervalMs + timeoutMs + second
}

interface Job {
  index: number
  candidate: CommunityCandidate
  version: SnmpCommunityVersion
  answered: boolean
  sendFailed: boolean
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, {once: true})
  })

export async function sweepCommunities(ctx: ProbeContext, candidates: readonly CommunityCandidate[], options: SweepOptions): Promise<SweepResult> {
  const traffic = newTraffic()
  // A name is resolved once: not one lookup per datagram, and replies compare against the address we sent to.
  const host = isIP(ctx.service.host) !== 0 ? ctx.service.host : (await lookup(ctx.service.host).catch(() => ({address: ctx.service.host}))).address
  const port = ctx.service.port
  const interval = Math.max(0, options.intervalMs)
  const jobs: Job[] = candidates.flatMap((candidate, index) => options.versions.map((version) => ({index, candidate, version, answered: false, sendFailed: false})))
  const pending = new Map<number, Job>()
  const accepted: Job[] = []
  const denied: SweepDenied[] = []
  let requests = 0
  let responded = false
  let started = 0
  let stopped: SweepResult['stopped']
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4')
  socket.on('error', () => {})
  // One wake-up source for "everything answered" while waiting for late answers.
  let wake: (() => void) | undefined

  socket.on('message', (buf: Buffer, rinfo: {address: string; port: number}) => {
    if (buf.length > MAX_DATAGRAM) {
      traffic.oversized++
      return
    }
    let reply
    try {
      reply = parseCommunityReply(buf)
    } catch (err) {
      traffic.malformed++
      traffic.lastMalformed = (err as Error)?.message ?? String(err)
      return
    }
    const job = pending.get(reply.requestId)
    if (!job || reply.version !== WIRE_VERSION[job.version] || !reply.community.equals(Buffer.from(job.candidate.community, 'utf8')) || reply.pduType !== 0xa2) {
      // Not an answer to a request of ours (or a spoofed one with the wrong community): never accepted.
      if (rinfo.port === port && sameIp(rinfo.address, host)) traffic.unmatched++
      else traffic.foreign++
      return
    }
    pending.delete(reply.requestId)
    if (!(rinfo.port === port && sameIp(rinfo.address, host))) recordOtherSource(traffic, rinfo)
    traffic.matched++
    responded = true
    if (job.answered) return
    job.answered = true
    if (reply.errorStatus === AUTHORIZATION_ERROR) {
      denied.push({candidate: job.candidate, version: job.version, status: errorStatusName(reply.errorStatus)})
    } else accepted.push(job)
    if (pending.size === 0) wake?.()
  })

  const send = (job: Job): Promise<void> =>
    new Promise((resolve) => {
      let requestId = randomInt(1, 0x7fffffff)
      while (pending.has(requestId)) requestId = randomInt(1, 0x7fffffff)
      pending.set(requestId, job)
      requests++
      socket.send(buildGetRequest(job.version, job.candidate.community, requestId, OID.sysDescr), port, host, (err) => {
        if (err) {
          pending.delete(requestId)
          job.sendFailed = true
        } else job.sendFailed = false
        resolve()
      })
    })

  const pass = async (list: Job[], countStarted: boolean): Promise<void> => {
    let due = Date.now()
    for (let i = 0; i < list.length; i++) {
      if (ctx.signal.aborted) {
        stopped = 'aborted'
        return
      }
      if (options.deadline !== undefined && Date.now() >= options.deadline) {
        stopped = 'deadline'
        return
      }
      // Never faster than one datagram per interval, even after a late timer (no catch-up burst: a small agent's
      // receive buffer drops bursts); the deadline bounds what a slow event loop can cost.
      const ahead = due - Date.now()
      if (ahead > 0) await sleep(ahead, ctx.signal)
      due = Math.max(due, Date.now()) + interval
      await send(list[i] as Job)
      if (countStarted) started = Math.max(started, (list[i] as Job).index + 1)
    }
  }

  const waitForLate = async (): Promise<void> => {
    if (pending.size === 0 || ctx.signal.aborted) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ctx.timeoutMs)
      function done() {
        clearTimeout(timer)
        wake = undefined
        ctx.signal.removeEventListener('abort', done)
        resolve()
      }
      wake = done
      ctx.signal.addEventListener('abort', done, {once: true})
    })
  }

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    await pass(jobs, true)
    await waitForLate()
    if (!stopped) {
      const again = jobs.filter((j) => !j.answered && (j.sendFailed || (options.retries > 0 && jobs.length <= SMALL_SWEEP)))
      if (again.length > 0) {
        await pass(again, false)
        await waitForLate()
      }
    }
  } finally {
    try {
      socket.close()
    } catch {
      // already closed
    }
  }
  accepted.sort((a, b) => jobs.indexOf(a) - jobs.indexOf(b))
  const tried = stopped ? started : candidates.length
  const result: SweepResult = {
    accepted: accepted.map(({candidate, version}) => ({candidate, version})),
    denied,
    tried,
    requests,
    untried: candidates.length - tried,
    responded,
    traffic,
  }
  if (stopped) result.stopped = stopped
  return result
}

/** A matched reply from another address/port of the target (multi-homed agent): accepted, and recorded. */
function recordOtherSource(traffic: Traffic, rinfo: {address: string; port: number}): void {
  traffic.otherSource = (traffic.otherSource ?? 0) + 1
  const from = `${rinfo.address}:${rinfo.port}`
  traffic.otherSources ??= []
  if (!traffic.otherSources.includes(from) && traffic.otherSources.length < 8) traffic.otherSources.push(from)
}
