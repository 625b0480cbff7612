import type {Check} from '../../src/checks/types.js'
import {P_RTSP_SESSION, readRtsp, REF} from './shared.js'

export const check: Check = {
  id: 'rtsp.auth.none',
  title: 'RTSP stream described without credentials',
  family: 'rtsp',
  description:
    'Fails when a DESCRIBE of a common camera stream path is answered 200 without credentials: anyone who reaches ' +
    'the camera can watch the stream. Passes when a stream path asks for credentials (401) and none answered 200; ' +
    'inconclusive when no tried path exists (the stream may live elsewhere).',
  remediation: 'Require authentication (Digest, over RTSPS where possible) for every stream, with a per-device password.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: ['rtsp'],
  reads: [P_RTSP_SESSION],
  references: [REF.X805_AUTH, REF.X1352_AUTH, REF.EN_5_5_1, REF.EN_5_6_1, REF.CR_1_2, REF.cwe(306)],
  evaluate(input) {
    const d = readRtsp(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The RTSP observation lists no DESCRIBE result.'}
    const open = d.describes.filter((x) => x.status === 200)
    if (open.length > 0) return {outcome: 'fail', message: `DESCRIBE ${open.map((x) => x.path).join(', ')} answered 200 without credentials${open.some((x) => x.sdp) ? ' with the stream\'s SDP description' : ''}.`}
    const protectedPaths = d.describes.filter((x) => x.status === 401)
    if (protectedPaths.length > 0) return {outcome: 'pass', message: `Stream path(s) ${protectedPaths.map((x) => x.path).join(', ')} ask for credentials (401); no tried path answered without them (${d.describes.length} tried).`}
    return {outcome: 'inconclusive', message: `None of the ${d.describes.length} common stream paths tried exists (${[...new Set(d.describes.map((x) => x.status))].join(', ')}): the stream may use another path.`}
  },
}
