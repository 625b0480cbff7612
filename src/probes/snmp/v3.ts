/**
 * SNMPv3 without credentials:
 *  1. engine discovery (RFC 3414 §4): a GetRequest with empty engine id and user name and the reportable flag
 *     set; the agent answers with a Report (usmStatsUnknownEngineIDs) carrying msgAuthoritativeEngineID,
 *     engineBoots and engineTime. Built and parsed here (ber.ts) on a raw dgram socket so that garbage,
 *     oversized or mismatched replies are classified instead of silently dropped;
 *  2. noAuthNoPriv GETs of sysDescr.0 with a few common user names (one net-snmp v3 session each, at most
 *     4 outstanding). User names are reported by list id only.
 */
import {randomInt} from 'node:crypto'
import {createSocket} from 'node:dgram'
import {isIP} from 'node:net'

import {ProbeError, type ProbeContext} from '../types.js'
import {sameIp} from './address.js'
import {buildDiscoveryRequest, engineEnterprise, parseV3Message, TAG} from './ber.js'
import {
  MAX_DATAGRAM,
  OID,
  closeOnAbort,
  closeSession,
  deniedByAccessControl,
  newTraffic,
  noAuthV3Session,
  runPool,
  sessionGet,
  type Traffic,
} from './session.js'
import type {SnmpV3UserResult} from './types.js'

/** Common SNMPv3 user names tried with noAuthNoPriv (ids snmpv3-user-<n>, 1-based). */
export const DEFAULT_V3_USERS: readonly string[] = ['public', 'initial', 'admin', 'snmp', 'private', 'guest']

export function v3UserId(index: number): string {
  return `snmpv3-user-${index + 1}`
}

export interface Discovery {
  engineId: Buffer
  engineBoots: number
  engineTime: number
  reportOid: string | null
  /** The reply as received (hex artifact). */
  raw: Buffer
}

export interface DiscoveryResult {
  discovery: Discovery | null
  traffic: Traffic
  /** Why nothing usable arrived, when nothing did. */
  failure?: ProbeError
}

