import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect as tlsConnect} from 'node:tls'

import ssh2 from 'ssh2'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runBatch} from '../../src/batch/run-batch.js'
import type {Device, Report} from '../../src/evidence/types.js'
import {loadInventory} from '../../src/inventory/load.js'
import {FLEET_IOT_KINDS, planFleet} from '../../src/lab/fleet/composition.js'
import {fleetInventoryCsv, type RunningFleet, startFleet} from '../../src/lab/fleet/index.js'
import {runCli} from '../helpers/cli.js'

let fleet: RunningFleet
beforeAll(async () => {
  fleet = await startFleet({count: 30, seed: 11})
})
afterAll(async () => {
  await fleet?.stop()
})

const port = (d: {targets: string[]}, scheme: string) => Number(/:(\d+)$/.exec(d.targets.find((t) => t.startsWith(`${scheme}://`))!)![1])

function tlsPeer(p: number): Promise<{keySha: string; certSha: string; subject: string}> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({host: '127.0.0.1', port: p, rejectUnauthorized: false, ciphers: 'DEFAULT:@SECLEVEL=0', minVersion: 'TLSv1'}, () => {
      const cert = socket.getPeerX509Certificate()!
      const spki = cert.publicKey.export({type: 'spki', format: 'der'})
      resolve({keySha: createHash('sha256').update(spki).digest('hex'), certSha: cert.fingerprint256, subject: cert.subject})
      socket.destroy()
    })
    socket.on('error', reject)
  })
}

function sshPeer(p: number): Promise<{keySha: string; banner: string}> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client()
    let keySha = ''
    let banner = ''
    client.on('handshake', () => client.end())
    client.on('close', () => resolve({keySha, banner}))
    client.on('error', () => {})
    client.connect({
      host: '127.0.0.1',
      port: p,
      username: 'probe',
      readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        keySha = createHash('sha256').update(key).digest('hex')
        return true
      },
      debug: (line: string) => {
        const m = /Remote ident: '(.*)'/.exec(line)
        if (m) banner = m[1]!
      },
    })
    setTimeout(() => reject(new Error('ssh handshake timed out')), 10_000).unref()
  })
}

describe('lab fleet', () => {
  it('clone-tls devices share one TLS key with distinct certificates; others have their own keys', async () => {
    const clones = fleet.devices.filter((d) => d.tags.includes('clone-tls'))
    expect(clones.length).toBeGreaterThanOrEqual(2)
    const peers = await Promise.all(clones.map((d) => tlsPeer(port(d, 'tls'))))
    expect(new Set(peers.map((p) => p.keySha)).size).toBe(1)
    expect(new Set(peers.map((p) => p.certSha)).size).toBe(clones.length)
    const others = fleet.devices.filter((d) => !d.tags.includes('clone-tls') && d.targets.some((t) => t.startsWith('tls://'))).slice(0, 4)
    const otherPeers = await Promise.all(others.map((d) => tlsPeer(port(d, 'tls'))))
    expect(new Set([...otherPeers.map((p) => p.keySha), peers[0]!.keySha]).size).toBe(others.length + 1)
  })

  it('clone-ssh devices share one host key; mismatch devices show another vendor than declared', async () => {
    const clones = fleet.devices.filter((d) => d.tags.includes('clone-ssh'))
    const keys = await Promise.all(clones.map((d) => sshPeer(port(d, 'ssh'))))
    expect(new Set(keys.map((k) => k.keySha)).size).toBe(1)
    for (const d of fleet.devices.filter((x) => x.tags.includes('mismatch'))) {
      const shown = d.targets.some((t) => t.startsWith('ssh://')) ? (await sshPeer(port(d, 'ssh'))).banner : (await tlsPeer(port(d, 'tls'))).subject
      expect(shown).not.toContain(d.declared.vendor)
    }
  })

  it('`lab start --devices N --detach --write-inventory` serves a fleet from another process and writes a valid inventory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17-fleet-cli-'))
    const state = join(dir, 'lab.json')
    const inv = join(dir, 'inv.csv')
    const started = await runCli(['lab', 'start', '--devices', '8', '--detach', '--write-inventory', inv, '--state-file', state])
    try {
      expect(started.code).toBe(0)
      const entries = loadInventory(inv)
      expect(entries).toHaveLength(8)
      expect(entries.every((e) => e.services!.length >= 1 && e.vendor && e.serial)).toBe(true)
      // The CLI's fleets are mixed: IoT reference devices on addresses of their own among the TLS/SSH devices.
      const iot = entries.filter((e) => e.tags?.includes('iot'))
      expect(iot.length).toBeGreaterThan(0)
      for (const e of iot) expect(e.host).not.toBe('127.0.0.1')
      const saved = JSON.parse(readFileSync(state, 'utf8')) as {devices: Array<{name: string}>}
      expect(saved.devices.map((d) => d.name)).toEqual(entries.map((e) => e.id))
    } finally {
      await runCli(['lab', 'stop', '--state-file', state])
    }
  }, 60_000)
})

