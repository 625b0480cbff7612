/**
 * The SSH probe's connections, driven by the raw client:
 *  - the first connection reads the identification and KEXINIT and runs the key exchange (obtaining the host key of
 *    the algorithm it negotiates);
 *  - one connection per other distinct host key, its KEXINIT naming only that host-key algorithm, closed after the
 *    server's key exchange reply;
 *  - one of them (authOnFirstConnection) then switches on encryption and sends one `none` authentication request.
 * Each connection has an overall deadline of 3 × the probe timeout; none ever throws past its result.
 */
import type {ArtifactInput, ProbeContext} from '../types.js'
import {ProbeError} from '../types.js'
import {CLIENT_HOST_KEY_ALGORITHMS, clientKexinitLists, type KexinitGrab} from './kexinit.js'
import {negotiate, negotiateKex} from './negotiate.js'
import {CIPHERS, type DirectionAlgorithms} from './packet-protection.js'
import {describePublicKey} from './parse.js'
import {requestNoneAuth} from './raw-auth.js'
import {RawSshConnection, type KeyExchangeResult} from './raw-connection.js'
import {verifyHostKeySignature} from './host-key-signature.js'
import type {SshAuthMethodsData, SshHostKeyInfo} from './types.js'

/** Host-key algorithms that sign with the same RSA key: fetched once, reported for each. */
export const RSA_HOST_KEY_ALGORITHMS: readonly string[] = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']

export function toProbeError(err: unknown): ProbeError {
  return err instanceof ProbeError ? err : new ProbeError('internal', (err as Error)?.message ?? String(err))
}

/**
 * Opens a fresh raw connection, exchanges identifications and KEXINITs, then runs `body` under an overall deadline
 * (3 × the probe timeout; the exchange before it is bounded by the reader's limits and per-read timeout, as before a
 * key exchange there is no other). The connection is always closed.
 */
async function withRawConnection<T>(ctx: ProbeContext, lists: string[][], body: (conn: RawSshConnection, grab: KexinitGrab) => Promise<T>): Promise<T> {
  if (ctx.signal.aborted) throw new ProbeError('aborted', 'probe aborted')
  const socket = await ctx.connect()
  const deadline = new AbortController()
  const onAbort = (): void => deadline.abort()
  ctx.signal.addEventListener('abort', onAbort, {once: true})
  const conn = new RawSshConnection(socket, ctx.timeoutMs, deadline.signal, lists)
  let timedOut = false
  let timer: NodeJS.Timeout | undefined
  try {
    const grab = await conn.start()
    timer = setTimeout(() => {
      timedOut = true
      deadline.abort()
    }, ctx.timeoutMs * 3)
    return await body(conn, grab)
  } catch (err) {
    if (timedOut) throw new ProbeError('timeout', `SSH session did not finish within ${ctx.timeoutMs * 3} ms after the KEXINIT exchange`)
    throw toProbeError(err)
  } finally {
    clearTimeout(timer)
    ctx.signal.removeEventListener('abort', onAbort)
    conn.close()
  }
}

function describeDirection(d: DirectionAlgorithms): string {
  return CIPHERS.get(d.cipher)?.aead ? d.cipher : `${d.cipher}+${d.mac}`
}

/** A host key as fetched: the observation's entry and, when obtained, the public key blob (kept as evidence). */
export type FetchedHostKey = SshHostKeyInfo & {blob?: Buffer}

function hostKeyInfo(algorithm: string, kex: KeyExchangeResult): FetchedHostKey {
  const signature = verifyHostKeySignature(algorithm, kex.hostKeyBlob, kex.signature, kex.exchangeHash)
  return {
    algorithm,
    ...describePublicKey(kex.hostKeyBlob),
    signature: signature.status,
    signedWith: algorithm,
    ...(signature.status === 'valid' ? {} : {signatureProblem: signature.reason}),
    blob: kex.hostKeyBlob,
  }
}

export type AuthOutcome = {ok: true; value: SshAuthMethodsData; readAt: string} | {ok: false; error: ProbeError; readAt: string}

export interface SessionResult {
  /** The key of the host-key algorithm the connection negotiated (or why not). */
  hostKey?: FetchedHostKey
  /** The `none` request's outcome, on the connection that carried it. */
  auth?: AuthOutcome
}

/** After the KEXINIT exchange: the key exchange (one host key), then, if asked, encryption and the `none` request. */
async function keyThenAuth(ctx: ProbeContext, conn: RawSshConnection, grab: KexinitGrab, withAuth: boolean): Promise<SessionResult> {
  if (!grab.lists) throw new ProbeError('ssh1-only', 'server speaks SSH-1 only')
  const {kex, hostKey: algorithm} = negotiateKex(conn.lists, grab.lists)
  let hostKey: FetchedHostKey | undefined
  try {
    const result = await conn.keyExchange(kex)
    hostKey = hostKeyInfo(algorithm, result)
    if (!withAuth) return {hostKey}
    const n = negotiate(conn.lists, grab.lists)
    ctx.log(`ssh: raw session: kex ${kex}, host key ${algorithm}, ${describeDirection(n.clientToServer)} out, ${describeDirection(n.serverToClient)} in`)
    await conn.newKeys(result, n)
    const value = await requestNoneAuth(conn)
    return {hostKey, auth: {ok: true, value, readAt: ctx.now().toISOString()}}
  } catch (err) {
    const error = toProbeError(err)
    if (error.code === 'aborted') throw error
    return {hostKey: hostKey ?? {algorithm, error: `${error.code}: ${error.message}`}, ...(withAuth ? {auth: {ok: false, error, readAt: ctx.now().toISOString()}} : {})}
  }
}

