/**
 * SNMP probe unit against quirky agents (issue 10 item 12, issue 11 item 8):
 *  - the lab's authz-sensor answers a noAuthNoPriv GET of its user "admin" with authorizationError (net-snmp's
 *    `rouser admin auth`): that is no access — before, the user counted as accepted and snmp.v3.noauthnopriv failed;
 *  - a multi-homed agent answering from another address of the host (127.0.0.2 for a target 127.0.0.1): the answer
 *    carrying our request-id and community is accepted and recorded — before, every reply was "foreign";
 *  - an agent whose replies use 4-octet BER lengths (0x84 …) — before, discovery replies were `malformed`.
 */
import {createSocket, type Socket} from 'node:dgram'

import {afterAll, describe, expect, it} from 'vitest'

import {check as noAuthNoPriv} from '../../checks/snmp/v3-noauthnopriv.js'
import {authzSensor, openRouter} from '../../src/lab/devices/snmp-agent.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {berInt, berOctets, readElement, tlv} from '../../src/probes/snmp/ber.js'
import {parseCommunityReply} from '../../src/probes/snmp/community-pdu.js'
import {createSnmpProbeUnit} from '../../src/probes/snmp/unit.js'
import {DEFAULT_V3_USERS, v3UserId} from '../../src/probes/snmp/v3.js'
import type {SnmpCommunitiesData, SnmpV3Data} from '../../src/probes/snmp/types.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {makeSnmpContext} from '../helpers/snmp-context.js'

const byProbe = (emissions: ProbeEmission[]) => Object.fromEntries(emissions.map((e) => [e.probe, e]))
const closers: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const close of closers) await close()
})

describe('authorizationError is not access', () => {
  it('authz-sensor: the admin user is refused by access control; snmp.v3.noauthnopriv does not fail', async () => {
    const device = await authzSensor.start({host: '127.0.0.1', port: 0})
    closers.push(() => device.stop())
    const port = Number(new URL(device.targets[0]!).port)
    const emissions = await createSnmpProbeUnit({maxCommunities: 3}).run(makeSnmpContext(port, {timeoutMs: 400}))
    const v3 = byProbe(emissions)['snmp.v3']!
    expect(v3.error).toBeUndefined()
    const users = (v3.data as unknown as SnmpV3Data).noAuthUsers
    const admin = users.find((u) => u.credentialId === v3UserId(DEFAULT_V3_USERS.indexOf('admin')))!
    expect(admin).toMatchObject({accepted: false, outcome: 'authorization-error'})
    expect(users.filter((u) => u.accepted)).toEqual([])
    const observation = {id: 'o', service: 's', probe: 'snmp.v3', collectedAt: '', data: v3.data, artifacts: []}
    const r = noAuthNoPriv.evaluate({
      service: {id: `snmp://127.0.0.1:${port}`, protocol: 'snmp', host: '127.0.0.1', port, transport: 'udp'},
      observations: {'snmp.v3': observation},
      thresholds: DEFAULT_THRESHOLDS,
      now: new Date(),
      severity: 'high',
    })
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('authorization-error')
  })
})

/** Long-form lengths everywhere: 0x84 + four octets (BER allows it; some agents always encode so). */
function tlv4(tag: number, body: Buffer): Buffer {
  const len = Buffer.alloc(5)
  len[0] = 0x84
  len.writeUInt32BE(body.length, 1)
  return Buffer.concat([Buffer.from([tag]), len, body])
}

/** A GetResponse to a v1/v2c GET (same version, community and request-id), sysDescr = "quirky". */
function answer(req: Buffer, long = false): Buffer {
  const enc = long ? tlv4 : tlv
  const msg = readElement(req, 0, req.length)
  const version = readElement(req, msg.start, msg.end)
  const community = readElement(req, version.end, msg.end)
  const pdu = readElement(req, community.end, msg.end)
  const reqId = readElement(req, pdu.start, pdu.end)
  const varbind = enc(0x30, Buffer.concat([Buffer.from([0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00]), berOctets('quirky')]))
  const body = enc(0xa2, Buffer.concat([req.subarray(pdu.start, reqId.end), berInt(0), berInt(0), enc(0x30, varbind)]))
  return enc(0x30, Buffer.concat([berInt(version.end - version.start === 1 ? req[version.start]! : 0), berOctets(req.subarray(community.start, community.end)), body]))
}

