/** NTP observation (`ntp.control`): what a client request and the mode-6 control queries READSTAT and READVAR get. */
export const P_NTP_CONTROL = 'ntp.control'

/** The informational system variables kept from READVAR (timing values change every second: left out). */
export const DISCLOSED_VARIABLES = ['version', 'processor', 'system', 'stratum', 'refid', 'leap', 'tai'] as const

export interface NtpControlQuery {
  /** A response datagram came back for the query. */
  answered: boolean
  /** The response had the error bit set (the server refused: `restrict … noquery` drops instead). */
  errorBit?: boolean
  requestBytes: number
  /** Bytes of every response datagram (UDP payload) to one request. */
  responseBytes: number
  datagrams: number
  /** responseBytes / requestBytes, one decimal: what a spoofed request would reflect. */
  amplification: number
  /** Every fragment up to the last (M bit clear) arrived. */
  complete: boolean
  /** Transmissions of the request made (3 = the whole wait ran: silence after it is an answer of its own). */
  sent: number
}

export interface NtpControlData {
  /** Mode-3 request answered (mode 4): an NTP server runs. */
  client: {answered: boolean; version?: number; stratum?: number}
  readstat: NtpControlQuery & {associations?: number}
  readvar: NtpControlQuery & {
    /** Variable names returned (all of them), sorted. */
    names?: string[]
    /** Values of the informational variables (DISCLOSED_VARIABLES) present. */
    variables?: Record<string, string>
  }
  /** The larger amplification of the two control queries (0: none answered). */
  amplification: number
}
