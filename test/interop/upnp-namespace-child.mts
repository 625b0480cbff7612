/**
 * Runs inside the network namespace of test/interop/upnp-miniupnpd.test.ts (started with `node --import tsx`),
 * where miniupnpd serves its LAN side on HOST (argv[2]): a bare-host discovery (TCP port argv[3], UDP 1900), the
 * SSDP unit (M-SEARCH, description, one read-only SOAP action) and upnp.igd.control-exposed. Prints one JSON line.
 */
import {check} from '../../checks/upnp/igd-control-exposed.js'
import {discoverServices} from '../../src/engine/discovery.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import {runSsdp} from '../../src/probes/ssdp/unit.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const host = process.argv[2]
const tcp = Number(process.argv[3])
const found = await discoverServices(host, {ports: [tcp], portSpec: String(tcp), udpPorts: [1900], udpPortSpec: '1900', portConcurrency: 4, timeoutMs: 1500, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date()})
const [ssdp, igd] = await runSsdp({service: {id: `ssdp://${host}:1900`, protocol: 'ssdp', host, port: 1900, transport: 'udp'}, timeoutMs: 2000, signal: new AbortController().signal})
const observation = {id: 'o1', service: `ssdp://${host}:1900`, probe: igd.probe, collectedAt: new Date().toISOString(), data: igd.data, artifacts: []}
const verdict = igd.error ? undefined : check.evaluate({observations: {[igd.probe]: observation as never}, thresholds: DEFAULT_THRESHOLDS, now: new Date()} as never)
console.log(JSON.stringify({services: found.services.map((s) => s.id), udp: found.observations.find((o) => o.probe === 'net.ports')?.data.udp, ssdp: ssdp.data, ssdpError: ssdp.error, igd: igd.data, igdError: igd.error, igdPartial: igd.partial, verdict}))
