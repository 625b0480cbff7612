/**
 * The two probes that need a key exchange, done with the ssh2 Client over a socket from `ctx.connect()`:
 *  - host-key retrieval: the client is restricted to one host-key algorithm; the key arrives in
 *    `hostVerifier`, which answers false, so the connection ends right after the key exchange;
 *  - authentication methods: one `none` request (RFC 4252 §5.2); the server's failure message lists the
 *    methods that can continue. No password or key is ever sent.
 */
import type {Socket} from 'node:net'

import ssh2 from 'ssh2'
import type {Algorithms, AuthHandlerMiddleware, ConnectConfig} from 'ssh2'

import {TOOL_NAME, toolVersion} from '../../evidence/version.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {closeQuietly} from './kexinit.js'
import {describePublicKey} from './parse.js'
import type {SshAuthMethodsData, SshHostKeyInfo} from './types.js'

const {Client} = ssh2

/** Host-key algorithms the ssh2 1.17 client can negotiate (its SUPPORTED_SERVER_HOST_KEY; a unit test keeps
 *  this in step with the installed ssh2). */
export const SSH2_HOST_KEY_ALGORITHMS: readonly string[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
  'ssh-dss',
]

/** Host-key algorithms that sign with the same RSA key: fetched once, reported for each. */
export const RSA_HOST_KEY_ALGORITHMS: readonly string[] = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']

/** User name of the `none` request: a fixed, obviously-a-scanner name, never a guess at a real account. */
export const PROBE_USERNAME = 'sg17scan-probe'

/** Everything ssh2 supports, its defaults first (the regexp form of `append` adds every supported name). */
function allAlgorithms(serverHostKey?: string): Algorithms {
  const everything = {append: [/./]} as unknown
  const algorithms: Record<string, unknown> = {kex: everything, cipher: everything, hmac: everything, compress: everything}
  algorithms.serverHostKey = serverHostKey === undefined ? everything : [serverHostKey]
  return algorithms as Algorithms
}

function baseConfig(ctx: ProbeContext, sock: Socket): ConnectConfig {
  return {
    sock,
    username: PROBE_USERNAME,
    readyTimeout: ctx.timeoutMs * 2,
    ident: `${TOOL_NAME}_${toolVersion().replace(/[^0-9A-Za-z.]/g, '_')}`,
    // ssh2 otherwise tries keyboard-interactive / agent depending on config; we set authHandler explicitly.
    tryKeyboard: false,
  }
}

/** Maps an ssh2 error to an observation error code. */
export function classifySsh2Error(err: Error & {level?: string; code?: string}): ProbeError {
  if (err instanceof ProbeError) return err
  const msg = err.message || String(err)
  if (err.level === 'client-timeout' || /timed out/i.test(msg)) return new ProbeError('timeout', msg)
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return new ProbeError('reset', msg)
  if (/no matching|handshake failed/i.test(msg)) return new ProbeError('no-common-algorithm', msg)
  if (/Connection lost before handshake/i.test(msg)) return new ProbeError('closed', msg)
  if (err.level === 'protocol' || err.level === 'handshake') return new ProbeError('handshake-failed', msg)
  return new ProbeError('ssh-error', msg)
}

/**
 * Runs one ssh2 Client session on a ctx socket until `settle` is called (or timeout/abort/close), then tears
 * the socket down. `start` configures the client and calls connect.
 */
async function withClient<T>(
  ctx: ProbeContext,
  start: (client: InstanceType<typeof Client>, sock: Socket, settle: (v: T) => void, fail: (e: ProbeError) => void) => void,
): Promise<T> {
  if (ctx.signal.aborted) throw new ProbeError('aborted', 'probe aborted')
  const sock = await ctx.connect()
  const client = new Client()
  return new Promise<T>((resolve, reject) => {
    let done = false
    const finish = (): void => {
      done = true
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      client.removeAllListeners()
      client.on('error', () => {})
      try {
        client.end()
      } catch {
        // already closed
      }
      closeQuietly(sock)
    }
    const settle = (v: T): void => {
      if (done) return
      finish()
      resolve(v)
    }
    const fail = (e: ProbeError): void => {
      if (done) return
      finish()
      reject(e)
    }
    const onAbort = (): void => fail(new ProbeError('aborted', 'probe aborted'))
    ctx.signal.addEventListener('abort', onAbort, {once: true})
    // ssh2's readyTimeout covers the handshake; this covers everything including authentication.
    const timer = setTimeout(
      () => fail(new ProbeError('timeout', `SSH session did not finish within ${ctx.timeoutMs * 3} ms`)),
      ctx.timeoutMs * 3,
    )
    client.on('error', (err: Error) => fail(classifySsh2Error(err)))
    client.on('close', () => fail(new ProbeError('closed', 'connection closed by peer before the probe finished')))
    try {
      start(client, sock, settle, fail)
    } catch (err) {
      fail(classifySsh2Error(err as Error))
    }
  })
}

