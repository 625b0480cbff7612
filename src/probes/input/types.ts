/** Malformed-input robustness of an HTTP service (evidence `http.malformed-input`, intrusive). */
export const P_HTTP_MALFORMED_INPUT = 'http.malformed-input'

/** What one request got: the status of the first response line, a close without answer, or no answer in time. */
export interface MalformedAnswer {
  /** HTTP status code of the answer, when one came. */
  status?: number
  /** First response line (≤ 120 printable chars). */
  line?: string
  /** The service closed (or reset) the connection without an HTTP answer. */
  closed?: boolean
  /** No answer and no close within the timeout. */
  timedOut?: boolean
  /** The connection could not be made (refused, TLS failure …). */
  error?: string
}

export interface MalformedCase extends MalformedAnswer {
  /** Which malformed request (see MALFORMED_REQUESTS). */
  id: string
  /** What it sends, in words. */
  sends: string
}

export interface MalformedInputData {
  /** A well-formed GET / before the malformed requests and after them: the service must still answer. */
  before: MalformedAnswer
  after?: MalformedAnswer
  cases: MalformedCase[]
}