async function bind(address: string, port = 0): Promise<Socket> {
  const s = createSocket('udp4')
  await new Promise<void>((resolve) => s.bind(port, address, () => resolve()))
  closers.push(() => new Promise<void>((resolve) => s.close(() => resolve())))
  return s
}

describe('replies matched by request-id and community, not by source address string', () => {
  it('a multi-homed agent answering from 127.0.0.2 is accepted and recorded; a stranger with a wrong id is not', async () => {
    const front = await bind('127.0.0.1')
    const port = front.address().port
    const back = await bind('127.0.0.2', port)
    front.on('message', (msg, rinfo) => {
      let community = ''
      try {
        community = parseCommunityReply(msg).community.toString()
      } catch {
        return // SNMPv3 discovery: this agent speaks v1/v2c only
      }
      if (community === 'public') back.send(answer(msg), rinfo.port, rinfo.address)
      if (community === 'private') {
        // A stranger's answer from elsewhere: right community, wrong request-id. Never accepted.
        const copy = Buffer.from(msg)
        const outer = readElement(copy, 0, copy.length)
        const version = readElement(copy, outer.start, outer.end)
        const comm = readElement(copy, version.end, outer.end)
        const pdu = readElement(copy, comm.end, outer.end)
        const reqId = readElement(copy, pdu.start, pdu.end)
        copy[reqId.end - 1] ^= 0x55
        back.send(answer(copy), rinfo.port, rinfo.address)
      }
    })
    const communities = [
      {id: 'lab-1', community: 'public'},
      {id: 'lab-2', community: 'private'},
      {id: 'lab-3', community: 'nobody'},
    ]
    const emissions = await createSnmpProbeUnit({communities, maxCommunities: 3, versions: ['v2c'], v3Users: []}).run(makeSnmpContext(port, {timeoutMs: 300}))
    const c = byProbe(emissions)['snmp.communities']!
    expect(c.error).toBeUndefined()
    const data = c.data as unknown as SnmpCommunitiesData
    expect(data.accepted).toEqual([{credentialId: 'lab-1', version: 'v2c', access: 'read'}])
    expect(data.anomalies.otherSource).toBe(1)
    expect(data.anomalies.otherSources).toEqual([`127.0.0.2:${port}`])
    expect(data.anomalies.foreign).toBe(1)
  })

  it('accepts 4-octet BER lengths (0x84) in replies', async () => {
    const agent = await bind('127.0.0.1')
    const port = agent.address().port
    agent.on('message', (msg, rinfo) => {
      try {
        if (parseCommunityReply(msg).community.toString() === 'public') agent.send(answer(msg, true), rinfo.port, rinfo.address)
      } catch {
        // not v1/v2c
      }
    })
    const emissions = await createSnmpProbeUnit({communities: [{id: 'lab-1', community: 'public'}], maxCommunities: 1, versions: ['v1', 'v2c'], v3Users: []}).run(
      makeSnmpContext(port, {timeoutMs: 300}),
    )
    const data = byProbe(emissions)['snmp.communities']!.data as unknown as SnmpCommunitiesData
    expect(data.accepted.map((a) => a.version)).toEqual(['v1', 'v2c'])
    expect(data.anomalies.malformed).toBe(0)
  })
})

describe('a sweep cut short keeps what it found (partial contract)', () => {
  it('cancelled mid-sweep: the community already found stays, the observation is partial with the untried count', async () => {
    const device = await openRouter.start({host: '127.0.0.1', port: 0})
    closers.push(() => device.stop())
    const port = Number(new URL(device.targets[0]!).port)
    const communities = [{id: 'lab-1', community: 'public'}, ...Array.from({length: 200}, (_, i) => ({id: `lab-${i + 2}`, community: `wrong-${i}`}))]
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 300)
    const emissions = await createSnmpProbeUnit({communities, maxCommunities: communities.length, intervalMs: 10, v3Users: []}).run(makeSnmpContext(port, {timeoutMs: 1000, signal: ac.signal}))
    const c = byProbe(emissions)['snmp.communities']!
    expect(c.error).toBeUndefined()
    const data = c.data as unknown as SnmpCommunitiesData
    expect(data.accepted.map((a) => a.credentialId)).toContain('lab-1')
    expect(data.untried).toBeGreaterThan(0)
    expect(c.partial).toMatchObject({code: 'aborted', missing: [`${data.untried} untried communities`]})
  })
})
