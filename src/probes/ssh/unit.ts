/**
 * The SSH probe unit: a non-intrusive configuration audit.
 *  1. raw connection: identification + SSH_MSG_KEXINIT           → ssh.kexinit
 *  2. one ssh2 session per distinct offered host key (stopped after the key exchange) → ssh.hostkeys
 *  3. one ssh2 session with a single `none` authentication request → ssh.auth-methods
 * Target misbehaviour never throws: each emission then carries `error`.
 */
import type {ObservationError} from '../../evidence/types.js'
import {ProbeError, type ArtifactInput, type ProbeContext, type ProbeEmission, type ProbeUnit} from '../types.js'
import {grabKexinit, type KexinitGrab} from './kexinit.js'
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
  if (g.packet) out.push({kind: 'ssh-kexinit', encoding: 'hex', content: g.packet.payload.toString('hex')})
  return out
}

export const sshProbeUnit: ProbeUnit = {
  ...sshUnitMeta,
  async run(ctx: ProbeContext): Promise<ProbeEmission[]> {
    const started = Date.now()
    // The ssh2 client (ssh2 and its dependencies, the biggest code of an SSH scan) loads while the first
    // connection waits for the server's identification and KEXINIT, not before it.
    const clientLoad = import('./client.js')
    clientLoad.catch(() => undefined) // awaited below; never an unhandled rejection when the grab fails first
    let grab: KexinitGrab
    try {
      grab = await grabKexinit(ctx)
    } catch (err) {
      const error = toError(err)
      ctx.log(`ssh: ${error.code}: ${error.message}`)
      return SSH_EMITS.map((probe) => ({probe, data: {}, error}))
    }
    // Each observation records when its data was read (the host keys and auth methods come later, on other connections).
    const kexinit: ProbeEmission = {probe: P_SSH_KEXINIT, data: {...kexinitData(grab)}, artifacts: kexinitArtifacts(grab), collectedAt: ctx.now().toISOString()}
    if (!grab.lists) {
      const error = {code: 'ssh1-only', message: `server speaks SSH protocol ${grab.identification.protocolVersion} only`}
      return [kexinit, {probe: P_SSH_HOSTKEYS, data: {}, error}, {probe: P_SSH_AUTH_METHODS, data: {}, error}]
    }

    const {fetchHostKeys, probeAuthMethods} = await clientLoad
    const readAt: {hostKeys?: string; auth?: string} = {}
    const [hostKeys, auth] = await Promise.allSettled([
      fetchHostKeys(ctx, grab.lists.hostKey).finally(() => (readAt.hostKeys = ctx.now().toISOString())),
      probeAuthMethods(ctx).finally(() => (readAt.auth = ctx.now().toISOString())),
    ])
    const hostKeysEmission: ProbeEmission =
      hostKeys.status === 'fulfilled'
        ? {probe: P_SSH_HOSTKEYS, data: {...({keys: hostKeys.value} satisfies SshHostKeysData)}}
        : {probe: P_SSH_HOSTKEYS, data: {}, error: toError(hostKeys.reason)}
    if (hostKeys.status === 'fulfilled' && hostKeys.value.length > 0 && hostKeys.value.every((k) => k.error)) {
      // No key at all: still an observation (each entry says why), and a log line for the operator.
      ctx.log(`ssh: no host key could be fetched (${hostKeys.value.map((k) => `${k.algorithm}: ${k.error}`).join('; ')})`)
    }
    const authEmission: ProbeEmission =
      auth.status === 'fulfilled'
        ? {probe: P_SSH_AUTH_METHODS, data: {...(auth.value satisfies SshAuthMethodsData)}}
        : {probe: P_SSH_AUTH_METHODS, data: {}, error: toError(auth.reason)}
    const anomalies = (kexinit.data as unknown as SshKexinitData).anomalies
    if (anomalies.length) ctx.log(`ssh: read liberally: ${anomalies.join('; ')}`)
    ctx.log(`ssh: ${grab.identification.banner}; ${Date.now() - started} ms`)
    return [kexinit, {...hostKeysEmission, collectedAt: readAt.hostKeys}, {...authEmission, collectedAt: readAt.auth}]
  },
}
