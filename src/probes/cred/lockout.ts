/** Recognising a lockout: the service tells us, refuses us, or answers ever more slowly. Pure. */
import type {Throttling} from './types.js'

/** "Account locked", "too many attempts/failures", "temporarily blocked", "try again later" … */
const LOCKOUT_TEXT = /\b(?:locked|lockout|too many|temporarily (?:blocked|disabled)|try again later|blocked for)\b/i

export function isLockoutMessage(text: string): boolean {
  return LOCKOUT_TEXT.test(text)
}

/** Response time at which a growing delay is judged deliberate rather than noise. */
export const GROWING_DELAY_FLOOR_MS = 1500

/**
 * Growing delays: the last three attempts each slower than the one before and the latest at least
 * 3 × the negative control plus GROWING_DELAY_FLOOR_MS — well above scheduling noise on a loaded machine.
 */
export function isGrowingDelay(baselineMs: number, attemptMs: readonly number[]): boolean {
  if (attemptMs.length < 3) return false
  const [a, b, c] = attemptMs.slice(-3) as [number, number, number]
  return a < b && b < c && c >= 3 * baselineMs + GROWING_DELAY_FLOOR_MS
}

/** The lockout signal after an attempt, if any. `refused` counts only once an earlier attempt got through. */
export function lockoutSignal(
  outcome: {result: string; refused?: boolean; reason?: string},
  priorReached: number,
  baselineMs: number,
  attemptMs: readonly number[],
): Throttling['lockoutSignal'] | undefined {
  if (outcome.result === 'locked') return 'message'
  if (outcome.refused && priorReached > 0) return 'refused'
  if (isGrowingDelay(baselineMs, attemptMs)) return 'growing-delay'
  return undefined
}
