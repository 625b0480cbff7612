/** Listener plumbing shared by lab devices: listen on host:port, track sockets, close everything on stop. */
import type {Server, Socket} from 'node:net'

import type {StartedDevice} from './devices/types.js'

/** Idle connections to lab devices are dropped after this long, so a stuck client never pins a socket. */
export const LAB_IDLE_TIMEOUT_MS = 15_000

export function formatHostForUri(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** Starts `server` on host:port and returns its bound port plus a stop() that destroys open sockets. */
export async function listenTracked(
  server: Server,
  host: string,
  port: number,
  uriScheme: string,
): Promise<StartedDevice> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.setTimeout(LAB_IDLE_TIMEOUT_MS, () => socket.destroy())
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen({host, port, exclusive: true}, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('lab listener has no TCP address')
  let stopped: Promise<void> | undefined
  return {
    targets: [`${uriScheme}://${formatHostForUri(host)}:${address.port}`],
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
        sockets.clear()
      })
      return stopped
    },
  }
}

/** Each device's second service listens this far above its first when the lab has fixed ports. */
export const SECOND_SERVICE_PORT_OFFSET = 100

/** Starts a device's services in order; one device, several targets. A failure stops what already started. */
export async function startServices(starts: Array<() => Promise<StartedDevice>>): Promise<StartedDevice> {
  const started: StartedDevice[] = []
  try {
    for (const start of starts) started.push(await start())
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()))
    throw error
  }
  return {
    targets: started.flatMap((s) => s.targets),
    stop: async () => {
      await Promise.all(started.map((s) => s.stop()))
    },
  }
}
