import type {ProbeContext} from '../../src/probes/types.js'
import {makeProbeContext, type TestProbeContext} from './probe-context.js'

/** A test ProbeContext for a UDP SNMP service on 127.0.0.1:port (connect() is never used by the SNMP unit). */
export function makeSnmpContext(port: number, opts: {timeoutMs?: number; signal?: AbortSignal} = {}): TestProbeContext & ProbeContext {
  const base = makeProbeContext(port, opts)
  return Object.assign(base, {
    service: {id: `snmp://127.0.0.1:${port}`, protocol: 'snmp' as const, host: '127.0.0.1', port, transport: 'udp' as const},
  })
}
