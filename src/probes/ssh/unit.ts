/**
 * The SSH probe unit: a non-intrusive configuration audit, with the raw client (raw-session.ts).
 *  1. first connection: identification + SSH_MSG_KEXINIT → ssh.kexinit; then the key exchange (one host key) and
 *     one `none` authentication request → ssh.auth-methods
 *  2. one connection per other distinct offered host key, started as soon as the KEXINIT is read → ssh.hostkeys
 * When the raw `none` request cannot run (a cipher or MAC it does not implement) or failed, the ssh2 client asks
 * once more on a fresh connection. Target misbehaviour never throws: each emission then carries `error`.
 */
import type {ObservationError} from '../../evidence/types.js'
import {ProbeError, type ArtifactInput, type ProbeContext, type ProbeEmission, type ProbeUnit} from '../types.js'
import type {KexinitGrab} from './kexinit.js'
import {authOnFirstConnection, fetchHostKey, firstConnectionHostKey, firstSession, hostKeyArtifacts, hostKeyPlan, hostKeysFor, type AuthOutcome, type FetchedHostKey} from './raw-session.js'
import {
  P_SSH_AUTH_METHODS,
  P_SSH_HOSTKEYS,
  P_SSH_KEXINIT,
  type SshAuthMethodsData,
  type SshHostKeysData,
  type SshKexinitData,
} from './types.js'

import {SSH_EMITS, sshUnitMeta} from './meta.js'

export {SSH_EMITS}

/** Host-key connections at a time besides the first connection. */
const HOST_KEY_PARALLELISM = 3

function toError(err: unknown): ObservationError {
  if (err instanceof ProbeError) return {code: err.code, message: err.message}
  return {code: 'internal', message: (err as Error)?.message ?? String(err)}
}

/** Observation data for a grab (exported for tests). */
export function kexinitData(g: KexinitGrab): SshKexinitData {
  const id = g.identification
  const l = g.lists
  return {
    banner: id.banner,
    protocolVersion: id.protocolVersion,
    software: id.software,
    comments: id.comments,
    preBannerLines: id.preBannerLines,
    kex: l?.kex ?? [],
    hostKey: l?.hostKey ?? [],
    ciphers: l?.ciphersServerToClient ?? [],
    macs: l?.macsServerToClient ?? [],
    compression: l?.compressionServerToClient ?? [],
    ciphersClientToServer: l?.ciphersClientToServer ?? [],
    macsClientToServer: l?.macsClientToServer ?? [],
    compressionClientToServer: l?.compressionClientToServer ?? [],
    languages: l?.languagesServerToClient ?? [],
    languagesClientToServer: l?.languagesClientToServer ?? [],
    firstKexPacketFollows: l?.firstKexPacketFollows ?? false,
    sshV1Only: l === undefined,
    preBannerLineCount: id.preBannerLineCount ?? id.preBannerLines.length,
    anomalies: [...(id.anomalies ?? []), ...(l?.anomalies ?? [])],
  }
}

export function kexinitArtifacts(g: KexinitGrab): ArtifactInput[] {
  const out: ArtifactInput[] = [{kind: 'ssh-banner', encoding: 'utf8', content: g.identification.banner}]
  if (g.payload) out.push({kind: 'ssh-kexinit', encoding: 'hex', content: g.payload.toString('hex')})
  return out
}

/**
 * Fetches every planned key not already obtained, a few connections at a time; the connection of `authWith` (if any)
 * also carries the `none` request, whose outcome is returned.
 */
async function fetchOtherHostKeys(ctx: ProbeContext, plan: readonly string[], fetched: Map<string, FetchedHostKey>, authWith?: string): Promise<AuthOutcome | undefined> {
  const todo = plan.filter((a) => !fetched.has(a))
  let next = 0
  let auth: AuthOutcome | undefined
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const algorithm = todo[next++]
      const r = await fetchHostKey(ctx, algorithm, algorithm === authWith)
      fetched.set(algorithm, r.hostKey)
      auth ??= r.auth
    }
  }
  await Promise.all(Array.from({length: Math.min(HOST_KEY_PARALLELISM, todo.length)}, worker))
  return auth
}

