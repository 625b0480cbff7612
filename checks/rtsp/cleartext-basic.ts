import type {Check} from '../../src/checks/types.js'
import {P_RTSP_SESSION, readRtsp, REF} from './shared.js'

export const check: Check = {
  id: 'rtsp.cleartext-basic',
  title: 'RTSP Basic authentication over cleartext',
  family: 'rtsp',
  description:
    'Fails when the camera challenges for Basic credentials on cleartext RTSP: the password crosses the network ' +
    'base64-encoded, i.e. readable. Passes when every challenge is Digest only; not applicable without a challenge.',
  remediation: 'Offer Digest authentication only (or serve RTSP over TLS), and disable Basic.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: ['rtsp'],
  reads: [P_RTSP_SESSION],
  references: [REF.X805_CONF, REF.X1352_DATA, REF.EN_5_5_5, REF.CR_4_1, REF.cwe(319), REF.cwe(523)],
  evaluate(input) {
    const d = readRtsp(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The RTSP observation lists no DESCRIBE result.'}
    const challenged = d.describes.filter((x) => x.status === 401)
    const basic = challenged.filter((x) => x.challenges.includes('Basic'))
    if (basic.length > 0 && !d.tls) return {outcome: 'fail', message: `Basic authentication offered on cleartext RTSP for ${basic.map((x) => x.path).join(', ')} (schemes: ${[...new Set(basic.flatMap((x) => x.challenges))].join(', ')}).`}
    if (challenged.length === 0) return {outcome: 'not_applicable', message: 'No tried stream path asked for credentials.'}
    return {outcome: 'pass', message: `Challenges offer ${[...new Set(challenged.flatMap((x) => x.challenges))].join(', ') || 'no scheme'} only, no Basic on cleartext RTSP.`}
  },
}
