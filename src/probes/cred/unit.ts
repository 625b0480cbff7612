/**
 * The intrusive credential probe units (run only when a selected check reads them, i.e. with --intrusive or a
 * profile that allows intrusive checks):
 *  - cred.attempts: negative control + candidates from the policy's lists (see engine.ts), per service;
 *  - cred.bruteforce: N random wrong logins back to back, to see whether the service throttles.
 * Protocols: ssh, telnet, http, https, mqtt, mqtts. An HTTP service without a login we can drive, or an MQTT
 * broker that lets anyone in, yields mechanism `none`.
 */
import type {ProbeContext, ProbeEmission, ProbeUnit} from '../types.js'
import {DEFAULT_CREDENTIAL_THRESHOLDS} from '../../profiles/thresholds.js'
import {runBruteforce} from './bruteforce.js'
import {selectCandidates} from './dataset.js'
import {runLoginLoop} from './engine.js'
import {httpLoginMethod} from './http-login.js'
import {discoverHttpLogins, MAX_HTTP_LOGINS} from './http-logins.js'
import {CRAWL_DEADLINE_FACTOR} from '../http/crawl.js'
import {redactUrl} from '../http/redact.js'
import {exclusive, loginContext, type LoginContext, loginPolicy} from './policy.js'
import {sshLoginMethod} from './ssh-login.js'
import {probeAuthMethods} from '../ssh/client.js'
import {telnetLoginMethod} from './telnet-login.js'
import {type CredAttemptsData, type LoginMethod, P_CRED_ATTEMPTS, P_CRED_BRUTEFORCE} from './types.js'

import {credBruteforceUnitMeta, credUnitMeta, CRED_PROTOCOLS} from './meta.js'

export {CRED_PROTOCOLS}

/** Per-attempt allowance for the unit budget: connect + prompts + answer, as the login methods bound them. */
const ATTEMPT_ALLOWANCE_TIMEOUTS = 3

/** The login methods of this service (HTTP: every login its surface shows), or why there is none. */
async function methodsFor(ctx: ProbeContext): Promise<Array<{method: LoginMethod; path?: string}> | {none: string; offDevice?: string}> {
  switch (ctx.service.protocol) {
    case 'ssh': {
      // A server that offers no password-based method (e.g. publickey only) has no password to guess: trying
      // one anyway would read "no lockout" into rejections that are not login failures.
      const auth = await probeAuthMethods(ctx).catch(() => undefined)
      if (auth && !auth.noneAccepted && !auth.methods.some((m) => m === 'password' || m === 'keyboard-interactive')) {
        return {none: `the SSH server offers no password-based authentication (methods: ${auth.methods.join(', ') || 'none'})`}
      }
      return [{method: sshLoginMethod(ctx)}]
    }
    case 'telnet':
      return [{method: telnetLoginMethod(ctx)}]
    case 'mqtt':
    case 'mqtts': {
      // Loaded here: the mqtt client is needed only when a broker is tested.
      const found = await (await import('./mqtt-login.js')).mqttLoginMethod(ctx)
      return 'none' in found ? found : [{method: found}]
    }
    default: {
      const found = await discoverHttpLogins(ctx)
      if ('none' in found) return found
      return found.logins.map((m) => ({method: httpLoginMethod(ctx, m), path: maskedPath(m.kind === 'form' ? m.page : m.path)}))
    }
  }
}

/** A path as evidence: query values masked like every URL of the HTTP evidence. */
function maskedPath(path: string): string {
  return redactUrl(path, 'http://device.invalid').replace(/^http:\/\/device\.invalid/, '')
}

function loginOf(ctx: ProbeContext): LoginContext {
  return ctx.login ?? loginContext(loginPolicy(DEFAULT_CREDENTIAL_THRESHOLDS))
}

export const credProbeUnit: ProbeUnit = {
  ...credUnitMeta,
  budgetMs: ({timeoutMs, login}) => {
    const p = login?.policy ?? loginPolicy(DEFAULT_CREDENTIAL_THRESHOLDS)
    // Discovery (the HTTP crawl) + a negative control per login + every candidate the device budget allows,
    // each with its delay.
    return CRAWL_DEADLINE_FACTOR * timeoutMs + (p.attemptBudget + 1 + MAX_HTTP_LOGINS) * (p.delayMs + ATTEMPT_ALLOWANCE_TIMEOUTS * timeoutMs)
  },
  run(ctx): Promise<ProbeEmission[]> {
    const login = loginOf(ctx)
    // Queued synchronously: the engine starts units in one tick, so this one goes before cred-bruteforce.
    return exclusive(login, ctx.service.id, () => runAttempts(ctx, login))
  },
}

async function runAttempts(ctx: ProbeContext, login: LoginContext): Promise<ProbeEmission[]> {
  const methods = await methodsFor(ctx)
  if ('none' in methods) {
    const data = {service: ctx.service.id, mechanism: 'none', reason: methods.none, attempts: [], ...(methods.offDevice ? {offDevice: methods.offDevice} : {})}
    return [{probe: P_CRED_ATTEMPTS, data}]
  }
  const candidates = selectCandidates(login.policy, ctx.service.protocol, {vendor: ctx.declared?.vendor, lab: ctx.credentials?.logins})
  // Each login draws on the one device budget, in discovery order.
  const logins: CredAttemptsData[] = []
  for (const {method, path} of methods) {
    const data = await runLoginLoop(method, candidates, {
      delayMs: login.policy.delayMs,
      budget: login.budget,
      lists: login.policy.lists.filter((l) => l !== 'lab' || (ctx.credentials?.logins?.length ?? 0) > 0),
      now: () => ctx.now(),
      signal: ctx.signal,
    })
    logins.push(path === undefined ? data : {...data, path})
  }
  const data: CredAttemptsData = logins.length > 1 ? {...logins[0]!, logins} : logins[0]!
  return [{probe: P_CRED_ATTEMPTS, data: data as unknown as Record<string, unknown>}]
}

export const credBruteforceUnit: ProbeUnit = {
  ...credBruteforceUnitMeta,
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
  const methods = await methodsFor(ctx)
  if ('none' in methods) {
    return [{probe: P_CRED_BRUTEFORCE, data: {service: ctx.service.id, mechanism: 'none', reason: methods.none, attempts: 0}}]
  }
  // Throttling is judged on the first login (the one `/` leads to).
  const data = await runBruteforce(methods[0]!.method, login.policy.bruteforceAttempts, ctx.signal)
  return [{probe: P_CRED_BRUTEFORCE, data: data as unknown as Record<string, unknown>}]
}
