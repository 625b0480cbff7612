/**
 * The ssh2 Client, kept as the fallback of the raw SSH client for the `none` authentication request (raw-auth.ts):
 * ssh2 implements ciphers and MACs the raw client does not, and gives a second, independent opinion when a raw
 * session failed. Loaded only then (it is the largest code of an SSH scan).
 */
import type {Socket} from 'node:net'

import ssh2 from 'ssh2'
import type {Algorithms, AuthHandlerMiddleware, ConnectConfig} from 'ssh2'

import {TOOL_NAME, toolVersion} from '../../evidence/version.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {closeQuietly} from './kexinit.js'
import {PROBE_USERNAME} from './raw-auth.js'
import type {SshAuthMethodsData} from './types.js'

const {Client} = ssh2

/** Everything ssh2 supports, its defaults first (the regexp form of `append` adds every supported name). */
function allAlgorithms(): Algorithms {
  const everything = {append: [/./]} as unknown
  return {kex: everything, cipher: everything, hmac: everything, compress: everything, serverHostKey: everything} as Algorithms
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

/**
 * The `none` authentication request (RFC 4252 §5.2) with the ssh2 Client over a socket from `ctx.connect()`: the
 * fallback of the raw client (raw-auth.ts) for servers whose ciphers or MACs it does not implement (chacha20-poly1305,
 * umac) and its second opinion when the raw session failed. No password or key is ever sent.
 */
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
