/**
 * Interop: nmap 7.93 `-sU -p 1900 --script upnp-info` against the lab's ip-camera (SSDP on its own loopback
 * address). nmap's Server and Location lines must equal what our M-SEARCH recorded.
 *
 * Nothing is skipped: a missing nmap fails the suite (apt-get install nmap).
 */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {SsdpDiscoveryData} from '../../src/probes/ssdp/types.js'
import {runSsdpDiscovery} from '../../src/probes/ssdp/unit.js'

const NMAP = process.env.SG17_NMAP ?? '/usr/bin/nmap'
let lab: RunningLab

beforeAll(async () => {
  if (!existsSync(NMAP)) throw new Error(`${NMAP} not found: apt-get install nmap (the SSDP interop test compares with upnp-info)`)
  lab = await startLab({devices: ['ip-camera']})
})
afterAll(async () => {
  await lab?.stop()
})

describe('SSDP vs nmap upnp-info', () => {
  it('the same Server and Location', async () => {
    const uri = lab.devices[0].targets.find((t) => t.startsWith('ssdp://'))!
    const host = uri.replace(/^ssdp:\/\//, '').replace(/:\d+$/, '')
    const out = await new Promise<string>((resolve, reject) =>
      execFile(NMAP, ['-sU', '-Pn', '-n', '-p', '1900', '--script', 'upnp-info', host], {timeout: 60_000}, (e, stdout, stderr) => (e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout))),
    )
    const server = /Server: ([^\n]+)/.exec(out)?.[1]?.trim()
    const location = /Location: ([^\n]+)/.exec(out)?.[1]?.trim()
    expect(server, out).toBeDefined()
    const e = await runSsdpDiscovery({service: {id: uri, protocol: 'ssdp', host, port: 1900, transport: 'udp'}, timeoutMs: 3000, signal: new AbortController().signal})
    const d = e.data as unknown as SsdpDiscoveryData
    expect(d.server).toBe(server)
    expect(d.description?.location).toBe(location)
  }, 90_000)
})
