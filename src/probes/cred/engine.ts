/**
 * The login loop for one service: negative control, then candidates in order with a delay between attempts,
 * stopping at the first success, when the device budget is spent, or at a lockout sign. Protocol-agnostic: the
 * LoginMethod does the talking. Passwords go to the method only; the evidence names credential ids.
 */
import {randomBytes} from 'node:crypto'

import {ProbeError} from '../types.js'
import type {AttemptBudget} from './budget.js'
import {lockoutSignal} from './lockout.js'
import type {AttemptRecord, CredAttemptsData, CredentialCandidate, CredentialList, LoginMethod, LoginOutcome, StopReason, Throttling} from './types.js'

export interface LoopOptions {
  delayMs: number
  budget: AttemptBudget
  lists: CredentialList[]
  now(): Date
  signal: AbortSignal
}

/** A username and password no device ships with: random, and obviously the scanner's. */
export function randomCredential(): {username: string; password: string} {
  return {username: `sg17-${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('base64url')}
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve) => {
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, {once: true})
  })
}

export async function runLoginLoop(method: LoginMethod, candidates: readonly CredentialCandidate[], o: LoopOptions): Promise<CredAttemptsData> {
  const negative = randomCredential()
  const control = await method.attempt(negative.username, negative.password)
  const base = {service: method.service, mechanism: method.mechanism, candidates: candidates.length, lists: o.lists, delayMs: o.delayMs, budget: o.budget.limit}
  if (control.result === 'error') throw new ProbeError('negative-control', `the negative control login could not be completed: ${control.reason ?? 'error'}`)
  const throttling: Throttling = {baselineMs: control.ms, attemptMs: [], maxMs: control.ms}
  const attempts: AttemptRecord[] = []
  const result = (stoppedBy: StopReason, extra: Partial<CredAttemptsData> = {}): CredAttemptsData => ({
    ...base,
    negativeControl: {result: control.result, ...(control.reason ? {reason: control.reason} : {})},
    attempts,
    stoppedBy,
    throttling,
    ...extra,
  })
  if (control.result === 'accepted') return result('accepts-anything')
  if (control.result === 'locked') {
    throttling.lockoutSignal = 'message'
    return result('lockout')
  }
  let reached = 1
  for (const candidate of candidates) {
    if (o.signal.aborted) throw new ProbeError('aborted', 'credential test aborted')
    if (!o.budget.take()) return result('budget')
    await sleep(o.delayMs, o.signal)
    const at = o.now().toISOString()
    const outcome: LoginOutcome = await method.attempt(candidate.username, candidate.password)
    attempts.push({service: method.service, credentialId: candidate.id, result: outcome.result, at, ...(outcome.reason ? {reason: outcome.reason} : {})})
    throttling.attemptMs.push(outcome.ms)
    throttling.maxMs = Math.max(throttling.maxMs, outcome.ms)
    if (outcome.result === 'accepted') {
      return result('success', {
        success: {
          credentialId: candidate.id,
          ...(candidate.secretUsername ? {} : {username: candidate.username}),
          list: candidate.lists[0]!,
          lists: candidate.lists,
        },
      })
    }
    const signal = lockoutSignal(outcome, reached, throttling.baselineMs, throttling.attemptMs)
    if (signal) {
      throttling.lockoutSignal = signal
      if (outcome.result !== 'locked' && signal !== 'growing-delay') attempts.at(-1)!.result = 'locked'
      return result('lockout')
    }
    if (outcome.result !== 'error') reached++
  }
  return result('exhausted')
}
