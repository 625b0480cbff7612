/** The login policy a scan uses: profile thresholds, overridden by the command line (--login-delay). */
import type {CredentialThresholds} from '../../profiles/thresholds.js'
import {AttemptBudget} from './budget.js'
import type {LoginPolicy} from './types.js'

export interface LoginContext {
  policy: LoginPolicy
  /** Shared by every service of one device. */
  budget: AttemptBudget
  /** Login work per service, one unit at a time (so the brute-force test cannot lock out the default test). */
  queues: Map<string, Promise<unknown>>
}

/** Runs `fn` after every earlier login unit of the same service has finished. */
export function exclusive<T>(login: LoginContext, serviceId: string, fn: () => Promise<T>): Promise<T> {
  const previous = login.queues.get(serviceId) ?? Promise.resolve()
  const next = previous.catch(() => {}).then(fn)
  login.queues.set(serviceId, next)
  return next
}

export function loginPolicy(t: CredentialThresholds, overrides: {delayMs?: number} = {}): LoginPolicy {
  return {
    lists: [...t.lists],
    maxPerList: t.maxPerList,
    attemptBudget: t.attemptBudget,
    delayMs: overrides.delayMs ?? t.loginDelayMs,
    bruteforceAttempts: t.bruteforceAttempts,
  }
}

export function loginContext(policy: LoginPolicy): LoginContext {
  return {policy, budget: new AttemptBudget(policy.attemptBudget), queues: new Map()}
}
