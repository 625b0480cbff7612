/**
 * net-snmp sessions hardened for hostile agents, and the small concurrency helpers the SNMP probes share.
 *
 * UDP note: ProbeContext.connect() is TCP only and enforces the per-device TCP connection cap. SNMP runs over
 * UDP, so the probes create their own dgram sockets (through net-snmp sessions). UDP is exempt from the TCP
 * connection cap; instead the SNMP probes bound their own load: a fixed, small number of sockets per probe
 * step and at most `maxInFlight` requests outstanding at once (see `runPool`). Every request has the
 * `ctx.timeoutMs` bound, every session is closed in a `finally`, and `ctx.signal` closes them early.
 *
 * Hardening (net-snmp's own receive path throws/emits on bad input and silently drops unmatched replies):
 *  - the session's datagram listener is replaced by one that drops datagrams from other peers and oversized
 *    ones, then hands the rest to net-snmp inside try/catch;
 *  - parse errors (net-snmp emits them as session 'error' events — without a listener they would crash the
 *    process) are counted as `malformed`;
 *  - a well-formed reply that completes no outstanding request is counted as `unmatched` (wrong request id).
 */
import {isIP} from 'node:net'

import snmp from 'net-snmp'

import {ProbeError} from '../types.js'
import {sameIp} from './address.js'
import type {SnmpAnomalies, SnmpCommunityVersion} from './types.js'

/** Replies above this size are dropped (an SNMP GET of a few scalars needs far less; RFC 3417 minimum is 484). */
export const MAX_DATAGRAM = 16_384

export const OID = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysContact: '1.3.6.1.2.1.1.4.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  sysLocation: '1.3.6.1.2.1.1.6.0',
} as const

export function emptyAnomalies(): SnmpAnomalies {
  return {malformed: 0, oversized: 0, unmatched: 0, foreign: 0}
}

export function addAnomalies(into: SnmpAnomalies, from: SnmpAnomalies): void {
  into.malformed += from.malformed
  into.oversized += from.oversized
  into.unmatched += from.unmatched
  into.foreign += from.foreign
  if (from.otherSource) {
    into.otherSource = (into.otherSource ?? 0) + from.otherSource
    into.otherSources = [...new Set([...(into.otherSources ?? []), ...(from.otherSources ?? [])])].slice(0, 8)
  }
}

export interface Traffic extends SnmpAnomalies {
  /** Replies that completed a request (any response, including error responses). */
  matched: number
  lastMalformed?: string
}

export function newTraffic(): Traffic {
  return {...emptyAnomalies(), matched: 0}
}

/** net-snmp internals used for hardening (not in @types/net-snmp). */
interface SessionInternals {
  dgram: import('node:dgram').Socket
  reqs: Record<string, unknown>
  community?: string
  onMsg(buffer: Buffer): void
}

export type Session = snmp.Session

export interface SessionOptions {
  host: string
  port: number
  timeoutMs: number
  retries: number
  traffic: Traffic
  signal: AbortSignal
}

function harden(session: snmp.Session, o: SessionOptions): snmp.Session {
  const internals = session as unknown as SessionInternals
  const literal = isIP(o.host) !== 0
  let emitted = false
  session.on('error', (err: Error) => {
    emitted = true
    o.traffic.malformed++
    o.traffic.lastMalformed = err?.message ?? String(err)
  })
  internals.dgram.removeAllListeners('message')
  internals.dgram.on('message', (buffer: Buffer, rinfo: {address: string; port: number}) => {
    // Addresses compare in canonical form ("::1" = "0:0:0:0:0:0:0:1"). A reply from elsewhere is handed to
    // net-snmp too, which completes a request only on its request-id (and community / USM user): a multi-homed
    // agent answering from another of its addresses is accepted that way and recorded; anything else is foreign.
    const fromTarget = rinfo.port === o.port && (!literal || sameIp(rinfo.address, o.host))
    if (buffer.length > MAX_DATAGRAM) {
      o.traffic.oversized++
      return
    }
    const before = Object.keys(internals.reqs).length
    emitted = false
    try {
      internals.onMsg(buffer)
    } catch (err) {
      if (!fromTarget) return void o.traffic.foreign++
      o.traffic.malformed++
      o.traffic.lastMalformed = (err as Error)?.message ?? String(err)
      return
    }
    if (emitted) {
      if (!fromTarget) o.traffic.malformed--, o.traffic.foreign++
      return
    }
    if (Object.keys(internals.reqs).length < before) {
      o.traffic.matched++
      if (!fromTarget) {
        o.traffic.otherSource = (o.traffic.otherSource ?? 0) + 1
        const from = `${rinfo.address}:${rinfo.port}`
        o.traffic.otherSources ??= []
        if (!o.traffic.otherSources.includes(from) && o.traffic.otherSources.length < 8) o.traffic.otherSources.push(from)
      }
    } else if (fromTarget) o.traffic.unmatched++
    else o.traffic.foreign++
  })
  // Socket-level errors (e.g. ICMP port unreachable surfacing as ECONNREFUSED on some systems) must not crash.
  internals.dgram.on('error', () => {})
  return session
}

/** Closes a session once; safe to call repeatedly and after the socket already closed. */
export function closeSession(session: snmp.Session): void {
  try {
    session.close()
  } catch {
    // already closed
  }
}

function transport(host: string): 'udp4' | 'udp6' {
  return isIP(host) === 6 ? 'udp6' : 'udp4'
}

export function communitySession(version: SnmpCommunityVersion, o: SessionOptions): snmp.Session {
  const session = snmp.createSession(o.host, 'public', {
    port: o.port,
    version: version === 'v1' ? snmp.Version1 : snmp.Version2c,
    retries: o.retries,
    timeout: o.timeoutMs,
    transport: transport(o.host),
  })
  return harden(session, o)
}

