/**
 * One TCP connect attempt, told apart as open (handshake completed), closed (RST: connection refused), filtered
 * (no answer within the timeout, or an ICMP unreachable) — the nmap `-sT` states.
 *
 * Why a libuv TCP handle instead of net.Socket: a full-range scan opens 65,535 connections, and a net.Socket (a
 * duplex stream, its listeners and buffers) costs ~50 µs each — twice nmap's wall time on loopback. The bare
 * handle (`process.binding('tcp_wrap')`, DEP0111 documentation-only, on the allow-list of Node 20/22) does only
 * the connect. When the binding is missing (a future Node), the net.Socket path is used: slower, same answers.
 */
import {connect as netConnect} from 'node:net'
import {constants} from 'node:os'

export type PortState = 'open' | 'closed' | 'filtered'

export interface ConnectOutcome {
  state: PortState
  /** How it was decided: `syn-ack`, `conn-refused` (RST), `no-response` (timeout), `host-unreach`, `net-unreach`. */
  reason: string
  /** Time to the answer (ms); undefined when nothing answered. */
  rttMs?: number
}

const errno = constants.errno
const REASONS: Record<number, {state: PortState; reason: string}> = {
  [errno.ECONNREFUSED]: {state: 'closed', reason: 'conn-refused'},
  [errno.ECONNRESET]: {state: 'closed', reason: 'reset'},
  [errno.EHOSTUNREACH]: {state: 'filtered', reason: 'host-unreach'},
  [errno.ENETUNREACH]: {state: 'filtered', reason: 'net-unreach'},
  [errno.ETIMEDOUT]: {state: 'filtered', reason: 'no-response'},
}

/** Errors of this machine, not answers of the target: out of descriptors, buffers or local ports. A port that
 *  meets one is tried again later, never called filtered. */
export const LOCAL_RESOURCE_ERRNOS: ReadonlySet<number> = new Set([errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM, errno.EADDRNOTAVAIL, errno.EAGAIN])

export function fromErrno(code: number): {state: PortState; reason: string} {
  return REASONS[Math.abs(code)] ?? {state: 'filtered', reason: `errno-${Math.abs(code)}`}
}

export interface TcpHandle {
  connect(req: unknown, address: string, port: number): number
  connect6(req: unknown, address: string, port: number): number
  close(): void
}
export interface TcpBinding {
  TCP: new (type: number) => TcpHandle
  TCPConnectWrap: new () => {oncomplete?: (status: number) => void}
  constants: {SOCKET: number}
}

let binding: TcpBinding | null | undefined
export function tcpBinding(): TcpBinding | null {
  if (binding !== undefined) return binding
  try {
    const b = (process as unknown as {binding(name: string): TcpBinding}).binding('tcp_wrap')
    binding = typeof b?.TCP === 'function' && typeof b.TCPConnectWrap === 'function' ? b : null
  } catch {
    binding = null
  }
  return binding
}

/**
 * Starts a connect to ip:port (an IP address, not a name) and calls `done` once with the answer; the connection
 * is closed at once. No timer: the caller owns the timeout and calls the returned `cancel` when it expires.
 */
export function startConnect(ip: string, family: 4 | 6, port: number, done: (o: {state: PortState; reason: string}) => void, forceSocket = false): () => void {
  const b = forceSocket ? null : tcpBinding()
  let settled = false
  let close = () => {}
  const settle = (o: {state: PortState; reason: string}) => {
    if (settled) return
    settled = true
    close()
    done(o)
  }
  if (b) {
    const handle = new b.TCP(b.constants.SOCKET)
    const req = new b.TCPConnectWrap()
    close = () => handle.close()
    req.oncomplete = (status: number) => settle(status === 0 ? {state: 'open', reason: 'syn-ack'} : fromErrno(status))
    const err = family === 6 ? handle.connect6(req, ip, port) : handle.connect(req, ip, port)
    if (err) settle(fromErrno(err))
  } else {
    const socket = netConnect({host: ip, port, family})
    close = () => socket.destroy()
    socket.once('connect', () => settle({state: 'open', reason: 'syn-ack'}))
    socket.once('error', (e: NodeJS.ErrnoException) => settle(fromErrno(typeof e.errno === 'number' ? e.errno : errno.ETIMEDOUT)))
  }
  return () => {
    if (settled) return
    settled = true
    close()
  }
}

/**
 * One connect with its own timeout. A timer firing while the answer is already queued (event loop busy) must not
 * call the port filtered: the decision waits for setImmediate, which runs after pending I/O completions.
 */
export function tcpConnectOnce(ip: string, family: 4 | 6, port: number, timeoutMs: number, forceSocket = false): Promise<ConnectOutcome> {
  const started = performance.now()
  return new Promise<ConnectOutcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined = undefined
    const cancel = startConnect(ip, family, port, (o) => {
      clearTimeout(timer)
      resolve({...o, rttMs: performance.now() - started})
    }, forceSocket)
    timer = setTimeout(() => setImmediate(() => {
      cancel()
      resolve({state: 'filtered', reason: 'no-response'})
    }), timeoutMs)
  })
}
