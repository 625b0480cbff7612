/**
 * Interop: nmap 7.93 against the lab devices bound to one loopback address of their own.
 *  1. `nmap -sT -p-` and our full-range connect scan find the same open ports (a port open in one scan and not in
 *     the other must be a transient listener of some other process: closed again when re-checked).
 *  2. `nmap -sV` and our identification name the same protocol on every lab port nmap identifies. nmap's probes
 *     run only by port number on these ephemeral ports unless --version-all is given, so the MQTT ports get a
 *     second run with --version-all. Ports nmap leaves "unknown" are listed with the agreement figure (nmap's
 *     HTTP signatures need a capitalised "Server:" header; the lab's Node servers send lowercase names, which
 *     RFC 9110 §5.1 makes equivalent) — there our verdict is confirmed from the first reply bytes instead.
 *
 * Nothing is skipped: a missing nmap fails the suite (apt-get install nmap).
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {discoverServices} from '../../src/engine/discovery.js'
import {parsePortSpec} from '../../src/engine/ports/port-spec.js'
import {tcpConnectOnce} from '../../src/engine/ports/tcp-connect.js'
import {tcpScan} from '../../src/engine/ports/tcp-scan.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {IdentifiedService, NetServicesData} from '../../src/probes/identify/types.js'
import {freshLoopback} from '../helpers/loopback.js'

const NMAP = process.env.SG17_NMAP ?? '/usr/bin/nmap'

function nmap(args: string[], timeoutMs = 240_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(NMAP, args, {timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => (error ? reject(new Error(`nmap ${args.join(' ')}: ${error.message}\n${stderr}`)) : resolve(stdout)))
  })
}

/** Ports of an nmap -oX document with their service name and tunnel. */
function nmapServices(xml: string): Map<number, {name?: string; tunnel?: string}> {
  const out = new Map<number, {name?: string; tunnel?: string}>()
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)">(.*?)<\/port>/gs)) {
    if (!/<state state="open"/.test(m[2])) continue
    const svc = /<service ([^>]*)/.exec(m[2])?.[1] ?? ''
    const attr = (k: string) => new RegExp(`\\b${k}="([^"]*)"`).exec(svc)?.[1]
    // method="table" is nmap's guess from its port-number table (an ephemeral port such as 33123 reads as
    // "aurora-balaena"), not an identification: treat it as unknown.
    out.set(Number(m[1]), attr('method') === 'table' ? {} : {name: attr('name'), tunnel: attr('tunnel')})
  }
  return out
}

/** nmap's service name in our protocol vocabulary; undefined when nmap could not tell. */
export function fromNmap(s: {name?: string; tunnel?: string}): string | undefined {
  if (s.tunnel === 'ssl') {
    if (s.name === 'http' || s.name === 'https') return 'https'
    if (s.name === 'mqtt') return 'mqtts'
    if (s.name === 'rtsp') return 'rtsps'
    return s.name === 'unknown' || !s.name ? 'tls' : `ssl/${s.name}`
  }
  if (!s.name || s.name === 'unknown' || s.name === 'tcpwrapped') return undefined
  return s.name === 'ssl' ? 'tls' : s.name
}

const portOf = (uri: string) => Number(uri.slice(uri.lastIndexOf(':') + 1))

let lab: RunningLab
const host = freshLoopback()
let labPorts: Map<number, string>

beforeAll(async () => {
  if (!existsSync(NMAP)) throw new Error(`${NMAP} not found: apt-get install nmap (the discovery interop tests compare with it)`)
  lab = await startLab({host, devices: ['good-gateway', 'old-nvr', 'webcam-http', 'secure-admin', 'smart-plug', 'hardened-sensor', 'ip-camera']})
  // TCP services only (nmap -sT / -sV compare TCP; CoAP and SSDP are UDP).
  labPorts = new Map(lab.devices.flatMap((d) => d.targets).filter((u) => !u.startsWith('coap:') && !u.startsWith('ssdp:')).map((u) => [portOf(u), u]))
})

afterAll(async () => {
  await lab?.stop()
})