export function noAuthV3Session(userName: string, o: SessionOptions): snmp.Session {
  const session = snmp.createV3Session(
    o.host,
    {name: userName, level: snmp.SecurityLevel.noAuthNoPriv},
    {port: o.port, retries: o.retries, timeout: o.timeoutMs, transport: transport(o.host)},
  )
  return harden(session, o)
}

/** An SNMPv3 session with authentication (and privacy when `user.level` is authPriv); keys stay inside net-snmp. */
export function credentialV3Session(user: snmp.User, o: SessionOptions): snmp.Session {
  const session = snmp.createV3Session(o.host, user, {port: o.port, retries: o.retries, timeout: o.timeoutMs, transport: transport(o.host)})
  return harden(session, o)
}

export type GetOutcome =
  | {kind: 'response'; varbinds: snmp.Varbind[]}
  /** The agent answered with an error status: `status` its name as net-snmp gives it (e.g. "AuthorizationError"),
   *  `code` the RFC 3416 number. Whether the community/user got past access control depends on the status
   *  (see `deniedByAccessControl`). */
  | {kind: 'error-status'; status: string; code?: number}
  | {kind: 'timeout'}
  /** USM report (unknown user, wrong security level …) or other invalid reply. */
  | {kind: 'rejected'; reason: string}
  /** Local failure (e.g. `code` ERR_OSSL_EVP_UNSUPPORTED when OpenSSL lacks a cipher). */
  | {kind: 'failed'; reason: string; code?: string}

function classify(err: Error | null, varbinds: snmp.Varbind[] | undefined): GetOutcome {
  if (!err) return {kind: 'response', varbinds: varbinds ?? []}
  if (err.name === 'RequestTimedOutError') return {kind: 'timeout'}
  if (err.name === 'RequestFailedError') {
    const code = (err as Error & {status?: unknown}).status
    const out: GetOutcome = {kind: 'error-status', status: err.message.split(':')[0] ?? err.message}
    if (typeof code === 'number') out.code = code
    return out
  }
  if (err.name === 'ResponseInvalidError') return {kind: 'rejected', reason: err.message}
  return failed(err)
}

function failed(err: unknown): GetOutcome {
  const e = err as (Error & {code?: unknown}) | null | undefined
  const out: GetOutcome = {kind: 'failed', reason: e?.message ?? String(err)}
  if (typeof e?.code === 'string') out.code = e.code
  return out
}

/** RFC 3416 error-status 16 (authorizationError) and 6 (noAccess): the request was refused by access control
 *  (VACM view or security level), so the community or user was NOT granted access. */
export function deniedByAccessControl(out: GetOutcome): boolean {
  if (out.kind !== 'error-status') return false
  if (out.code === 16 || out.code === 6) return true
  return /^(authorizationerror|noaccess)$/i.test(out.status)
}

/** A GET on the session; `community` (v1/v2c) is set for this one request (net-snmp reads it when building it). */
export function sessionGet(session: snmp.Session, oids: string[], community?: string): Promise<GetOutcome> {
  return new Promise((resolve) => {
    try {
      if (community !== undefined) (session as unknown as SessionInternals).community = community
      session.get(oids, (err, varbinds) => resolve(classify(err as Error | null, varbinds as snmp.Varbind[] | undefined)))
    } catch (err) {
      resolve(failed(err))
    }
  })
}

export function sessionSet(session: snmp.Session, varbinds: snmp.Varbind[], community?: string): Promise<GetOutcome> {
  return new Promise((resolve) => {
    try {
      if (community !== undefined) (session as unknown as SessionInternals).community = community
      session.set(varbinds, (err, out) => resolve(classify(err as Error | null, out as snmp.Varbind[] | undefined)))
    } catch (err) {
      resolve({kind: 'failed', reason: (err as Error)?.message ?? String(err)})
    }
  })
}

/** Varbind value as text (OctetString → UTF-8 with control characters escaped, numbers/OIDs → string). */
export function varbindText(vb: snmp.Varbind | undefined): string | null {
  if (!vb || snmp.isVarbindError(vb)) return null
  const v = vb.value
  if (v === null || v === undefined) return null
  if (Buffer.isBuffer(v)) return v.toString('utf8').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  return String(v)
}

export function varbindNumber(vb: snmp.Varbind | undefined): number | null {
  if (!vb || snmp.isVarbindError(vb)) return null
  const v = vb.value
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'bigint') return Number(v)
  return null
}

/**
 * Runs `fn` over `items` with at most `limit` calls outstanding; stops starting new ones once `signal` aborts.
 * Returns how many items were started.
 */
export async function runPool<T>(items: readonly T[], limit: number, signal: AbortSignal, fn: (item: T, index: number) => Promise<void>): Promise<number> {
  let next = 0
  const workers = Array.from({length: Math.max(1, Math.min(limit, items.length))}, async () => {
    while (next < items.length && !signal.aborted) {
      const index = next++
      await fn(items[index] as T, index)
    }
  })
  await Promise.all(workers)
  return next
}

/** Closes the sessions when the signal aborts (pending requests then fail with "Socket forcibly closed"). */
export function closeOnAbort(signal: AbortSignal, sessions: snmp.Session[]): () => void {
  const onAbort = () => {
    for (const s of sessions) closeSession(s)
  }
  if (signal.aborted) onAbort()
  signal.addEventListener('abort', onAbort, {once: true})
  return () => signal.removeEventListener('abort', onAbort)
}

export function toProbeError(err: unknown): ProbeError {
  if (err instanceof ProbeError) return err
  return new ProbeError('internal', (err as Error)?.message ?? String(err))
}