describe('mixed lab fleet (IoT reference devices among the TLS/SSH devices)', () => {
  let mixed: RunningFleet
  let report: Report
  beforeAll(async () => {
    mixed = await startFleet({count: 16, seed: 5, iot: true})
    const dir = mkdtempSync(join(tmpdir(), 'sg17-fleet-mixed-'))
    const inventory = join(dir, 'inv.csv')
    writeFileSync(inventory, fleetInventoryCsv(mixed.devices))
    const caFile = join(dir, 'ca.pem')
    writeFileSync(caFile, mixed.caPem)
    const result = await runBatch({inventoryPath: inventory, outDir: join(dir, 'out'), caFiles: [caFile], timeoutMs: 3000, concurrency: 4})
    report = JSON.parse(readFileSync(result.reportPath, 'utf8')) as Report
  }, 120_000)
  afterAll(async () => {
    await mixed?.stop()
  })

  const byKind = (kind: string) => mixed.devices.filter((d) => d.tags.includes(kind))
  const device = (id: string): Device => report.devices.find((d) => d.id === id)!
  const outcome = (id: string, check: string) => device(id).findings.find((f) => f.check === check)?.outcome

  it('keeps the TLS/SSH devices, clones and mismatches of the seed, and holds every IoT kind on an address of its own', () => {
    const plain = planFleet(16, 5)
    const planned = planFleet(16, 5, {iot: true})
    for (const p of planned.filter((x) => x.kind === 'tls-ssh')) expect(p).toEqual(plain[p.index])
    for (const tag of ['clone-tls', 'clone-ssh', 'mismatch']) expect(planned.filter((p) => p.tags.includes(tag)).length).toBe(3)
    const hosts = new Set<string>()
    for (const kind of FLEET_IOT_KINDS) {
      expect(byKind(kind).length, kind).toBeGreaterThan(0)
      for (const d of byKind(kind)) {
        const own = new Set(d.targets.map((t) => new URL(t).hostname))
        expect(own.size).toBe(1)
        const [address] = [...own]
        expect(address).not.toBe('127.0.0.1')
        expect(hosts.has(address!)).toBe(false)
        hosts.add(address!)
      }
    }
    expect(byKind('smart-plug')[0]!.targets.map((t) => t.split(':')[0]).sort()).toEqual(['coap', 'mqtt'])
    expect(byKind('ip-camera')[0]!.targets.map((t) => t.split(':')[0]).sort()).toEqual(['http', 'rtsp', 'ssdp'])
    expect(byKind('hardened-sensor')[0]!.targets.map((t) => t.split(':')[0])).toEqual(['mqtts'])
  })

  it('a batch scan of the mixed fleet judges each IoT device on its TCP and UDP services', () => {
    expect(report.devices.map((d) => d.id).sort()).toEqual(mixed.devices.map((d) => d.id).sort())
    for (const d of byKind('smart-plug')) {
      expect(outcome(d.id, 'mqtt.auth.anonymous')).toBe('fail')
      expect(outcome(d.id, 'coap.unauth.discovery')).toBe('fail')
    }
    for (const d of byKind('smart-plug-fw2')) expect(outcome(d.id, 'mqtt.auth.anonymous')).toBe('pass')
    for (const d of byKind('ip-camera')) {
      expect(outcome(d.id, 'rtsp.auth.none')).toBe('fail')
      expect(outcome(d.id, 'upnp.ssdp.exposed')).toBe('fail')
      // It shows the maker, model and serial the fleet declares for it.
      expect(outcome(d.id, 'identity.declared-mismatch')).not.toBe('fail')
    }
    for (const d of byKind('hardened-sensor')) {
      expect(outcome(d.id, 'mqtt.auth.anonymous')).toBe('pass')
      expect(outcome(d.id, 'tls.protocol.legacy-enabled')).toBe('pass')
      expect(outcome(d.id, 'identity.declared-mismatch')).not.toBe('fail')
    }
    // No IoT device is caught in the planted clone groups: each sensor has a key of its own.
    const cloneFindings = report.devices.filter((d) => d.tags?.includes('iot')).flatMap((d) => d.findings.filter((f) => f.check.startsWith('identity.') && f.check.includes('shared') && f.outcome === 'fail'))
    expect(cloneFindings).toEqual([])
  })
})
