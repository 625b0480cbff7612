/** Personal-data detection on device responses (issue #5): the public types shared with the HTTP crawler. */

export type PiiType = 'email' | 'phone' | 'imei' | 'mac' | 'gps' | 'person-name'

export const PII_TYPES: readonly PiiType[] = ['email', 'phone', 'imei', 'mac', 'gps', 'person-name']

export interface PiiHit {
  type: PiiType
  /** Number of distinct values of this type found at this location. */
  count: number
  /** Where: the caller's location string, plus a JSON pointer for JSON bodies (e.g. "/api/users#/0/email"). */
  location: string
  /** Up to 3 redacted samples, e.g. "j***@e***.com", "+44*******89", "35******012", "00:1A:**:**:**:5E". */
  samples: string[]
}

export interface PiiInput {
  text: string
  contentType?: string
  location: string
}

/** One value found in a text, by position, so overlapping finds of weaker detectors can be dropped. */
export interface PiiSpan {
  type: PiiType
  start: number
  end: number
  /** The value as found (never leaves the library: callers only see redacted samples). */
  value: string
}
