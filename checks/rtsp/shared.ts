/** Helpers shared by the RTSP checks: a defensive reader of `rtsp.session`, references. Pure. */
import type {CheckInput} from '../../src/checks/types.js'
import {cr, cwe, en, itu} from '../../src/checks/references.js'
import type {Reference} from '../../src/evidence/types.js'
import {P_RTSP_SESSION, type RtspDescribeResult, type RtspSessionData} from '../../src/probes/rtsp/types.js'

export {P_RTSP_SESSION}

export function readRtsp(input: CheckInput): (RtspSessionData & {valid: true}) | {valid: false} {
  const d = input.observations[P_RTSP_SESSION]?.data as Partial<RtspSessionData> | undefined
  if (!d || !Array.isArray(d.describes) || !Array.isArray(d.methods)) return {valid: false}
  const describes = d.describes.filter((x): x is RtspDescribeResult => typeof x === 'object' && x !== null && typeof x.path === 'string' && typeof x.status === 'number')
  return {tls: d.tls === true, methods: d.methods, describes, ...(d.server ? {server: d.server} : {}), valid: true}
}

export const REF = {
  X805_AUTH: itu('X.805', '§6.2'),
  X805_CONF: itu('X.805', '§6.4'),
  X1352_AUTH: itu('X.1352', '§8.1'),
  X1352_DATA: itu('X.1352', '§8.3'),
  EN_5_5_1: en('5.5-1'),
  EN_5_5_5: en('5.5-5'),
  EN_5_6_1: en('5.6-1'),
  CR_1_2: cr('CR 1.2'),
  CR_4_1: cr('CR 4.1'),
  cwe,
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
