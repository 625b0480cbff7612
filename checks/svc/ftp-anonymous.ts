import type {Check} from '../../src/checks/types.js'
import {P_FTP_SESSION, readFtpSession, REF, replyCode} from './shared.js'

/**
 * Mapping: unauthenticated access to a network service = X.805 §6.1 access control and X.1352 §8.1 user
 * authentication; EN 303 645 5.5-4 (network-interface functionality only after authentication) and 5.6-2
 * (minimise unauthenticated disclosure). 5.5-5 (configuration changes only after authentication) is not
 * cited: the probe never tests write access. CWE-284 improper access control, CWE-1188 insecure default.
 */
export const check: Check = {
  id: 'svc.ftp.anonymous',
  title: 'Anonymous FTP login accepted',
  family: 'svc',
  description:
    'Fails when the FTP server accepts the anonymous-login convention (USER anonymous with an e-mail address ' +
    'as password, RFC 1635): anyone who reaches the port can then browse (and possibly change) files without ' +
    'credentials. Only the login reply is checked; no file is listed, read or written.',
  remediation:
    'Disable anonymous FTP in the shipped configuration (e.g. vsftpd anonymous_enable=NO) unless the device ' +
    'is meant to publish files, and then restrict it to a read-only directory without sensitive content.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['ftp'],
  reads: [P_FTP_SESSION],
  references: [
    REF.X805_ACCESS,
    REF.X1352_AUTH,
    REF.EN_5_5_4,
    REF.EN_5_6_2,
    REF.CR_2_1,
    REF.cwe(284),
    REF.cwe(1188),
    REF.RFC1635,
  ],
  evaluate(input) {
    const d = readFtpSession(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The FTP observation holds no anonymous-login result.'}
    const user = replyCode(d.replies, 'USER anonymous')
    const pass = replyCode(d.replies, 'PASS ***')
    const codes = [user === undefined ? undefined : `USER ${user}`, pass === undefined ? undefined : `PASS ${pass}`]
      .filter((c): c is string => c !== undefined)
      .join(', ')
    if (d.anonymous === 'accepted') {
      return {outcome: 'fail', message: `The FTP server accepted an anonymous login (${codes || 'logged in'}).`}
    }
    if (d.anonymous === 'refused') {
      return {outcome: 'pass', message: `The FTP server refused an anonymous login (${codes || 'no 230'}).`}
    }
    return {outcome: 'not_tested', message: 'The anonymous login could not be completed (see the transcript artifact).'}
  },
}
