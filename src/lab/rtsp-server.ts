/**
 * A small RTSP/1.0 server for lab cameras: OPTIONS, DESCRIBE per path (200 with SDP, 401 with a challenge, or
 * 404), everything else 405. Requests are read line by line, bounded; it never streams media.
 */
import type {Socket} from 'node:net'

export interface LabRtspOptions {
  server: string
  /** Path → what DESCRIBE answers. Paths not listed get 404. */
  paths: Record<string, {open: true} | {challenge: string}>
}

const MAX_REQUEST = 8 * 1024

export function sdp(path: string): string {
  return ['v=0', 'o=- 0 0 IN IP4 0.0.0.0', `s=lab camera ${path}`, 't=0 0', 'm=video 0 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'a=control:track1', ''].join('\r\n')
}

export function rtspSession(socket: Socket, o: LabRtspOptions): void {
  let buffer = ''
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    buffer += chunk
    if (buffer.length > MAX_REQUEST) return void socket.destroy()
    let end: number
    while ((end = buffer.indexOf('\r\n\r\n')) !== -1) {
      const lines = buffer.slice(0, end).split('\r\n')
      buffer = buffer.slice(end + 4)
      const [method, uri] = lines[0].split(' ')
      const cseq = lines.find((l) => /^cseq:/i.test(l))?.split(':')[1]?.trim() ?? '0'
      const reply = (status: string, headers: string[] = [], body = '') =>
        socket.write([`RTSP/1.0 ${status}`, `CSeq: ${cseq}`, `Server: ${o.server}`, ...headers, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'))
      if (method === 'OPTIONS') reply('200 OK', ['Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN'])
      else if (method === 'DESCRIBE') {
        let path = '/'
        try {
          path = new URL(uri ?? '').pathname
        } catch {
          reply('400 Bad Request')
          continue
        }
        const p = o.paths[path]
        if (!p) reply('404 Not Found')
        else if ('challenge' in p) reply('401 Unauthorized', [`WWW-Authenticate: ${p.challenge}`])
        else reply('200 OK', ['Content-Type: application/sdp', `Content-Base: ${uri}/`], sdp(path))
      } else reply('405 Method Not Allowed', ['Allow: OPTIONS, DESCRIBE'])
    }
  })
}
