/**
 * The intrusive credential probe units (run only when a selected check reads them, i.e. with --intrusive or a
 * profile that allows intrusive checks):
 *  - cred.attempts: negative control + candidates from the policy's lists (see engine.ts), per service;
 *  - cred.bruteforce: N random wrong logins back to back, to see whether the service throttles.
 * Protocols: ssh, telnet, http, https. An HTTP service without a login we can drive yields mechanism `none`.
 */
import type {ProbeContext, ProbeEmission, ProbeUnit} from '../types.js'
import {DEFAULT_CREDENTIAL_THRESHOLDS} from '../../profiles/thresholds.js'
import {runBruteforce} from './bruteforce.js'
import {selectCandidates} from './dataset.js'
import {runLoginLoop} from './engine.js'
import {discoverHttpLogin, httpLoginMethod} from './http-login.js'
import {exclusive, loginContext, type LoginContext, loginPolicy} from './policy.js'
import {sshLoginMethod} from './ssh-login.js'
import {probeAuthMethods} from '../ssh/client.js'
import {telnetLoginMethod} from './telnet-login.js'
import type {LoginMethod} from './types.js'

export const P_CRED_ATTEMPTS = 'cred.attempts'
export const P_CRED_BRUTEFORCE = 'cred.bruteforce'
export const CRED_PROTOCOLS = ['ssh', 'telnet', 'http', 'https'] as const

/** Per-attempt allowance for the unit budget: connect + prompts + answer, as the login methods bound them. */
const ATTEMPT_ALLOWANCE_TIMEOUTS = 3

/** The method for this service, or why there is none. */
async function methodFor(ctx: ProbeContext): Promise<LoginMethod | {none: string}> {
  switch (ctx.service.protocol) {
    case 'ssh': {
      // A server that offers no password-based method (e.g. publickey only) has no password to guess: trying
      // one anyway would read "no lockout" into rejections that are not login failures.
      const auth = await probeAuthMethods(ctx).catch(() => undefined)
      if (auth && !auth.noneAccepted && !auth.methods.some((m) => m === 'password' || m === 'keyboard-interactive')) {
        return {none: `the SSH server offers no password-based authentication (methods: ${auth.methods.join(', ') || 'none'})`}
      }
      return sshLoginMethod(ctx)
    }
    case 'telnet':
      return telnetLoginMethod(ctx)
    default: {
      const m = await discoverHttpLogin(ctx)
      return m.kind === 'none' ? {none: m.reason} : httpLoginMethod(ctx, m)
    }
  }
}

function loginOf(ctx: ProbeContext): LoginContext {
  return ctx.login ?? loginContext(loginPolicy(DEFAULT_CREDENTIAL_THRESHOLDS))
}

export const credProbeUnit: ProbeUnit = {
  id: 'cred',
  protocols: CRED_PROTOCOLS,
  emits: [P_CRED_ATTEMPTS],
  budgetMs: ({timeoutMs, login}) => {
    const p = login?.policy ?? loginPolicy(DEFAULT_CREDENTIAL_THRESHOLDS)
    // Discovery + negative control + every candidate the device budget allows, each with its delay.
    return (p.attemptBudget + 2) * (p.delayMs + ATTEMPT_ALLOWANCE_TIMEOUTS * timeoutMs)
  },
  run(ctx): Promise<ProbeEmission[]> {
    const login = loginOf(ctx)
    // Queued synchronously: the engine starts units in one tick, so this one goes before cred-bruteforce.
    return exclusive(login, ctx.service.id, () => runAttempts(ctx, login))
  },
}

async function runAttempts(ctx: ProbeContext, login: LoginContext): Promise<ProbeEmission[]> {
  const method = await methodFor(ctx)
  if ('none' in method) {
    return [{probe: P_CRED_ATTEMPTS, data: {service: ctx.service.id, mechanism: 'none', reason: method.none, attempts: []}}]
  }
  const candidates = selectCandidates(login.policy, ctx.service.protocol, {vendor: ctx.declared?.vendor, lab: ctx.credentials?.logins})
  const data = await runLoginLoop(method, candidates, {
    delayMs: login.policy.delayMs,
    budget: login.budget,
    lists: login.policy.lists.filter((l) => l !== 'lab' || (ctx.credentials?.logins?.length ?? 0) > 0),
    now: () => ctx.now(),
    signal: ctx.signal,
  })
  return [{probe: P_CRED_ATTEMPTS, data: data as unknown as Record<string, unknown>}]
}

export const credBruteforceUnit: ProbeUnit = {
  id: 'cred-bruteforce',
  protocols: CRED_PROTOCOLS,
  emits: [P_CRED_BRUTEFORCE],
  // Its own attempts plus the wait for the service's cred.attempts run queued before it.
  budgetMs: (o) =>
    ((o.login?.policy.bruteforceAttempts ?? DEFAULT_CREDENTIAL_THRESHOLDS.bruteforceAttempts) + 2) * ATTEMPT_ALLOWANCE_TIMEOUTS * o.timeoutMs + credProbeUnit.budgetMs!(o),
  async run(ctx): Promise<ProbeEmission[]> {
    const login = loginOf(ctx)
    // Yield one macrotask so a cred.attempts unit started in the same tick queues first (the registry sorts
    // units by check id, and cred.bruteforce sorts before cred.default).
    await new Promise((resolve) => setImmediate(resolve))
    return exclusive(login, ctx.service.id, () => runBrute(ctx, login))
  },
}

async function runBrute(ctx: ProbeContext, login: LoginContext): Promise<ProbeEmission[]> {
  const method = await methodFor(ctx)
  if ('none' in method) {
    return [{probe: P_CRED_BRUTEFORCE, data: {service: ctx.service.id, mechanism: 'none', reason: method.none, attempts: 0}}]
  }
  const data = await runBruteforce(method, login.policy.bruteforceAttempts, ctx.signal)
  return [{probe: P_CRED_BRUTEFORCE, data: data as unknown as Record<string, unknown>}]
}