/** Sends the discovery request (1 + retries times) and waits ctx.timeoutMs for a well-formed matching reply each time. */
export async function discoverEngine(ctx: ProbeContext, retries: number): Promise<DiscoveryResult> {
  const traffic = newTraffic()
  const host = ctx.service.host
  const port = ctx.service.port
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4')
  socket.on('error', () => {})
  let lastError: ProbeError | undefined
  try {
    for (let attempt = 0; attempt <= retries && !ctx.signal.aborted; attempt++) {
      // request-id = msgID: agents that answer with a Report copy one or the other into the PDU (RFC 3412 §7.1
      // leaves the Report's request-id to the implementation when it could not read the request's scoped PDU).
      const msgId = randomInt(1, 0x7fffffff)
      const requestId = msgId
      const result = await new Promise<Discovery | null>((resolve) => {
        const done = (value: Discovery | null) => {
          clearTimeout(timer)
          socket.off('message', onMessage)
          ctx.signal.removeEventListener('abort', onAbort)
          resolve(value)
        }
        const onAbort = () => done(null)
        const timer = setTimeout(() => done(null), ctx.timeoutMs)
        const onMessage = (buf: Buffer, rinfo: {address: string; port: number}) => {
          // Canonical comparison ("::1" = "0:0::1"); a reply from another address of a multi-homed agent is
          // accepted below only when it carries our random msgID, and recorded.
          const fromTarget = rinfo.port === port && (isIP(host) === 0 || sameIp(rinfo.address, host))
          if (buf.length > MAX_DATAGRAM) {
            traffic.oversized++
            lastError = new ProbeError('oversized', `discovery reply of ${buf.length} bytes exceeds ${MAX_DATAGRAM}`)
            return
          }
          let parsed
          try {
            parsed = parseV3Message(buf)
          } catch (err) {
            if (!fromTarget) return void traffic.foreign++
            traffic.malformed++
            lastError = err instanceof ProbeError ? err : new ProbeError('malformed', String((err as Error)?.message ?? err))
            traffic.lastMalformed = lastError.message
            return
          }
          if (parsed.msgId !== msgId || (parsed.requestId !== requestId && parsed.requestId !== 0)) {
            if (!fromTarget) return void traffic.foreign++
            traffic.unmatched++
            lastError = new ProbeError(
              'wrong-request-id',
              `SNMPv3 reply with msgID ${parsed.msgId}/request-id ${parsed.requestId}, expected ${msgId}/${requestId}`,
            )
            return
          }
          if (parsed.pduType !== TAG.REPORT && parsed.pduType !== TAG.GET_RESPONSE) {
            traffic.malformed++
            lastError = new ProbeError('malformed', `SNMPv3 reply with PDU type 0x${parsed.pduType.toString(16)}`)
            return
          }
          traffic.matched++
          if (!fromTarget) {
            traffic.otherSource = (traffic.otherSource ?? 0) + 1
            traffic.otherSources = [...new Set([...(traffic.otherSources ?? []), `${rinfo.address}:${rinfo.port}`])].slice(0, 8)
          }
          done({
            engineId: parsed.engineId,
            engineBoots: parsed.engineBoots,
            engineTime: parsed.engineTime,
            reportOid: parsed.varbindOids[0] ?? null,
            raw: Buffer.from(buf),
          })
        }
        socket.on('message', onMessage)
        ctx.signal.addEventListener('abort', onAbort, {once: true})
        const request = buildDiscoveryRequest(msgId, requestId)
        socket.send(request, port, host, (err) => {
          if (err) {
            lastError = new ProbeError('send-failed', err.message)
            done(null)
          }
        })
      })
      if (result) return {discovery: result, traffic}
    }
  } finally {
    try {
      socket.close()
    } catch {
      // already closed
    }
  }
  const failure = ctx.signal.aborted
    ? new ProbeError('aborted', 'SNMPv3 discovery cancelled')
    : (lastError ?? new ProbeError('no-response', `no SNMPv3 discovery reply within ${ctx.timeoutMs} ms`))
  return {discovery: null, traffic, failure}
}

function userOutcome(kind: string, reason: string): string {
  if (kind === 'timeout') return 'timeout'
  const r = reason.toLowerCase()
  if (r.includes('unknown user')) return 'unknown-user'
  if (r.includes('security level')) return 'wrong-level'
  if (r.includes('digest') || r.includes('authentication')) return 'auth-required'
  if (r.includes('engine')) return 'unknown-engine'
  return 'rejected'
}

export async function tryNoAuthUsers(
  ctx: ProbeContext,
  users: readonly string[],
  retries: number,
): Promise<{results: SnmpV3UserResult[]; traffic: Traffic}> {
  const traffic = newTraffic()
  const results: SnmpV3UserResult[] = users.map((_, i) => ({credentialId: v3UserId(i), accepted: false, outcome: 'untried'}))
  await runPool(users, 4, ctx.signal, async (name, index) => {
    const session = noAuthV3Session(name, {
      host: ctx.service.host,
      port: ctx.service.port,
      timeoutMs: ctx.timeoutMs,
      retries,
      traffic,
      signal: ctx.signal,
    })
    const detach = closeOnAbort(ctx.signal, [session])
    try {
      const out = await sessionGet(session, [OID.sysDescr])
      const r = results[index] as SnmpV3UserResult
      if (deniedByAccessControl(out)) {
        // e.g. net-snmp `rouser admin auth`: the user exists but VACM refuses noAuthNoPriv → authorizationError.
        r.outcome = 'authorization-error'
      } else if (out.kind === 'response' || out.kind === 'error-status') {
        r.accepted = true
        r.outcome = out.kind === 'response' ? 'read' : `error-status:${out.status}`
      } else r.outcome = userOutcome(out.kind, 'reason' in out ? out.reason : '')
    } finally {
      detach()
      closeSession(session)
    }
  })
  return {results, traffic}
}

export {engineEnterprise}
