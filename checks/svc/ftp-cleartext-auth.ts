import type {Check} from '../../src/checks/types.js'
import {formatList, P_FTP_SESSION, readFtpSession, REF, replyCode} from './shared.js'

export const check: Check = {
  id: 'svc.ftp.cleartext-auth',
  title: 'FTP login without TLS',
  family: 'svc',
  description:
    'Fails when an FTP server offers no AUTH TLS (RFC 4217): neither in its FEAT list nor as an answer to the ' +
    'AUTH TLS command. USER, PASS and the transferred files then cross the network in cleartext.',
  remediation:
    'Disable plain FTP, or enable FTP over TLS (AUTH TLS) and require it before USER/PASS; prefer SFTP ' +
    'where the device already runs SSH.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['ftp'],
  reads: [P_FTP_SESSION],
  references: [
    REF.X805_CONF,
    REF.X1352_DATA,
    REF.X1214_SNIFFING,
    REF.EN_5_5_1,
    REF.EN_5_5_7,
    REF.CR_1_5,
    REF.CR_4_1,
    REF.cwe(319),
    REF.cwe(523),
    REF.RFC4217,
  ],
  evaluate(input) {
    const d = readFtpSession(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The FTP observation holds no AUTH TLS result.'}
    if (d.authTls) {
      const how = d.features.some((f) => /^AUTH\b/i.test(f)) ? 'lists AUTH TLS in FEAT' : 'answered AUTH TLS with 234'
      return {
        outcome: 'pass',
        message: `The FTP server ${how} (RFC 4217). Whether it refuses USER/PASS before TLS was not tested.`,
      }
    }
    const feat = replyCode(d.replies, 'FEAT')
    const auth = replyCode(d.replies, 'AUTH TLS')
    const featText = feat === 211 ? `FEAT lists ${formatList(d.features)}` : `FEAT answered ${feat ?? 'nothing'}`
    const authText = auth === undefined ? 'AUTH TLS got no reply' : `AUTH TLS answered ${auth}`
    return {
      outcome: 'fail',
      message: `The FTP server offers no TLS: ${featText}; ${authText}. Logins and data travel in cleartext.`,
    }
  },
}
