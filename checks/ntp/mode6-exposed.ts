import type {Check} from '../../src/checks/types.js'
import {cwe, en, itu} from '../../src/checks/references.js'
import {type NtpControlData, P_NTP_CONTROL} from '../../src/probes/ntp/types.js'

export const check: Check = {
  id: 'ntp.mode6.exposed',
  title: 'NTP control queries (mode 6) answered',
  family: 'ntp',
  description:
    'Fails when the NTP server answers mode-6 control queries (READSTAT, READVAR: what ntpq and nmap ntp-info ' +
    'send) from an unauthenticated source: the responses are several times larger than the request (a ' +
    'reflection/amplification vector, CVE-2013-5211 class) and READVAR discloses the daemon version, processor ' +
    'and operating system. Passes when the server answers time requests (mode 3) but no control query.',
  remediation: 'Restrict control queries: ntpd/ntpsec `restrict default kod nomodify noquery` (and the same for ::), allowing queries only from localhost or a management network; keep the time service itself if needed.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['ntp'],
  reads: [P_NTP_CONTROL],
  references: [itu('X.805', '§6.4'), en('5.6-1'), en('5.6-2'), cwe(200), cwe(406)],
  evaluate(input) {
    const d = input.observations[P_NTP_CONTROL]?.data as Partial<NtpControlData> | undefined
    if (!d || !d.readstat || !d.readvar || !d.client) return {outcome: 'inconclusive', message: 'The NTP observation holds no control-query result.'}
    const answered = (['readstat', 'readvar'] as const).filter((k) => d[k]!.answered && !d[k]!.errorBit)
    if (answered.length > 0) {
      const vars = d.readvar.variables ?? {}
      const disclosed = (['version', 'processor', 'system'] as const).filter((k) => vars[k]).map((k) => `${k}=${JSON.stringify(vars[k])}`)
      const parts = answered.map((k) => `${k.toUpperCase()} answered with ${d[k]!.responseBytes} bytes in ${d[k]!.datagrams} datagram(s) for a ${d[k]!.requestBytes}-byte request (${d[k]!.amplification}×)`)
      return {
        outcome: 'fail',
        message: `${parts.join('; ')}${disclosed.length ? `; READVAR discloses ${disclosed.join(', ')}` : ''}.`,
      }
    }
    const refused = (['readstat', 'readvar'] as const).filter((k) => d[k]!.errorBit)
    // Silence is an answer only after every transmission: a query cut short proves nothing.
    const unasked = (['readstat', 'readvar'] as const).filter((k) => !d[k]!.errorBit && !((d[k]!.sent ?? 0) >= 3))
    if (unasked.length > 0) return {outcome: 'inconclusive', message: `${unasked.map((k) => k.toUpperCase()).join(' and ')} did not get every transmission (cut short): no answer proves nothing.`}
    if (d.client.answered) {
      return {outcome: 'pass', message: `The server answers time requests (NTPv${d.client.version}, stratum ${d.client.stratum}) but ${refused.length ? 'refuses' : 'does not answer'} READSTAT and READVAR (3 transmissions each).`}
    }
    if (refused.length > 0) return {outcome: 'pass', message: `Control queries are refused (error bit set on ${refused.join(', ')}).`}
    return {outcome: 'inconclusive', message: 'Nothing answered: neither a time request nor a control query (a silent or filtered port).'}
  },
}
