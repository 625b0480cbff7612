import type {Check} from '../../src/checks/types.js'
import {P_SSH_KEXINIT, REF, readKexinit} from '../ssh/shared.js'
import {P_HTTP_SURFACE} from '../http/shared.js'
import {evaluateCleartextBanner, evaluateHttpHeaders} from './version-disclosure.js'

/** A version-like token: a digit run, optionally dotted, e.g. "9.2p1", "2022.83", "1.25". */
const VERSION = /\d+(?:[._]\d+)*[a-z]?\d*/i

export const check: Check = {
  id: 'svc.banner.version-disclosure',
  title: 'Service banner discloses a software version',
  family: 'svc',
  description:
    'Fails (informational) when an unauthenticated banner reveals the software version: for SSH, the ' +
    'softwareversion or comments of the identification string (RFC 4253 §4.2) contain a version number; for ' +
    'Telnet the pre-login text, for FTP the 220 greeting, for HTTP(S) the Server and X-Powered-By headers. ' +
    'Version strings let an attacker match the device against known vulnerabilities without authenticating.',
  remediation:
    'Reduce banners to a product name without version or patch level (OpenSSH: DebianBanner no; FTP and ' +
    'Telnet daemons: a neutral greeting; web servers: a Server header without version and no X-Powered-By), ' +
    'or better, disable Telnet and FTP altogether.',
  defaultSeverity: 'info',
  intrusive: false,
  protocols: ['ssh', 'telnet', 'ftp', 'http', 'https'],
  // The engine gives each service only the probes of its own protocol (see judge.ts).
  reads: [P_SSH_KEXINIT, 'telnet.banner', 'ftp.session', P_HTTP_SURFACE],
  references: [REF.X1352_PLATFORM, REF.EN_5_6_2, REF.CR_7_6, REF.cwe(200), REF.RFC4253_IDENT],
  evaluate(input) {
    const cleartext = evaluateCleartextBanner(input) ?? evaluateHttpHeaders(input)
    if (cleartext) return cleartext
    const d = readKexinit(input)
    if (!d.banner) return {outcome: 'inconclusive', message: 'The observation holds no SSH identification string.'}
    const parts = [d.software, d.comments].filter((p) => VERSION.test(p))
    const preLines = d.preBannerLines.filter((l) => VERSION.test(l))
    const pre = preLines.length ? ` Lines sent before it also carry version-like text: ${preLines.map((l) => JSON.stringify(l.slice(0, 80))).join(', ')}.` : ''
    if (parts.length) {
      return {outcome: 'fail', message: `The SSH identification "${d.banner}" discloses a version: ${parts.join(' ')}.${pre}`}
    }
    if (pre) return {outcome: 'fail', message: `The SSH identification "${d.banner}" names no version, but${pre.slice(1, 2).toLowerCase()}${pre.slice(2)}`}
    return {outcome: 'pass', message: `The SSH identification "${d.banner}" names no software version.`}
  },
}
