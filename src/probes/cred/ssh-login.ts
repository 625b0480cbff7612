/**
 * SSH login attempts with the ssh2 Client over a socket from ctx.connect(). Success is proven by the server's
 * USERAUTH_SUCCESS (ssh2 'ready'); `password` is tried first, then `keyboard-interactive` answering every
 * prompt with the password (devices that only offer keyboard-interactive). One connection per attempt.
 */
import ssh2 from 'ssh2'
import type {AuthHandlerMiddleware, ConnectConfig} from 'ssh2'

import {TOOL_NAME, toolVersion} from '../../evidence/version.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {isLockoutMessage} from './lockout.js'
import type {LoginMethod, LoginOutcome} from './types.js'

const {Client} = ssh2

export function sshLoginMethod(ctx: ProbeContext): LoginMethod {
  return {service: ctx.service.id, mechanism: 'ssh-password', attempt: (u, p) => sshAttempt(ctx, u, p)}
}

async function sshAttempt(ctx: ProbeContext, username: string, password: string): Promise<LoginOutcome> {
  const started = performance.now()
  const ms = () => Math.round(performance.now() - started)
  let sock
  try {
    sock = await ctx.connect()
  } catch (error) {
    const code = error instanceof ProbeError ? error.code : 'connect'
    return {result: 'error', ms: ms(), reason: `connect: ${code}`, refused: code === 'refused' || code === 'reset'}
  }
  return new Promise<LoginOutcome>((resolve) => {
    const client = new Client()
    let banner = ''
    let settled = false
    const done = (o: Omit<LoginOutcome, 'ms'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      client.removeAllListeners()
      client.on('error', () => {})
      client.end()
      sock.destroy()
      resolve({...o, ms: ms()})
    }
    const timer = setTimeout(() => done({result: 'error', reason: 'timeout'}), ctx.timeoutMs * 3)
    const onAbort = () => done({result: 'error', reason: 'aborted'})
    ctx.signal.addEventListener('abort', onAbort, {once: true})
    let methods: string[] = ['password', 'keyboard-interactive']
    const authHandler: AuthHandlerMiddleware = (available, partial, next) => {
      // The first call (available === null) starts with password; later calls walk what the server still allows.
      if (available) methods = methods.filter((m) => (available as string[]).includes(m))
      const method = methods.shift()
      if (!method) return next(false as never)
      if (method === 'password') return next({type: 'password', username, password})
      return next({type: 'keyboard-interactive', username, prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => password))})
    }
    const config: ConnectConfig = {
      sock,
      username,
      readyTimeout: ctx.timeoutMs * 2,
      ident: `${TOOL_NAME}_${toolVersion().replace(/[^0-9A-Za-z.]/g, '_')}`,
      authHandler,
      algorithms: {kex: {append: [/./]}, cipher: {append: [/./]}, hmac: {append: [/./]}, serverHostKey: {append: [/./]}} as unknown as ConnectConfig['algorithms'],
    }
    client.on('banner', (text: string) => {
      banner += text.slice(0, 1024)
    })
    client.on('ready', () => done({result: 'accepted'}))
    client.on('error', (err: Error & {level?: string}) => {
      if (err.level === 'client-authentication') {
        done(isLockoutMessage(banner) ? {result: 'locked', reason: 'server message names a lockout'} : {result: 'rejected'})
      } else if (/timed out/i.test(err.message)) done({result: 'error', reason: 'timeout'})
      else if (/before handshake|ECONNRESET/i.test(err.message)) done({result: 'error', reason: 'closed before handshake', refused: true})
      else done({result: 'error', reason: `ssh: ${err.message.slice(0, 120)}`})
    })
    client.on('close', () => done({result: 'error', reason: 'closed', refused: true}))
    try {
      client.connect(config)
    } catch (error) {
      done({result: 'error', reason: `ssh: ${(error as Error).message.slice(0, 120)}`})
    }
  })
}
