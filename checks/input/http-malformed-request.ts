import type {Check} from '../../src/checks/types.js'
import {cr, cwe, en, itu} from '../../src/checks/references.js'
import {type MalformedAnswer, type MalformedCase, type MalformedInputData, P_HTTP_MALFORMED_INPUT} from '../../src/probes/input/types.js'

/** 5xx answers a malformed request may legitimately get: 501 (method not implemented), 505 (version not supported). */
const REJECTIONS_5XX = new Set([501, 505])

const describe = (a: MalformedAnswer): string =>
  a.status !== undefined ? `HTTP ${a.status}` : a.closed ? 'closed without an answer' : a.timedOut ? 'no answer in time' : `no connection (${a.error ?? 'unknown'})`

export const check: Check = {
  id: 'input.http.malformed-request',
  title: 'HTTP service mishandles malformed requests',
  family: 'input',
  description:
    'Sends a well-formed GET /, six malformed requests (invalid percent-encoding, an 8 KiB path, an invalid method, ' +
    'a header line without a colon, Content-Length: -1, HTTP/9.9), each on its own connection, then GET / again. ' +
    'Fails when a malformed request gets a server error (5xx other than 501/505) or the service no longer answers ' +
    'afterwards: input it did not validate. Passes when the service stayed up and rejected malformed input (4xx, ' +
    '501/505 or a close) without any server error. Intrusive: it sends input the device must reject. It tests one ' +
    'interface with a handful of inputs: a pass is no proof that every input is validated.',
  remediation: 'Validate every request before acting on it: reject malformed requests with 400/414/501/505 and never let parsing errors reach an unhandled exception.',
  defaultSeverity: 'medium',
  intrusive: true,
  protocols: ['http', 'https'],
  reads: [P_HTTP_MALFORMED_INPUT],
  references: [en('5.13-1'), itu('X.1352', '§8.4'), cr('CR 3.5'), cwe(20)],
  evaluate(input) {
    const d = input.observations[P_HTTP_MALFORMED_INPUT]?.data as Partial<MalformedInputData> | undefined
    if (!d || !Array.isArray(d.cases) || !d.before) return {outcome: 'inconclusive', message: 'The malformed-input observation holds no answers.'}
    const cases = d.cases as MalformedCase[]
    const serverErrors = cases.filter((c) => c.status !== undefined && c.status >= 500 && !REJECTIONS_5XX.has(c.status))
    // `after` absent: the probe stopped before asking again (cut short), which says nothing about the service.
    const stopped = d.after !== undefined && d.after.status === undefined
    const problems = [
      ...serverErrors.map((c) => `${c.sends}: ${c.line ?? `HTTP ${c.status}`}`),
      ...(stopped ? [`a well-formed GET / after them got ${describe(d.after!)} (it answered HTTP ${d.before.status} before)`] : []),
    ]
    if (problems.length > 0) return {outcome: 'fail', message: `Malformed input not handled: ${problems.join('; ')}.`}
    if (d.after === undefined) return {outcome: 'inconclusive', message: `The probe stopped before checking that the service still answers (${cases.length} malformed request(s) sent).`}
    const rejected = cases.filter((c) => (c.status !== undefined && (c.status < 500 ? c.status >= 400 : REJECTIONS_5XX.has(c.status))) || c.closed)
    const summary = cases.map((c) => `${c.id}: ${describe(c)}`).join(', ')
    if (rejected.length === 0) return {outcome: 'inconclusive', message: `No malformed request was rejected and none caused a server error (${summary}): no sign of input validation either way.`}
    return {outcome: 'pass', message: `The service stayed up and rejected ${rejected.length} of ${cases.length} malformed requests without a server error (${summary}).`}
  },
}
