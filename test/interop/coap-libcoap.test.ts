/**
 * Interop: Debian libcoap3 `coap-server-notls` (plain UDP, its default resources) on a loopback address of its own,
 * on CoAP's registered port 5683. Our GET /.well-known/core must list the resources `coap-client-notls` lists, a
 * bare-host discovery must find the server on UDP 5683, and coap.unauth.discovery must fail.
 *
 * Nothing is skipped: a missing binary fails the suite (apt-get install libcoap3-bin).
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check} from '../../checks/coap/unauth-discovery.js'
import {discoverServices} from '../../src/engine/discovery.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import type {Service} from '../../src/evidence/types.js'
import {linkFormatPaths} from '../../src/probes/coap/message.js'
import type {CoapDiscoveryData} from '../../src/probes/coap/types.js'
import {coapRequest, runCoapDiscovery} from '../../src/probes/coap/unit.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {freshLoopback} from '../helpers/loopback.js'

const SERVER = process.env.SG17_COAP_SERVER ?? '/usr/bin/coap-server-notls'
const CLIENT = process.env.SG17_COAP_CLIENT ?? '/usr/bin/coap-client-notls'
const host = freshLoopback()
const port = 5683
let server: ChildProcess

beforeAll(async () => {
  for (const bin of [SERVER, CLIENT]) if (!existsSync(bin)) throw new Error(`${bin} not found: apt-get install libcoap3-bin (the CoAP interop test needs the real server)`)
  server = spawn(SERVER, ['-A', host, '-p', String(port)], {stdio: 'ignore'})
  for (let i = 0; i < 50; i++) {
    if (await coapRequest(host, port, ['.well-known', 'core'], 300).then(() => true, () => false)) return
  }
  throw new Error(`coap-server did not answer on ${host}:${port}`)
})

afterAll(() => {
  server?.kill()
})

describe('CoAP vs libcoap', () => {
  it('lists the resources coap-client lists; coap.unauth.discovery fails', async () => {
    const theirs = await new Promise<string>((resolve, reject) => execFile(CLIENT, ['-m', 'get', `coap://${host}:${port}/.well-known/core`], {timeout: 15_000}, (e, out) => (e ? reject(e) : resolve(out))))
    const service: Service = {id: `coap://${host}:${port}`, protocol: 'coap', host, port, transport: 'udp'}
    const e = await runCoapDiscovery({service, timeoutMs: 3000, signal: new AbortController().signal})
    expect(e.error).toBeUndefined()
    const d = e.data as unknown as CoapDiscoveryData
    expect(d.code).toBe('2.05')
    expect(d.resources).toEqual(linkFormatPaths(theirs))
    expect(d.resources.length).toBeGreaterThan(0)
    const r = check.evaluate({service, observations: {'coap.discovery': {id: 'o', service: service.id, probe: 'coap.discovery', collectedAt: '', data: e.data, artifacts: []}}, thresholds: DEFAULT_THRESHOLDS, now: new Date(), severity: check.defaultSeverity})
    expect(r.outcome).toBe('fail')
  })

  it('a bare-host discovery finds the CoAP server on UDP 5683', async () => {
    const found = await discoverServices(host, {ports: [1], portSpec: '1', portConcurrency: 1, timeoutMs: 2000, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date()})
    expect(found.services.map((s) => s.id)).toEqual([`coap://${host}:${port}`])
  })
})
