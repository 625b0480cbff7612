/**
 * Helpers shared by the cleartext-service checks (family "svc"): defensive readers of the `telnet.banner`
 * and `ftp.session` payloads and reference constants (standards-mapping.md §1.2, §2, §3.5; no [U] clause
 * is cited). Pure.
 */
import type {CheckInput} from '../../src/checks/types.js'
import type {Reference} from '../../src/evidence/types.js'
import {P_FTP_SESSION, type AnonymousResult, type FtpReplyRecord, type FtpSessionData} from '../../src/probes/ftp/types.js'
import {P_TELNET_BANNER, type TelnetBannerData, type TelnetNegotiation} from '../../src/probes/telnet/types.js'
import {cr, cwe, en, itu, rfc} from '../../src/checks/references.js'

export {P_FTP_SESSION, P_TELNET_BANNER}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function dataOf(input: CheckInput, probe: string): Record<string, unknown> {
  const data = input.observations[probe]?.data
  return isRecord(data) ? data : {}
}

/** `telnet.banner` data; `valid` is false when the payload lacks the fields every probe run sets. */
export function readTelnetBanner(input: CheckInput): TelnetBannerData & {valid: boolean} {
  const d = dataOf(input, P_TELNET_BANNER)
  const negotiatedOptions: TelnetNegotiation[] = Array.isArray(d.negotiatedOptions)
    ? d.negotiatedOptions.filter(
        (n): n is TelnetNegotiation => isRecord(n) && typeof n.received === 'string' && typeof n.option === 'number',
      )
    : []
  const endedBy = d.endedBy === 'prompt' || d.endedBy === 'quiet' || d.endedBy === 'closed' || d.endedBy === 'reset' || d.endedBy === 'deadline' ? d.endedBy : 'quiet'
  const out: TelnetBannerData & {valid: boolean} = {
    banner: str(d.banner),
    loginPrompt: d.loginPrompt === true,
    negotiatedOptions,
    bytes: typeof d.bytes === 'number' && Number.isFinite(d.bytes) ? d.bytes : 0,
    endedBy,
    valid: typeof d.bytes === 'number' && typeof d.loginPrompt === 'boolean',
  }
  if (typeof d.promptText === 'string') out.promptText = d.promptText
  return out
}

/** `ftp.session` data; `valid` is false when the payload lacks the fields every probe run sets. */
export function readFtpSession(input: CheckInput): FtpSessionData & {valid: boolean} {
  const d = dataOf(input, P_FTP_SESSION)
  const anonymous: AnonymousResult = d.anonymous === 'accepted' || d.anonymous === 'refused' ? d.anonymous : 'not-tested'
  const replies: FtpReplyRecord[] = Array.isArray(d.replies)
    ? d.replies.filter((r): r is FtpReplyRecord => isRecord(r) && typeof r.command === 'string' && typeof r.code === 'number')
    : []
  return {
    banner: str(d.banner),
    features: Array.isArray(d.features) ? d.features.filter((f): f is string => typeof f === 'string') : [],
    authTls: d.authTls === true,
    anonymous,
    replies,
    valid: typeof d.authTls === 'boolean' && typeof d.anonymous === 'string',
  }
}

/** The code the server gave to `command` (first match), if any. */
export function replyCode(replies: readonly FtpReplyRecord[], command: string): number | undefined {
  return replies.find((r) => r.command === command)?.code
}

/** "a, b, c … and K more". */
export function formatList(items: readonly string[], max = 8): string {
  if (items.length === 0) return '(none)'
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')} … and ${items.length - max} more`
}

/** A short, quoted excerpt for messages (first line, capped). */
export function excerpt(text: string, max = 80): string {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? ''
  const t = first.trim()
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t)
}


export const REF = {
  X805_ACCESS: itu('X.805', '§6.1'),
  X805_CONF: itu('X.805', '§6.4'),
  X805_MGMT: itu('X.805', '§8.1'),
  X1352_AUTH: itu('X.1352', '§8.1'),
  X1352_DATA: itu('X.1352', '§8.3'),
  X1352_PLATFORM: itu('X.1352', '§8.4'),
  X1214_SNIFFING: itu('X.1214', 'App. II.6'),
  EN_5_5_1: en('5.5-1'),
  EN_5_5_4: en('5.5-4'),
  EN_5_5_7: en('5.5-7'),
  EN_5_6_1: en('5.6-1'),
  EN_5_6_2: en('5.6-2'),
  CR_1_5: cr('CR 1.5'),
  CR_2_1: cr('CR 2.1'),
  CR_4_1: cr('CR 4.1'),
  CR_7_6: cr('CR 7.6'),
  CR_7_7: cr('CR 7.7'),
  cwe,
  RFC854: rfc('RFC 854'),
  RFC959: rfc('RFC 959'),
  RFC1635: rfc('RFC 1635'),
  RFC4217: rfc('RFC 4217'),
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
