import {expect} from 'vitest'

/**
 * Scheduling slack for "finished within its bound" assertions. They exist to catch hangs (a probe waiting for a
 * peer that never ends), which overshoot by far more than this; a loaded CI machine running browsers and
 * daemons beside the tests can delay timers by a second or two without anything being wrong.
 */
export const LOAD_SLACK_MS = 3000

/** Asserts that `ms` stayed within `boundMs` plus scheduling slack. */
export function expectWithinBound(ms: number, boundMs: number): void {
  expect(ms, `took ${Math.round(ms)} ms, bound ${boundMs} ms (+${LOAD_SLACK_MS} ms slack)`).toBeLessThan(boundMs + LOAD_SLACK_MS)
}
