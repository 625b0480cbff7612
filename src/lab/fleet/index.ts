/**
 * A fleet of N lightweight lab devices served from one process (distinct ports on one address) for batch tests
 * and benchmarks; with `iot` (what `lab start --devices N` serves), a quarter of them are the reference IoT
 * devices (smart plugs, hardened sensors, IP cameras), each on a loopback address of its own (iot.ts). Composition comes from planFleet(seed); keys are cheap: every non-clone device gets its own
 * EC P-256 TLS key and Ed25519 SSH host key (fast to generate), the clone groups share one key each (exactly
 * what a shared-device-key check must flag), and certificates are issued per device by the lab CA with native
 * signing (fast-cert.ts).
 */
import {generateKeyPairSync, type KeyObject} from 'node:crypto'
import {createServer} from 'node:tls'

import {labCa} from '../ca.js'
import type {StartedDevice} from '../devices/types.js'
import {listenTracked, startServices} from '../server.js'
import {type LabSshConfig, startLabSsh} from '../ssh-service.js'
import {type FleetDevicePlan, planFleet} from './composition.js'
import {fleetSubject, issueFleetCert} from './fast-cert.js'
import {fleetAddress, startFleetIot} from './iot.js'

export interface FleetDevice {
  id: string
  targets: string[]
  declared: FleetDevicePlan['declared']
  tags: string[]
}

export interface RunningFleet {
  devices: FleetDevice[]
  caPem: string
  stop(): Promise<void>
}

const GOOD_TLS = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305'
const WEAK_TLS = 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0'

function sshConfig(plan: FleetDevicePlan): LabSshConfig {
  const ident = `${plan.shown.vendor}-${plan.shown.model}`
  return plan.weakSsh
    ? {
        ident: `${ident}_${plan.shown.firmware}`,
        hostKeys: [{type: 'ed25519'}],
        algorithms: {
          kex: ['diffie-hellman-group14-sha1', 'ecdh-sha2-nistp256'],
          cipher: ['aes128-cbc', 'aes128-ctr'],
          hmac: ['hmac-sha1', 'hmac-sha2-256'],
          serverHostKey: ['ssh-ed25519'],
        },
        authMethods: ['password'],
      }
    : {
        ident,
        hostKeys: [{type: 'ed25519'}],
        algorithms: {
          kex: ['curve25519-sha256', 'ecdh-sha2-nistp256'],
          cipher: ['aes256-gcm@openssh.com', 'aes128-gcm@openssh.com'],
          hmac: ['hmac-sha2-256-etm@openssh.com'],
          serverHostKey: ['ssh-ed25519'],
        },
        authMethods: ['publickey'],
      }
}

export async function startFleet(options: {count: number; seed?: number; host?: string; now?: Date; iot?: boolean}): Promise<RunningFleet> {
  const host = options.host ?? '127.0.0.1'
  const now = options.now ?? new Date()
  // IoT devices need addresses of their own: only a loopback fleet can hand them out.
  const plans = planFleet(options.count, options.seed ?? 1, {iot: options.iot === true && host.startsWith('127.')})
  const addresses = new Set<string>([host])
  const caPem = labCa().certPem
  const ecKey = () => generateKeyPairSync('ec', {namedCurve: 'P-256'})
  let sharedTls: {publicKey: KeyObject; privateKey: KeyObject} | undefined
  const started: StartedDevice[] = []
  const devices: FleetDevice[] = []
  try {
    for (const plan of plans) {
      if (plan.kind !== 'tls-ssh') {
        const device = await startFleetIot(plan.kind, plan, fleetAddress(addresses), now)
        started.push(device)
        devices.push({id: plan.id, targets: [...device.targets], declared: plan.declared, tags: plan.tags})
        continue
      }
      const starts: Array<() => Promise<StartedDevice>> = []
      if (plan.tls) {
        const pair = plan.cloneTls ? (sharedTls ??= ecKey()) : ecKey()
        const certPem = issueFleetCert({
          publicKey: pair.publicKey,
          subject: fleetSubject(plan),
          days: plan.weakTls ? 3 * 365 : 90,
          md: plan.weakTls ? 'sha1' : 'sha256',
          now,
        })
        const server = createServer({
          key: pair.privateKey.export({type: 'pkcs8', format: 'pem'}),
          cert: certPem,
          minVersion: plan.weakTls ? 'TLSv1' : 'TLSv1.2',
          maxVersion: plan.weakTls ? 'TLSv1.2' : 'TLSv1.3',
          ciphers: plan.weakTls ? WEAK_TLS : GOOD_TLS,
          honorCipherOrder: true,
        })
        server.on('tlsClientError', () => {})
        server.on('secureConnection', (socket) => {
          socket.on('error', () => {})
          socket.once('data', () => socket.end())
        })
        starts.push(() => listenTracked(server, host, 0, 'tls'))
      }
      if (plan.ssh) {
        // Host keys are cached by purpose: the clone group shares one purpose, so one key.
        starts.push(() => startLabSsh(plan.cloneSsh ? 'fleet-clone-ssh' : `fleet:${plan.id}`, sshConfig(plan), host, 0))
      }
      const device = await startServices(starts)
      started.push(device)
      devices.push({id: plan.id, targets: [...device.targets], declared: plan.declared, tags: plan.tags})
    }
  } catch (error) {
    await Promise.all(started.map((d) => d.stop()))
    throw error
  }
  let stopping: Promise<void> | undefined
  return {
    devices,
    caPem,
    stop() {
      stopping ??= Promise.all(started.map((d) => d.stop())).then(() => {})
      return stopping
    },
  }
}

/** The fleet as an inventory CSV (the columns of schemas/inventory.schema.json). */
export function fleetInventoryCsv(devices: FleetDevice[]): string {
  const rows = [['id', 'host', 'services', 'vendor', 'model', 'firmware', 'serial', 'tags']]
  for (const d of devices) {
    const services = d.targets.map((t) => /^([a-z]+):\/\/[^/]+:(\d+)$/.exec(t)!).map((m) => `${m[1]}:${m[2]}`)
    const host = /^[a-z]+:\/\/([^/]+):\d+$/.exec(d.targets[0]!)![1]!
    rows.push([d.id, host, services.join(';'), d.declared.vendor, d.declared.model, d.declared.firmware, d.declared.serial, d.tags.join(';')])
  }
  return rows.map((r) => r.join(',')).join('\n') + '\n'
}
