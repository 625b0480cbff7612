import {connect as netConnect, type Socket} from 'node:net'

import {ProbeError} from '../probes/types.js'
import type {RateLimiter} from './rate-limiter.js'
import type {Semaphore} from './semaphore.js'

export interface ConnectionStats {
  connections: number
}

export interface ConnectorOptions {
  host: string
  defaultPort: number
  timeoutMs: number
  signal: AbortSignal
  semaphore: Semaphore
  stats: ConnectionStats
  /** Every socket handed out, so an aborted probe's sockets can be destroyed. */
  open: Set<Socket>
  /** Global new-connection rate (--rate), shared by every device of the run. */
  rate?: RateLimiter
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
}

/** The only place that opens TCP sockets: holds a per-device slot until the socket closes, and takes a token
 *  from the global rate limiter (when one is set) before each connect. */
export function makeConnector(o: ConnectorOptions): (options?: {port?: number}) => Promise<Socket> {
  return async (options) => {
    const port = options?.port ?? o.defaultPort
    if (o.signal.aborted) throw new ProbeError('aborted', 'probe budget exhausted or scan cancelled')
    const release = await o.semaphore.acquire(o.signal).catch(() => {
      throw new ProbeError('aborted', 'probe budget exhausted or scan cancelled')
    })
    if (o.rate) {
      try {
        await o.rate.acquire(o.signal)
      } catch {
        release()
        throw new ProbeError('aborted', 'probe budget exhausted or scan cancelled')
      }
    }
    o.stats.connections++
    return new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({host: o.host, port, noDelay: true})
      o.open.add(socket)
      // A safety net: a probe that forgets an 'error' listener must not crash the scanner.
      socket.on('error', () => {})
      socket.once('close', () => {
        o.open.delete(socket)
        release()
      })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new ProbeError('timeout', `TCP connect to ${o.host}:${port} timed out after ${o.timeoutMs} ms`))
      }, o.timeoutMs)
      socket.once('connect', () => {
        clearTimeout(timer)
        resolve(socket)
      })
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        const code = CONNECT_ERRORS[error.code ?? ''] ?? 'network'
        reject(new ProbeError(code, `TCP connect to ${o.host}:${port} failed: ${error.code ?? error.message}`))
      })
    })
  }
}
