import {sshProbeUnit} from '../probes/ssh/unit.js'
import {tlsProbeUnit} from '../probes/tls/unit.js'
import type {ProbeUnit} from '../probes/types.js'

/** Every probe unit this version implements. Later modules (SNMP, HTTP, …) register here. */
export const PROBE_UNITS: readonly ProbeUnit[] = [tlsProbeUnit, sshProbeUnit]

/** The unit that emits `probe` for a service of `protocol`, if any. */
export function unitFor(probe: string, protocol: string): ProbeUnit | undefined {
  return PROBE_UNITS.find((u) => u.emits.includes(probe) && u.protocols.includes(protocol))
}
