/** RTSP observations (src/probes/rtsp): methods offered and which stream paths answer without credentials. */
export const P_RTSP_SESSION = 'rtsp.session'

export interface RtspDescribeResult {
  path: string
  /** RTSP status code; 0 when no reply came. */
  status: number
  /** Authentication schemes of the WWW-Authenticate challenges (Basic, Digest …), when 401. */
  challenges: string[]
  /** The 200 reply carried an SDP description (Content-Type application/sdp). */
  sdp: boolean
}

export interface RtspSessionData {
  tls: boolean
  /** Methods from the OPTIONS reply's Public header. */
  methods: string[]
  server?: string
  describes: RtspDescribeResult[]
}
