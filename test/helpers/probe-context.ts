import net from 'node:net'

import {ProbeError, type ProbeContext} from '../../src/probes/types.js'

export interface TestProbeContext extends ProbeContext {
  /** Connections opened so far. */
  readonly connections: number
  logs: string[]
}

/** A minimal ProbeContext for tests: connect = net.connect to 127.0.0.1 with a timeout, counting connections. */
export function makeProbeContext(
  port: number,
  opts: {timeoutMs?: number; targetName?: string; host?: string; signal?: AbortSignal; protocol?: 'tls' | 'https'} = {},
): TestProbeContext {
  const host = opts.host ?? '127.0.0.1'
  const timeoutMs = opts.timeoutMs ?? 2000
  let connections = 0
  const logs: string[] = []
  const ctx: TestProbeContext = {
    service: {id: `${opts.protocol ?? 'tls'}://${host}:${port}`, protocol: opts.protocol ?? 'tls', host, port, transport: 'tcp'},
    timeoutMs,
    signal: opts.signal ?? new AbortController().signal,
    caCertificates: [],
    targetName: opts.targetName ?? host,
    now: () => new Date(),
    log: (m: string) => {
      logs.push(m)
    },
    logs,
    get connections() {
      return connections
    },
    connect(o?: {port?: number}) {
      return new Promise((resolve, reject) => {
        const sock = net.connect({host, port: o?.port ?? port})
        const timer = setTimeout(() => {
          sock.destroy()
          reject(new ProbeError('timeout', `connect to ${host}:${port} timed out after ${timeoutMs} ms`))
        }, timeoutMs)
        sock.once('connect', () => {
          clearTimeout(timer)
          connections++
          sock.removeAllListeners('error')
          resolve(sock)
        })
        sock.once('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer)
          reject(new ProbeError(err.code === 'ECONNREFUSED' ? 'refused' : 'connect-failed', err.message))
        })
      })
    },
  }
  return ctx
}
