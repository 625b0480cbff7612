import {credBruteforceUnitMeta, credUnitMeta} from '../probes/cred/meta.js'
import {ftpUnitMeta} from '../probes/ftp/meta.js'
import {httpUnitMeta} from '../probes/http/meta.js'
import {malformedInputUnitMeta} from '../probes/input/meta.js'
import {mqttSessionUnitMeta, mqttSubscriptionUnitMeta} from '../probes/mqtt/meta.js'
import {rtspUnitMeta} from '../probes/rtsp/meta.js'
import {coapUnitMeta} from '../probes/coap/meta.js'
import {ssdpUnitMeta} from '../probes/ssdp/meta.js'
import {ntpUnitMeta} from '../probes/ntp/meta.js'
import {snmpUnitMeta} from '../probes/snmp/meta.js'
import {sshUnitMeta} from '../probes/ssh/meta.js'
import {telnetUnitMeta} from '../probes/telnet/meta.js'
import {tlsUnitMeta} from '../probes/tls/meta.js'
import type {ProbeUnit, ProbeUnitMeta} from '../probes/types.js'

/** A registered probe unit: its metadata (enough to plan and judge) and how to load its code. The code is
 *  imported only when a scan has a service it applies to, so an SSH-only scan never loads the TLS enumerator,
 *  net-snmp, undici or node-forge, and commands that never scan load none of it. */
export interface ProbeEntry extends ProbeUnitMeta {
  load(): Promise<ProbeUnit>
}

/** One line per unit: its light meta and a dynamic import of its code (Node caches the module). The loaded
 *  unit must be the registered one: a meta.ts and unit.ts that drifted apart would plan one unit and run another. */
const entry = (meta: ProbeUnitMeta, load: () => Promise<ProbeUnit>): ProbeEntry => ({
  ...meta,
  async load() {
    const unit = await load()
    if (unit.id !== meta.id) throw new Error(`probe registry: unit ${meta.id} loaded as ${unit.id}`)
    return unit
  },
})

/** Every probe unit this version implements. */
export const PROBE_UNITS: readonly ProbeEntry[] = [
  entry(tlsUnitMeta, async () => (await import('../probes/tls/unit.js')).tlsProbeUnit),
  entry(sshUnitMeta, async () => (await import('../probes/ssh/unit.js')).sshProbeUnit),
  entry(telnetUnitMeta, async () => (await import('../probes/telnet/unit.js')).telnetProbeUnit),
  entry(ftpUnitMeta, async () => (await import('../probes/ftp/unit.js')).ftpProbeUnit),
  entry(snmpUnitMeta, async () => (await import('./snmp-unit.js')).snmpUnit),
  entry(httpUnitMeta, async () => (await import('../probes/http/unit.js')).httpProbeUnit),
  entry(credUnitMeta, async () => (await import('../probes/cred/unit.js')).credProbeUnit),
  entry(credBruteforceUnitMeta, async () => (await import('../probes/cred/unit.js')).credBruteforceUnit),
  entry(mqttSessionUnitMeta, async () => (await import('../probes/mqtt/unit.js')).mqttSessionUnit),
  entry(mqttSubscriptionUnitMeta, async () => (await import('../probes/mqtt/unit.js')).mqttSubscriptionUnit),
  entry(rtspUnitMeta, async () => (await import('../probes/rtsp/unit.js')).rtspProbeUnit),
  entry(coapUnitMeta, async () => (await import('../probes/coap/unit.js')).coapProbeUnit),
  entry(ssdpUnitMeta, async () => (await import('../probes/ssdp/unit.js')).ssdpProbeUnit),
  entry(malformedInputUnitMeta, async () => (await import('../probes/input/unit.js')).malformedInputUnit),
  entry(ntpUnitMeta, async () => (await import('../probes/ntp/unit.js')).ntpProbeUnit),
]

/** The unit that emits `probe` for a service of `protocol`, if any (metadata only: loads nothing). */
export function unitFor(probe: string, protocol: string): ProbeEntry | undefined {
  return PROBE_UNITS.find((u) => u.emits.includes(probe) && u.protocols.includes(protocol))
}

