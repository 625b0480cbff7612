/**
 * Runs inside the network namespace of test/interop/ntp-ntpsec.test.ts (started with `node --import tsx`), where
 * ntpsec listens on 127.0.0.1:123: a bare-host discovery of 127.0.0.1 (UDP 123 and 161, one TCP port), the NTP
 * probe and ntp.mode6.exposed. Prints one JSON line.
 */
import {check} from '../../checks/ntp/mode6-exposed.js'
import {discoverServices} from '../../src/engine/discovery.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import {runNtpControl} from '../../src/probes/ntp/unit.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const host = '127.0.0.1'
const found = await discoverServices(host, {ports: [1], portSpec: '1', udpPorts: [123, 161], udpPortSpec: '123,161', portConcurrency: 4, timeoutMs: 1500, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date()})
const ntp = await runNtpControl({service: {id: `ntp://${host}:123`, protocol: 'ntp', host, port: 123, transport: 'udp'}, timeoutMs: 1500, signal: new AbortController().signal})
const observation = {id: 'o1', service: `ntp://${host}:123`, probe: ntp.probe, collectedAt: new Date().toISOString(), data: ntp.data, artifacts: []}
const verdict = check.evaluate({observations: {[ntp.probe]: observation as never}, thresholds: DEFAULT_THRESHOLDS, now: new Date()} as never)
const artifacts = (ntp.artifacts ?? []).map((a) => a.kind)
console.log(JSON.stringify({services: found.services.map((s) => s.id), ports: found.observations.find((o) => o.probe === 'net.ports')?.data.udp, ntp: ntp.data, error: ntp.error, artifacts, verdict}))
