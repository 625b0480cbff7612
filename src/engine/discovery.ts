import type {Observation, Service} from '../evidence/types.js'
import {ProbeError} from '../probes/types.js'
import {type ConnectionStats, makeConnector} from './connector.js'
import {toObservation} from './run-unit.js'
import type {RateLimiter} from './rate-limiter.js'
import type {Semaphore} from './semaphore.js'
import {BARE_HOST_SERVICES, makeService} from './targets.js'

export interface DiscoveryResult {
  services: Service[]
  observation: Observation
}

/** For a bare host: which of the default TCP ports accept a connection. UDP (SNMP) is not guessed. */
export async function discoverServices(
  host: string,
  o: {timeoutMs: number; semaphore: Semaphore; stats: ConnectionStats; rate?: RateLimiter; now: () => Date; signal?: AbortSignal},
): Promise<DiscoveryResult> {
  const collectedAt = o.now().toISOString()
  const signal = o.signal ?? new AbortController().signal
  const candidates = BARE_HOST_SERVICES.filter((c) => c.protocol !== 'snmp')
  const results = await Promise.all(
    candidates.map(async (c) => {
      const connect = makeConnector({host, defaultPort: c.port, timeoutMs: o.timeoutMs, signal, semaphore: o.semaphore, stats: o.stats, rate: o.rate, open: new Set()})
      try {
        const socket = await connect()
        socket.destroy()
        return {...c, state: 'open' as const}
      } catch (error) {
        return {...c, state: error instanceof ProbeError ? error.code : 'network'}
      }
    }),
  )
  const open = results.filter((r) => r.state === 'open')
  const services = open.map((r) => makeService(r.protocol, host, r.port))
  const observation = toObservation(
    {id: `host://${host}`},
    {
      probe: 'discovery.tcp-ports',
      data: {
        host,
        ports: results.map((r) => ({port: r.port, protocol: r.protocol, state: r.state})),
        notProbed: ['161/udp (snmp): UDP reachability cannot be inferred without the SNMP module; give snmp://host to test it'],
      },
    },
    collectedAt,
  )
  return {services, observation}
}