describe('port discovery vs nmap -sT -p-', () => {
  it('the same open ports', async () => {
    const [ours, xml] = await Promise.all([
      tcpScan(host, 4, {ports: parsePortSpec('1-65535'), concurrency: 64, maxTimeoutMs: 5000}),
      nmap(['-sT', '-p-', '-n', '-Pn', '--open', '-oX', '-', host]),
    ])
    const ourOpen = new Set(ours.open.map((p) => p.port))
    const theirOpen = new Set(nmapServices(xml).keys())
    for (const p of labPorts.keys()) {
      expect(ourOpen.has(p), `lab port ${p} (${labPorts.get(p)}) in our scan`).toBe(true)
      expect(theirOpen.has(p), `lab port ${p} in nmap's`).toBe(true)
    }
    const differ = [...new Set([...ourOpen, ...theirOpen])].filter((p) => ourOpen.has(p) !== theirOpen.has(p))
    for (const p of differ) expect((await tcpConnectOnce(host, 4, p, 2000)).state, `port ${p}: open in one scan only, still open`).not.toBe('open')
    console.log(`[discovery-nmap] open ports: ours ${ourOpen.size}, nmap ${theirOpen.size}, differing (transient) ${differ.length}; ours ${ours.timing.durationMs} ms`)
  }, 120_000)
})

describe('service identification vs nmap -sV', () => {
  it('the same protocol on every lab port nmap identifies', async () => {
    const all = [...labPorts.keys()]
    const xmlAllFile = join(mkdtempSync(join(tmpdir(), 'sg17-nmap-')), 'mqtt.xml')
    const mqttPorts = [...labPorts].filter(([, u]) => u.startsWith('mqtt')).map(([p]) => p)
    const [found, xmlDefault, xmlAll] = await Promise.all([
      discoverServices(host, {ports: all.sort((a, b) => a - b), portSpec: all.join(','), portConcurrency: 8, timeoutMs: 3000, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date()}),
      nmap(['-sV', '-Pn', '-n', '-p', all.join(','), '-oX', '-', host]),
      nmap(['-sV', '--version-all', '--version-trace', '-Pn', '-n', '-p', mqttPorts.join(','), '-oX', xmlAllFile, host]).then(async (trace) => ({trace, xml: await readFile(xmlAllFile, 'utf8')})),
    ])
    const theirs = nmapServices(xmlDefault)
    for (const [p, s] of nmapServices(xmlAll.xml)) {
      // After its MQTT probe matched, nmap's version script mqtt-subscribe renames the service after the broker's
      // $SYS/broker/version (here "plugbroker 1.4.2"): take the name the last probe match gave (over TLS: first
      // "ssl", then "ssl/mqtt" from inside the tunnel).
      const probed = [...xmlAll.trace.matchAll(new RegExp(`hard match \\(Probe \\S+ matched with \\S+ line \\d+\\): [^\\s]+:${p} is (\\S+)`, 'g'))].at(-1)?.[1]
      theirs.set(p, probed ? {...s, name: probed.replace(/^ssl\//i, '')} : s)
    }
    const ours = new Map<number, IdentifiedService>(((found.observations.find((o) => o.probe === 'net.services')!.data as unknown as NetServicesData).services).map((s) => [s.port, s]))
    const rows: string[] = []
    let compared = 0
    let agree = 0
    const nmapUnknown: number[] = []
    for (const [port, uri] of labPorts) {
      const mine = ours.get(port)?.protocol
      // Our identification must name each lab port by the scheme the lab serves it under.
      expect(mine, `port ${port} (${uri})`).toBe(uri.slice(0, uri.indexOf(':')))
      const raw = theirs.get(port) ?? {}
      const their = fromNmap(raw)
      rows.push(`${port} ${uri.slice(0, uri.indexOf(':'))}: ours ${mine}, nmap ${raw.tunnel ? 'ssl/' : ''}${raw.name ?? '?'}`)
      if (their === undefined) {
        nmapUnknown.push(port)
        continue
      }
      if (their === 'tls' && mine !== 'tls') {
        // nmap "ssl/unknown": it saw TLS but could not name what is inside; we must have seen TLS too.
        expect(['https', 'mqtts', 'rtsps'], `port ${port}: nmap says ssl/unknown`).toContain(mine)
        nmapUnknown.push(port)
        continue
      }
      compared++
      if (their === mine) agree++
      expect(mine, `port ${port}: nmap says ${their}`).toBe(their)
    }
    console.log(`[discovery-nmap] -sV agreement: ${agree}/${compared} ports nmap identified; nmap could not name (the inner protocol of) ${nmapUnknown.length} of ${labPorts.size}\n  ${rows.join('\n  ')}`)
    expect(compared).toBeGreaterThanOrEqual(5)
    // Where nmap says "unknown", what we named is what the first reply bytes show.
    for (const port of nmapUnknown) {
      const s = ours.get(port)!
      if (s.protocol === 'http' || s.protocol === 'https') expect(s.banner, `port ${port}`).toMatch(/^HTTP\/1\.[01] \d{3}/)
    }
  }, 300_000)
})