/**
 * The key the server uses for one host-key algorithm, or why not (the error text starts with its code); with
 * `withAuth`, the same connection then carries the `none` request.
 */
export async function fetchHostKey(ctx: ProbeContext, algorithm: string, withAuth = false): Promise<SessionResult & {hostKey: FetchedHostKey}> {
  try {
    const r = await withRawConnection(ctx, clientKexinitLists([algorithm]), (conn, grab) => keyThenAuth(ctx, conn, grab, withAuth))
    return {...r, hostKey: r.hostKey ?? {algorithm, error: 'not fetched'}}
  } catch (err) {
    const e = toProbeError(err)
    if (e.code === 'aborted') throw e
    return {hostKey: {algorithm, error: `${e.code}: ${e.message}`}, ...(withAuth ? {auth: {ok: false, error: e, readAt: ctx.now().toISOString()}} : {})}
  }
}

/**
 * Whether the first connection carries the `none` request. It is on the critical path otherwise: with the default 2
 * connections per device, a third key waits for the first connection to close. With three or more keys to fetch,
 * the first connection fetches its key only and the second carries the request (OpenSSH's default three keys: ~10 ms
 * sooner on loopback); with one or two, the first does both.
 */
export function authOnFirstConnection(offered: readonly string[]): boolean {
  return hostKeyPlan(offered).length <= 2 || firstConnectionHostKey(offered) === undefined
}

/** The host-key algorithm the first connection negotiates (RFC 4253 §7.1: the first of its list the server offers). */
export function firstConnectionHostKey(offered: readonly string[]): string | undefined {
  return CLIENT_HOST_KEY_ALGORITHMS.find((a) => offered.includes(a))
}

/** Each offered algorithm (once, in offer order) and the algorithm fetched for it: itself, or for the RSA ones the
 *  strongest offered RSA signature algorithm (one key signs for all three). */
function fetchedAs(offered: readonly string[]): Map<string, string> {
  const rsa = RSA_HOST_KEY_ALGORITHMS.find((a) => offered.includes(a))
  return new Map(offered.map((a) => [a, RSA_HOST_KEY_ALGORITHMS.includes(a) ? (rsa as string) : a]))
}

/** One fetch per distinct key, RSA through the strongest offered RSA signature algorithm, in offer order. */
export function hostKeyPlan(offered: readonly string[]): string[] {
  return [...new Set(fetchedAs(offered).values())]
}

/** The keys for every offered algorithm from the fetched ones (the RSA algorithms share the RSA key). */
export function hostKeysFor(offered: readonly string[], fetched: ReadonlyMap<string, FetchedHostKey>): SshHostKeyInfo[] {
  return [...fetchedAs(offered)].map(([algorithm, fetchedWith]) => {
    const r = fetched.get(fetchedWith)
    if (!r) return {algorithm, error: 'not fetched'}
    const {blob: _blob, ...info} = r
    return {...info, algorithm}
  })
}

/** Each distinct public key obtained, as an OpenSSH public key line (type and base64 blob): the evidence behind
 *  the fingerprints (a lab recomputes them, or compares with known_hosts and the manufacturer's declaration), in
 *  the order of the plan (the server's offer). */
export function hostKeyArtifacts(plan: readonly string[], fetched: ReadonlyMap<string, FetchedHostKey>): ArtifactInput[] {
  const lines = new Set<string>()
  for (const algorithm of plan) {
    const k = fetched.get(algorithm)
    if (k?.blob && k.type) lines.add(`${k.type} ${k.blob.toString('base64')}`)
  }
  return [...lines].map((content) => ({kind: 'ssh-hostkey', encoding: 'utf8', content}))
}

/**
 * The first connection. `kexinit` settles as soon as the server's KEXINIT is read (the caller starts the other
 * connections then); `rest` settles when the whole session is over and never rejects (its `auth` is set when it
 * carried the `none` request, or failed before it could know).
 */
export function firstSession(ctx: ProbeContext): {kexinit: Promise<KexinitGrab>; rest: Promise<SessionResult>} {
  let onGrab!: (g: KexinitGrab) => void
  let onFailure!: (err: unknown) => void
  // A failure before the server's KEXINIT is the grab's (once resolved, the later rejection changes nothing).
  const kexinit = new Promise<KexinitGrab>((resolve, reject) => {
    onGrab = resolve
    onFailure = reject
  })
  const session = withRawConnection(ctx, clientKexinitLists(), async (conn, grab): Promise<SessionResult> => {
    onGrab(grab)
    return keyThenAuth(ctx, conn, grab, authOnFirstConnection(grab.lists?.hostKey ?? []))
  })
  session.catch(onFailure)
  const rest = session.catch((err: unknown): SessionResult => ({auth: {ok: false, error: toProbeError(err), readAt: ctx.now().toISOString()}}))
  return {kexinit, rest}
}
