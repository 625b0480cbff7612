/** RTSP/1.0 reply parsing (RFC 2326 §7): status line, headers, Content-Length body. Pure, bounded. */
export interface RtspReply {
  status: number
  headers: Array<[string, string]>
  body: Buffer
}

export const MAX_RTSP_REPLY = 64 * 1024

/** One complete reply at the start of `buf` and the bytes it used; undefined when more bytes are needed. Throws on
 *  a reply that is not RTSP or is larger than MAX_RTSP_REPLY. */
export function parseRtspReply(buf: Buffer): {reply: RtspReply; used: number} | undefined {
  const end = buf.indexOf('\r\n\r\n')
  if (end === -1) {
    if (buf.length > MAX_RTSP_REPLY) throw new Error('RTSP reply header larger than 64 KiB')
    if (buf.length >= 5 && !buf.subarray(0, 5).toString('latin1').startsWith('RTSP/')) throw new Error('not an RTSP reply')
    return undefined
  }
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
  const m = /^RTSP\/\d\.\d (\d{3})/.exec(lines[0])
  if (!m) throw new Error(`not an RTSP status line: ${JSON.stringify(lines[0].slice(0, 40))}`)
  const headers: Array<[string, string]> = []
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':')
    if (i > 0) headers.push([line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()])
  }
  const length = Number(headers.find(([k]) => k === 'content-length')?.[1] ?? 0)
  if (!Number.isInteger(length) || length < 0 || length > MAX_RTSP_REPLY) throw new Error(`bad Content-Length ${length}`)
  if (buf.length < end + 4 + length) return undefined
  return {reply: {status: Number(m[1]), headers, body: buf.subarray(end + 4, end + 4 + length)}, used: end + 4 + length}
}

export function header(r: RtspReply, name: string): string[] {
  return r.headers.filter(([k]) => k === name).map(([, v]) => v)
}

/** Scheme names of WWW-Authenticate challenges ("Basic realm=…" → Basic). */
export function challengeSchemes(r: RtspReply): string[] {
  return [...new Set(header(r, 'www-authenticate').map((v) => v.split(/\s+/)[0]).filter(Boolean).map((s) => s[0].toUpperCase() + s.slice(1).toLowerCase()))]
}