/** The raw `none` request's result, or the ssh2 client's answer on a fresh connection when it did not succeed. */
async function authMethods(ctx: ProbeContext, outcome: AuthOutcome): Promise<ProbeEmission> {
  if (outcome.ok) return {probe: P_SSH_AUTH_METHODS, data: {...(outcome.value satisfies SshAuthMethodsData)}, collectedAt: outcome.readAt}
  const rawError = outcome.error
  if (rawError.code === 'aborted') return {probe: P_SSH_AUTH_METHODS, data: {}, error: toError(rawError), collectedAt: outcome.readAt}
  ctx.log(`ssh: none request by the raw client: ${rawError.code}: ${rawError.message}; asking with ssh2`)
  try {
    const {probeAuthMethods} = await import('./client.js')
    const value = await probeAuthMethods(ctx)
    return {probe: P_SSH_AUTH_METHODS, data: {...(value satisfies SshAuthMethodsData)}, collectedAt: ctx.now().toISOString()}
  } catch (err) {
    const e = toError(err)
    return {probe: P_SSH_AUTH_METHODS, data: {}, error: {code: e.code, message: `${e.message} (raw client: ${rawError.code}: ${rawError.message})`}, collectedAt: ctx.now().toISOString()}
  }
}

export const sshProbeUnit: ProbeUnit = {
  ...sshUnitMeta,
  async run(ctx: ProbeContext): Promise<ProbeEmission[]> {
    const started = Date.now()
    const first = firstSession(ctx)
    let grab: KexinitGrab
    try {
      grab = await first.kexinit
    } catch (err) {
      const error = toError(err)
      ctx.log(`ssh: ${error.code}: ${error.message}`)
      return SSH_EMITS.map((probe) => ({probe, data: {}, error}))
    }
    // Each observation records when its data was read (the host keys and auth methods come later).
    const kexinit: ProbeEmission = {probe: P_SSH_KEXINIT, data: {...kexinitData(grab)}, artifacts: kexinitArtifacts(grab), collectedAt: ctx.now().toISOString()}
    if (!grab.lists) {
      const error = {code: 'ssh1-only', message: `server speaks SSH protocol ${grab.identification.protocolVersion} only`}
      return [kexinit, {probe: P_SSH_HOSTKEYS, data: {}, error}, {probe: P_SSH_AUTH_METHODS, data: {}, error}]
    }
    const offered = grab.lists.hostKey
    const plan = hostKeyPlan(offered)
    const fetched = new Map<string, FetchedHostKey>()
    // The first connection obtains the key of the algorithm it negotiates. The `none` request rides on it, or on the
    // first other connection when it would hold up a third key.
    const firstAlgorithm = firstConnectionHostKey(offered)
    const others = plan.filter((a) => a !== firstAlgorithm)
    const authWith = authOnFirstConnection(offered) ? undefined : others[0]
    const [rest, otherAuth] = await Promise.all([
      first.rest.then((r) => {
        if (r.hostKey && !r.hostKey.error) fetched.set(r.hostKey.algorithm, r.hostKey)
        return r
      }),
      fetchOtherHostKeys(ctx, others, fetched, authWith),
    ])
    // The first connection's key, if it failed there, is asked for once more on its own connection.
    await fetchOtherHostKeys(ctx, plan, fetched)
    const hostKeys = hostKeysFor(offered, fetched)
    const hostKeysEmission: ProbeEmission = {
      probe: P_SSH_HOSTKEYS,
      data: {...({keys: hostKeys} satisfies SshHostKeysData)},
      artifacts: hostKeyArtifacts(plan, fetched),
      collectedAt: ctx.now().toISOString(),
    }
    if (hostKeys.length > 0 && hostKeys.every((k) => k.error)) {
      // No key at all: still an observation (each entry says why), and a log line for the operator.
      ctx.log(`ssh: no host key could be fetched (${hostKeys.map((k) => `${k.algorithm}: ${k.error}`).join('; ')})`)
    }
    const noAuth: AuthOutcome = {ok: false, error: new ProbeError('internal', 'no connection carried the none request'), readAt: ctx.now().toISOString()}
    const carried = authWith === undefined ? rest.auth : otherAuth
    const authEmission = await authMethods(ctx, carried ?? rest.auth ?? otherAuth ?? noAuth)
    const anomalies = (kexinit.data as unknown as SshKexinitData).anomalies
    if (anomalies.length) ctx.log(`ssh: read liberally: ${anomalies.join('; ')}`)
    ctx.log(`ssh: ${grab.identification.banner}; ${Date.now() - started} ms`)
    return [kexinit, hostKeysEmission, authEmission]
  },
}
