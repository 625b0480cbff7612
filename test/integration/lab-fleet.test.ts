import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect as tlsConnect} from 'node:tls'

import ssh2 from 'ssh2'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import {type RunningFleet, startFleet} from '../../src/lab/fleet/index.js'
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
      const saved = JSON.parse(readFileSync(state, 'utf8')) as {devices: Array<{name: string}>}
      expect(saved.devices.map((d) => d.name)).toEqual(entries.map((e) => e.id))
    } finally {
      await runCli(['lab', 'stop', '--state-file', state])
    }
  }, 60_000)
})