/** Fetches the host key the server uses for one host-key algorithm. */
export async function fetchHostKey(ctx: ProbeContext, algorithm: string): Promise<SshHostKeyInfo> {
  if (!SSH2_HOST_KEY_ALGORITHMS.includes(algorithm)) return {algorithm, error: 'not supported by the client'}
  try {
    return await withClient<SshHostKeyInfo>(ctx, (client, sock, settle, fail) => {
      client.connect({
        ...baseConfig(ctx, sock),
        algorithms: allAlgorithms(algorithm),
        hostVerifier: (key: Buffer) => {
          try {
            settle({algorithm, ...describePublicKey(key)})
          } catch (err) {
            fail(err instanceof ProbeError ? err : new ProbeError('malformed-key', (err as Error).message))
          }
          return false
        },
      })
    })
  } catch (err) {
    const e = err instanceof ProbeError ? err : classifySsh2Error(err as Error)
    if (e.code === 'aborted') throw e
    return {algorithm, error: `${e.code}: ${e.message}`}
  }
}

/**
 * Fetches the keys for every offered host-key algorithm (RSA once for rsa-sha2-512/256 and ssh-rsa), in offer
 * order. At most `parallel` sessions at a time (ctx.connect enforces the device cap anyway).
 */
export async function fetchHostKeys(ctx: ProbeContext, offered: readonly string[], parallel = 2): Promise<SshHostKeyInfo[]> {
  const unique = [...new Set(offered)]
  const rsaOffered = unique.filter((a) => RSA_HOST_KEY_ALGORITHMS.includes(a))
  // One fetch per distinct key: RSA through the strongest offered RSA signature algorithm.
  const plan: string[] = []
  for (const alg of unique) {
    if (RSA_HOST_KEY_ALGORITHMS.includes(alg)) {
      const rep = RSA_HOST_KEY_ALGORITHMS.find((a) => rsaOffered.includes(a)) as string
      if (!plan.includes(rep)) plan.push(rep)
    } else if (SSH2_HOST_KEY_ALGORITHMS.includes(alg)) {
      plan.push(alg)
    }
  }
  let next = 0
  const results = new Map<string, SshHostKeyInfo>()
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const alg = plan[next++]
      results.set(alg, await fetchHostKey(ctx, alg))
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(parallel, plan.length))}, worker))
  return unique.map((alg): SshHostKeyInfo => {
    if (RSA_HOST_KEY_ALGORITHMS.includes(alg)) {
      const rep = RSA_HOST_KEY_ALGORITHMS.find((a) => rsaOffered.includes(a)) as string
      const r = results.get(rep)
      return r ? {...r, algorithm: alg} : {algorithm: alg, error: 'not fetched'}
    }
    if (!SSH2_HOST_KEY_ALGORITHMS.includes(alg)) return {algorithm: alg, error: 'not supported by the client'}
    return results.get(alg) ?? {algorithm: alg, error: 'not fetched'}
  })
}

/** One `none` authentication request; returns the methods that can continue. */
export async function probeAuthMethods(ctx: ProbeContext): Promise<SshAuthMethodsData> {
  return withClient<SshAuthMethodsData>(ctx, (client, sock, settle) => {
    client.on('ready', () => settle({methods: [], noneAccepted: true, username: PROBE_USERNAME}))
    // ssh2 calls the handler first with null (nothing known yet), then with the failure message's list.
    const authHandler: AuthHandlerMiddleware = (methodsLeft, _partial, next) => {
      const left = methodsLeft as string[] | null
      if (left === null || left === undefined) {
        next({type: 'none', username: PROBE_USERNAME})
        return
      }
      settle({methods: [...left], noneAccepted: false, username: PROBE_USERNAME})
    }
    client.connect({
      ...baseConfig(ctx, sock),
      algorithms: allAlgorithms(),
      hostVerifier: () => true,
      authHandler,
    })
  })
}
