/**
 * The throttling test (cred.bruteforce): N logins with random wrong credentials, back to back (no delay of
 * ours), recording each response time and whether the service ever refused, slowed down or said "locked".
 */
import {ProbeError} from '../types.js'
import {randomCredential} from './engine.js'
import {isGrowingDelay, lockoutSignal} from './lockout.js'
import type {AttemptResult, BruteforceData, LoginMethod} from './types.js'

export async function runBruteforce(method: LoginMethod, attempts: number, signal: AbortSignal): Promise<BruteforceData> {
  const results: Record<AttemptResult, number> = {rejected: 0, accepted: 0, error: 0, locked: 0}
  const attemptMs: number[] = []
  let lockedAt: number | undefined
  let lockout: BruteforceData['lockoutSignal']
  let reached = 0
  for (let i = 0; i < attempts; i++) {
    if (signal.aborted) throw new ProbeError('aborted', 'brute-force test aborted')
    const wrong = randomCredential()
    const outcome = await method.attempt(wrong.username, wrong.password)
    results[outcome.result]++
    attemptMs.push(outcome.ms)
    const first = attemptMs[0]!
    const s = lockoutSignal(outcome, reached, first, attemptMs)
    if (s) {
      lockedAt = i
      lockout = s
      break
    }
    if (outcome.result !== 'error') reached++
  }
  const first = Math.max(1, attemptMs[0] ?? 1)
  return {
    service: method.service,
    mechanism: method.mechanism,
    attempts: attemptMs.length,
    results,
    attemptMs,
    ...(lockedAt !== undefined ? {lockedAt, lockoutSignal: lockout} : {}),
    slowdown: Math.round((Math.max(...attemptMs, 0) / first) * 100) / 100,
  }
}

export {isGrowingDelay}
