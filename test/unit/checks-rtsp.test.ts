import {describe, expect, it} from 'vitest'

import {check as authNone} from '../../checks/rtsp/auth-none.js'
import {check as cleartextBasic} from '../../checks/rtsp/cleartext-basic.js'
import type {Check, CheckInput} from '../../src/checks/types.js'
import type {Service} from '../../src/evidence/types.js'
import {challengeSchemes, parseRtspReply} from '../../src/probes/rtsp/parse.js'
import type {RtspDescribeResult, RtspSessionData} from '../../src/probes/rtsp/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const S: Service = {id: 'rtsp://192.0.2.50:554', protocol: 'rtsp', host: '192.0.2.50', port: 554, transport: 'tcp'}
const run = (check: Check, data: Partial<RtspSessionData>) =>
  check.evaluate({service: S, observations: {'rtsp.session': {id: 'o', service: S.id, probe: 'rtsp.session', collectedAt: NOW.toISOString(), data: data as Record<string, unknown>, artifacts: []}}, thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity} as CheckInput)
const d = (path: string, status: number, challenges: string[] = [], sdp = false): RtspDescribeResult => ({path, status, challenges, sdp})
const session = (describes: RtspDescribeResult[], tls = false): RtspSessionData => ({tls, methods: ['OPTIONS', 'DESCRIBE'], describes})

describe('RTSP reply parsing', () => {
  it('reads status, headers and a Content-Length body; waits for more; refuses non-RTSP and oversize', () => {
    const text = 'RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Basic realm="x"\r\nWWW-Authenticate: Digest realm="x", nonce="n"\r\nContent-Length: 3\r\n\r\nabcRTSP/1.0 200'
    const p = parseRtspReply(Buffer.from(text))!
    expect(p.reply.status).toBe(401)
    expect(p.reply.body.toString()).toBe('abc')
    expect(challengeSchemes(p.reply)).toEqual(['Basic', 'Digest'])
    expect(Buffer.from(text).subarray(p.used).toString()).toBe('RTSP/1.0 200')
    expect(parseRtspReply(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc'))).toBeUndefined()
    expect(() => parseRtspReply(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow(/not an RTSP/)
    expect(() => parseRtspReply(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'))).toThrow(/Content-Length/)
  })
})

describe('rtsp.auth.none', () => {
  it('fails on a 200, passes when paths ask for credentials, is inconclusive when no path exists', () => {
    expect(run(authNone, session([d('/', 401, ['Basic']), d('/live.sdp', 200, [], true)])).outcome).toBe('fail')
    expect(run(authNone, session([d('/', 401, ['Digest']), d('/live', 404)])).outcome).toBe('pass')
    expect(run(authNone, session([d('/', 404), d('/live', 404)])).outcome).toBe('inconclusive')
    expect(run(authNone, {}).outcome).toBe('inconclusive')
  })
})

describe('rtsp.cleartext-basic', () => {
  it('fails on Basic over cleartext RTSP, passes on Digest only, not applicable without a challenge', () => {
    expect(run(cleartextBasic, session([d('/', 401, ['Basic', 'Digest'])])).outcome).toBe('fail')
    expect(run(cleartextBasic, session([d('/', 401, ['Digest'])])).outcome).toBe('pass')
    expect(run(cleartextBasic, session([d('/', 200, [], true)])).outcome).toBe('not_applicable')
  })
})
