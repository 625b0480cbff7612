/**
 * RTSP probe: OPTIONS (methods, Server), then DESCRIBE without credentials on a short list of common camera stream
 * paths, on one connection, stopping at the first path that answers 200. DESCRIBE only reads the stream's
 * description: no SETUP, no PLAY, nothing changes on the camera.
 */
import type {Socket} from 'node:net'

import {remaining, StreamReader} from '../cleartext/stream.js'
import {type ProbeContext, type ProbeEmission, ProbeError, type ProbeUnit} from '../types.js'
import {challengeSchemes, header, parseRtspReply, type RtspReply} from './parse.js'
import {rtspUnitMeta} from './meta.js'
import {P_RTSP_SESSION, type RtspDescribeResult, type RtspSessionData} from './types.js'

/** Common stream paths of IP cameras (vendor defaults, as in nmap's rtsp-url-brute list), most common first. */
export const RTSP_PATHS = ['/', '/live', '/live.sdp', '/stream1', '/h264', '/ch0_0.h264', '/Streaming/Channels/101', '/cam/realmonitor', '/videoMain', '/media/video1']

async function request(reader: StreamReader, text: string, timeoutMs: number): Promise<RtspReply> {
  reader.write(text)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const parsed = parseRtspReply(reader.buffered)
    if (parsed) {
      reader.consume(parsed.used)
      return parsed.reply
    }
    const w = await reader.wait(remaining(deadline))
    if (w !== 'data') throw new ProbeError(w === 'timeout' ? 'timeout' : w, `no complete RTSP reply (${w})`)
  }
}

export async function runRtspSession(ctx: ProbeContext, paths: readonly string[] = RTSP_PATHS): Promise<ProbeEmission> {
  const host = ctx.service.host.includes(':') ? `[${ctx.service.host}]` : ctx.service.host
  const base = `rtsp://${host}:${ctx.service.port}`
  const data: RtspSessionData = {tls: false, methods: [], describes: []}
  let socket: Socket
  try {
    socket = await ctx.connect()
  } catch (error) {
    return {probe: P_RTSP_SESSION, data: {}, error: {code: error instanceof ProbeError ? error.code : 'network', message: (error as Error).message}}
  }
  let reader = new StreamReader(socket, ctx.signal)
  let cseq = 1
  try {
    const options = await request(reader, `OPTIONS ${base}/ RTSP/1.0\r\nCSeq: ${cseq++}\r\nUser-Agent: sg17scan\r\n\r\n`, ctx.timeoutMs)
    data.methods = header(options, 'public').flatMap((v) => v.split(',')).map((s) => s.trim().toUpperCase()).filter(Boolean)
    const server = header(options, 'server')[0]
    if (server) data.server = server.slice(0, 120)
  } catch (error) {
    reader.close()
    return {probe: P_RTSP_SESSION, data: {}, error: {code: error instanceof ProbeError ? error.code : 'not-rtsp', message: `OPTIONS: ${(error as Error).message}`}}
  }
  let partial: ProbeEmission['partial']
  for (const path of paths) {
    if (!reader.writable) {
      // Some cameras close after a 401 or 404: one fresh connection per such path.
      reader.close()
      try {
        socket = await ctx.connect()
      } catch (error) {
        partial = {code: 'network', message: `reconnect failed: ${(error as Error).message}`, missing: paths.slice(paths.indexOf(path)).map((p) => `DESCRIBE ${p}`)}
        break
      }
      reader = new StreamReader(socket, ctx.signal)
    }
    let result: RtspDescribeResult
    try {
      const r = await request(reader, `DESCRIBE ${base}${path} RTSP/1.0\r\nCSeq: ${cseq++}\r\nAccept: application/sdp\r\nUser-Agent: sg17scan\r\n\r\n`, ctx.timeoutMs)
      const type = header(r, 'content-type')[0] ?? ''
      result = {path, status: r.status, challenges: r.status === 401 ? challengeSchemes(r) : [], sdp: r.status === 200 && /application\/sdp/i.test(type) && r.body.includes('v=0')}
    } catch (error) {
      partial = {code: error instanceof ProbeError ? error.code : 'not-rtsp', message: `DESCRIBE ${path}: ${(error as Error).message}`, missing: paths.slice(paths.indexOf(path)).map((p) => `DESCRIBE ${p}`)}
      break
    }
    data.describes.push(result)
    if (result.status === 200) break
  }
  reader.close()
  const emission: ProbeEmission = {probe: P_RTSP_SESSION, data: data as unknown as Record<string, unknown>}
  if (partial) emission.partial = partial
  return emission
}

export const rtspProbeUnit: ProbeUnit = {
  ...rtspUnitMeta,
  run: async (ctx) => [await runRtspSession(ctx)],
}
