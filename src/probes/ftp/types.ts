/** Observation payload of the FTP probe unit (probe name `ftp.session`). Change only additively. */

export const P_FTP_SESSION = 'ftp.session'

/** One reply in the session: the command it answered, as sent (PASS masked), and its code. */
export interface FtpReplyRecord {
  /** "(greeting)" for the server's opening reply, otherwise the command line, e.g. "FEAT", "PASS ***". */
  command: string
  code: number
}

export type AnonymousResult = 'accepted' | 'refused' | 'not-tested'

export interface FtpSessionData {
  /** Text of the greeting reply (code prefixes removed, multi-line joined with "\n"). */
  banner: string
  /** Feature lines of the FEAT reply (RFC 2389), trimmed, in the server's order; [] when FEAT is refused. */
  features: string[]
  /** AUTH TLS (RFC 4217) listed in FEAT, or answered with 234 to an AUTH TLS command. */
  authTls: boolean
  /** Result of the conventional anonymous login (USER anonymous, PASS <fake e-mail>). */
  anonymous: AnonymousResult
  replies: FtpReplyRecord[]
}

/** A complete reply (RFC 959 §4.2). */
export interface FtpReply {
  code: number
  /** Text lines with the code prefix of the first and last line removed. */
  lines: string[]
  /** The reply lines as received (without line ends). */
  raw: string[]
  /** Bytes the reply occupied in the stream. */
  length: number
}
