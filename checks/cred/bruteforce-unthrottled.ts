import type {Check} from '../../src/checks/types.js'
import {GROWING_DELAY_FLOOR_MS} from '../../src/probes/cred/lockout.js'
import {P_CRED_BRUTEFORCE, readBruteforce, REF} from './shared.js'

export const check: Check = {
  id: 'cred.bruteforce.unthrottled',
  title: 'Login attempts not throttled',
  family: 'cred',
  description:
    'Fails when N consecutive wrong logins (random credentials, no pause) meet neither a lockout nor a growing ' +
    'delay (slowest answer below thresholds.credentials.bruteforceMinSlowdown × the first, or less than 1.5 s ' +
    'slower than it: scheduling noise is not throttling). Without throttling, ' +
    'network brute force is practical.',
  remediation:
    'Limit unsuccessful login attempts: growing delays or a temporary lockout after a few failures, per account ' +
    'and per source, on every login interface.',
  defaultSeverity: 'medium',
  intrusive: true,
  protocols: ['ssh', 'telnet', 'http', 'https', 'mqtt', 'mqtts'],
  reads: [P_CRED_BRUTEFORCE],
  references: [REF.X1352_AUTH, REF.EN_5_1_5, REF.CR_1_11, REF.cwe(307)],
  evaluate(input) {
    const d = readBruteforce(input)
    if (!d) return {outcome: 'inconclusive', message: 'The brute-force observation is malformed.'}
    if (d.mechanism === 'none') return {outcome: 'not_applicable', message: `No login to test on this service: ${'reason' in d ? d.reason : ''}.`}
    const b = d as Exclude<typeof d, {reason: string}>
    if (b.results.accepted > 0) return {outcome: 'inconclusive', message: 'A random credential was accepted: the service accepts anything, throttling cannot be judged.'}
    if (b.lockedAt !== undefined) {
      return {outcome: 'pass', message: `The service locked out (${b.lockoutSignal}) at wrong attempt ${b.lockedAt + 1} of ${b.attempts} over ${b.mechanism}.`}
    }
    if (b.results.rejected < 2) return {outcome: 'inconclusive', message: `Only ${b.results.rejected} of ${b.attempts} wrong attempt(s) got an answer; throttling cannot be judged.`}
    const min = input.thresholds.credentials.bruteforceMinSlowdown
    const addedMs = Math.max(...b.attemptMs) - (b.attemptMs[0] ?? 0)
    if (b.slowdown >= min && addedMs >= GROWING_DELAY_FLOOR_MS) return {outcome: 'pass', message: `Answers slowed down ${b.slowdown}× over ${b.attempts} wrong attempts (${b.mechanism}).`}
    return {
      outcome: 'fail',
      message: `${b.results.rejected} consecutive wrong logins over ${b.mechanism} met no lockout and no growing delay (slowest answer ${b.slowdown}× the first, ${addedMs} ms added; throttling means ≥ ${min}× and ≥ ${GROWING_DELAY_FLOOR_MS} ms).`,
    }
  },
}
