/** Observation payload of the Telnet probe unit (probe name `telnet.banner`). Change only additively. */

export const P_TELNET_BANNER = 'telnet.banner'

export type TelnetVerb = 'DO' | 'DONT' | 'WILL' | 'WONT'

/** One option command the server sent (RFC 854/855) and what the probe answered, if anything. */
export interface TelnetNegotiation {
  received: TelnetVerb | 'SB'
  /** Option code (RFC 855 registry), e.g. 1 ECHO, 3 SUPPRESS-GO-AHEAD, 24 TERMINAL-TYPE. */
  option: number
  /** Option name, or "OPTION-<n>" when unknown. */
  name: string
  /** The probe's answer; absent when none was due (RFC 854: no reply to a request for the current state). */
  sent?: TelnetVerb
  /** Subnegotiation parameter length in bytes (SB only). */
  length?: number
}

export interface TelnetBannerData {
  /** Text before the login (IAC sequences removed, control characters stripped, trimmed, capped). */
  banner: string
  /** True when the text ends in a login, user name or password prompt. */
  loginPrompt: boolean
  /** The prompt line, e.g. "nvr login:". */
  promptText?: string
  /** Option commands received, in order (capped). */
  negotiatedOptions: TelnetNegotiation[]
  /** Bytes received on the connection, Telnet commands included. */
  bytes: number
  /** Why reading stopped: a prompt appeared, the server went quiet, closed or reset the connection (after
   *  sending something), or the read window ended. */
  endedBy: 'prompt' | 'quiet' | 'closed' | 'reset' | 'deadline'
}
