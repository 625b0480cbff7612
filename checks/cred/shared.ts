/**
 * Helpers shared by the credential checks (family "cred"): a defensive reader of `cred.attempts` /
 * `cred.bruteforce` and the reference constants (standards-mapping.md §3 rows cred.*; X.1352 cited at clause
 * level §8.1 only, no [U] clause). Pure. Messages name credential ids and dataset usernames, never passwords.
 */
import type {Check, CheckInput, CheckResult} from '../../src/checks/types.js'
import type {ServiceProtocol} from '../../src/evidence/types.js'
import {P_CRED_ATTEMPTS, P_CRED_BRUTEFORCE} from '../../src/probes/cred/types.js'
import {type BruteforceData, type CredAttemptsData, type CredentialList, DEFAULT_LISTS} from '../../src/probes/cred/types.js'
import {cr, cwe, en, itu} from '../../src/checks/references.js'

export {P_CRED_ATTEMPTS, P_CRED_BRUTEFORCE}


export const REF = {
  X805_AUTH: itu('X.805', '§6.2'),
  X805_MGMT: itu('X.805', '§8.1'),
  X1352_AUTH: itu('X.1352', '§8.1'),
  X1214_PASSWORD: itu('X.1214', 'App. II.1'),
  EN_5_1_1: en('5.1-1'),
  EN_5_1_2: en('5.1-2'),
  EN_5_1_5: en('5.1-5'),
  CR_1_1: cr('CR 1.1'),
  CR_1_5: cr('CR 1.5'),
  CR_1_7: cr('CR 1.7'),
  CR_1_11: cr('CR 1.11'),
  cwe,
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export type AttemptsView = {mechanism: 'none'; reason: string; offDevice?: string} | (CredAttemptsData & {mechanism: string})

function readOne(d: unknown): AttemptsView | undefined {
  if (!isRecord(d) || typeof d.mechanism !== 'string') return undefined
  if (d.mechanism === 'none') {
    return {mechanism: 'none', reason: typeof d.reason === 'string' ? d.reason : 'no login found', ...(typeof d.offDevice === 'string' ? {offDevice: d.offDevice} : {})}
  }
  if (!Array.isArray(d.attempts) || typeof d.stoppedBy !== 'string' || !isRecord(d.negativeControl)) return undefined
  return d as unknown as CredAttemptsData
}

/** `cred.attempts` data (the service's first login), or undefined when malformed. */
export function readAttempts(input: CheckInput): AttemptsView | undefined {
  return readOne(input.observations[P_CRED_ATTEMPTS]?.data)
}

/** Every tested login of the service (`logins` when it had several), or undefined when malformed. */
export function readLogins(input: CheckInput): AttemptsView[] | undefined {
  const d = input.observations[P_CRED_ATTEMPTS]?.data
  const top = readOne(d)
  if (!top || top.mechanism === 'none' || !isRecord(d) || !Array.isArray(d.logins)) return top ? [top] : undefined
  const all = d.logins.map(readOne)
  return all.every((a): a is AttemptsView => a !== undefined && a.mechanism !== 'none') ? all : undefined
}

/** "http-form at /login" — a login's mechanism and, when known, where it is. */
export function loginLabel(a: CredAttemptsData): string {
  return a.path ? `${a.mechanism} at ${a.path}` : a.mechanism
}

/**
 * One result over every login of a service: a fail on any login fails (naming it), else any inconclusive login
 * makes it inconclusive, else it passes; `mechanism: none` is not applicable — unless `/` left the device, when
 * nothing could be examined (inconclusive).
 */
export function overLogins(input: CheckInput, judgeOne: (a: CredAttemptsData) => CheckResult): CheckResult {
  const logins = readLogins(input)
  if (!logins) return {outcome: 'inconclusive', message: 'The credential observation is malformed.'}
  const first = logins[0]!
  if (first.mechanism === 'none') {
    const none = first as {reason: string; offDevice?: string}
    if (none.offDevice) return {outcome: 'inconclusive', message: `No login could be examined: ${none.reason}.`}
    return {outcome: 'not_applicable', message: `No login to test on this service: ${none.reason}.`}
  }
  const results = (logins as CredAttemptsData[]).map((a) => ({a, r: judgeOne(a)}))
  if (results.length === 1) return results[0]!.r
  const label = ({a, r}: {a: CredAttemptsData; r: CheckResult}) => `${loginLabel(a)}: ${r.message}`
  for (const outcome of ['fail', 'inconclusive'] as const) {
    const hit = results.filter((x) => x.r.outcome === outcome)
    if (hit.length) return {outcome, message: `${hit.length} of ${results.length} logins — ${hit.map(label).join(' | ')}`}
  }
  return {outcome: 'pass', message: `All ${results.length} logins — ${results.map(label).join(' | ')}`}
}

export function readBruteforce(input: CheckInput): BruteforceData | {mechanism: 'none'; reason: string} | undefined {
  const d = input.observations[P_CRED_BRUTEFORCE]?.data
  if (!isRecord(d) || typeof d.mechanism !== 'string') return undefined
  if (d.mechanism === 'none') return {mechanism: 'none', reason: typeof d.reason === 'string' ? d.reason : 'no login found'}
  if (!Array.isArray(d.attemptMs) || !isRecord(d.results)) return undefined
  return d as unknown as BruteforceData
}

/**
 * The common judgement of "does a credential from `lists` work here": fail on a proven success from one of
 * them, inconclusive when the service accepts anything / locked out / nothing was tried, pass otherwise.
 */
export function judgeCredentialLists(input: CheckInput, lists: readonly CredentialList[], what: string): CheckResult {
  return overLogins(input, (a) => judgeLogin(a, lists, what))
}

function judgeLogin(a: CredAttemptsData, lists: readonly CredentialList[], what: string): CheckResult {
  const tried = a.attempts.length
  if (a.stoppedBy === 'accepts-anything') {
    return {
      outcome: 'inconclusive',
      message: `The service accepted a random username and password (negative control, ${a.mechanism}): it accepts anything, so no default-credential finding can be made. Review its authentication by hand.`,
    }
  }
  if (a.success) {
    const hit = a.success.lists.filter((l) => lists.includes(l))
    const who = a.success.username !== undefined ? ` (username ${JSON.stringify(a.success.username)})` : ''
    if (hit.length > 0) {
      return {
        outcome: 'fail',
        message: `Login succeeded over ${a.mechanism} with ${what} ${a.success.credentialId}${who} from list ${hit.join(', ')} after ${tried} attempt(s); the negative control was rejected.`,
      }
    }
    return {outcome: 'pass', message: `A credential worked (${a.success.credentialId}, list ${a.success.lists.join(', ')}), but it is not ${what}; see the other cred.* findings.`}
  }
  if (a.stoppedBy === 'lockout') {
    return {
      outcome: 'inconclusive',
      message: `The service locked out (${a.throttling?.lockoutSignal ?? 'signal'}) after ${tried} attempt(s) over ${a.mechanism}; the remaining candidates were not tried.`,
    }
  }
  if (tried === 0) {
    return {outcome: 'inconclusive', message: `No candidate was tried (${a.stoppedBy === 'budget' ? 'the device attempt budget was spent on its other services' : 'no candidate for this protocol in the selected lists'}).`}
  }
  const errors = a.attempts.filter((x) => x.result === 'error').length
  if (errors === tried) return {outcome: 'inconclusive', message: `All ${tried} attempt(s) over ${a.mechanism} ended in errors; nothing was proven.`}
  const scope = a.stoppedBy === 'budget' ? ` (the device budget of ${a.budget} attempts ended the list)` : ''
  return {
    outcome: 'pass',
    message: `None of ${tried} candidate credential(s) from ${a.lists.join(', ')} worked over ${a.mechanism}${scope}${errors ? `; ${errors} attempt(s) errored` : ''}.`,
  }
}

/** cred.default.<protocol>: the same judgement on each login protocol (one check per protocol, so a profile can
 *  pick them apart and findings name the protocol). */
export function defaultCredentialCheck(id: string, protocols: readonly ServiceProtocol[], surface: string): Check {
  return {
    id,
    title: `Default credentials accepted on ${surface}`,
    family: 'cred',
    description:
      'Fails when a vendor or well-known default username/password (SecLists vendor defaults, better-default ' +
      `lists, the Mirai list) logs in on the ${surface}, proven by a completed login after a random negative control was ` +
      'rejected. Default credentials are the first thing automated attacks try.',
    remediation:
      'Ship without a usable default password: a unique per-device password or one the user must set at first use, ' +
      'and remove factory accounts from the shipped configuration.',
    defaultSeverity: 'critical',
    intrusive: true,
    protocols,
    reads: [P_CRED_ATTEMPTS],
    references: [REF.X805_AUTH, REF.X805_MGMT, REF.X1352_AUTH, REF.X1214_PASSWORD, REF.EN_5_1_1, REF.CR_1_5, REF.CR_1_1, REF.cwe(1392), REF.cwe(1393)],
    evaluate(input) {
      return judgeCredentialLists(input, DEFAULT_LISTS, 'default credential')
    },
  }
}
