/** The login policy a scan uses: profile thresholds, overridden by the command line (--login-delay). */
import type {CredentialThresholds} from '../../profiles/thresholds.js'
import {AttemptBudget} from './budget.js'
import type {LoginPolicy} from './types.js'

export interface LoginContext {
  policy: LoginPolicy
  /** Shared by every service of one device. */
  budget: AttemptBudget
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
  return {policy, budget: new AttemptBudget(policy.attemptBudget)}
}
