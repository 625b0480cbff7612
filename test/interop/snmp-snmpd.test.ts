/**
 * Interop: Debian net-snmp `snmpd` (5.9) on 127.0.0.1:<high port> with its own configuration file:
 * rocommunity public + ILMI, rwcommunity private, a noAuthNoPriv SNMPv3 user "initial", and a sysContact
 * holding a fictitious person. The communities the SNMP probe unit accepts must agree with `onesixtyone`
 * (SNMPv1) and with nmap's `snmp-brute` script, both run over the same list (the 118-string SecLists common
 * list = the first 118 rows of data/snmp/communities.json).
 *
 * Nothing is skipped: a missing snmpd, onesixtyone or nmap fails the suite (CI installs `snmpd snmp onesixtyone nmap`).
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import snmp from 'net-snmp'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {freeUdpPort} from '../../src/lab/snmp-service.js'
import {communityDataset} from '../../src/probes/snmp/dataset.js'
import {createSnmpProbeUnit} from '../../src/probes/snmp/unit.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {interopSuite, toolPath, TOOLS} from '../helpers/interop-tools.js'
import {makeSnmpContext} from '../helpers/snmp-context.js'

const run = promisify(execFile)
const SNMPD = toolPath(TOOLS.snmpd)
const ONESIXTYONE = toolPath(TOOLS.onesixtyone)
const NMAP = toolPath(TOOLS.nmap)
const LIST_SIZE = 118

let dir: string
let port: number
let daemon: ChildProcess | undefined
let listFile: string
const candidates = communityDataset().communities.slice(0, LIST_SIZE)
const idOf = new Map(candidates.map((c) => [c.community, c.id]))

async function ready(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = snmp.createSession('127.0.0.1', 'public', {port, version: snmp.Version2c, retries: 0, timeout: 200})
      s.on('error', () => {})
      s.get(['1.3.6.1.2.1.1.1.0'], (err) => {
        s.close()
        resolve(!err)
      })
    })
    if (ok) return
  }
  throw new Error('snmpd did not come up')
}

async function startSnmpd(): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'sg17-snmpd-'))
  port = await freeUdpPort('127.0.0.1')
  const conf = join(dir, 'snmpd.conf')
  await writeFile(
    conf,
    [
      `[snmp] persistentDir ${dir}`,
      'rocommunity public 127.0.0.1',
      'rocommunity ILMI 127.0.0.1',
      'rwcommunity private 127.0.0.1',
      'syscontact Jane Doe <jane.doe@example.net> +44 20 7946 0958',
      'createUser initial',
      'rouser initial noauth',
      '',
    ].join('\n'),
  )
  listFile = join(dir, 'communities.txt')
  await writeFile(listFile, `${candidates.map((c) => c.community).join('\n')}\n`)
  daemon = spawn(SNMPD, ['-f', '-Lo', '-C', '-I', '-smux', '-c', conf, '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`], {
    stdio: 'ignore',
    env: {...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: ''},
  })
  await ready()
}

async function stopSnmpd(): Promise<void> {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((resolve) => daemon!.once('exit', resolve))
    daemon.kill('SIGTERM')
    await exited
  }
  if (dir) await rm(dir, {recursive: true, force: true})
}

function sysLocation(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = snmp.createSession('127.0.0.1', 'public', {port, version: snmp.Version2c, retries: 1, timeout: 1000})
    s.on('error', () => {})
    s.get(['1.3.6.1.2.1.1.6.0'], (err, vbs) => {
      s.close()
      if (err) reject(err)
      else resolve(String(vbs?.[0]?.value))
    })
  })
}

function byProbe(emissions: ProbeEmission[]): Record<string, ProbeEmission> {
  return Object.fromEntries(emissions.map((e) => [e.probe, e]))
}

interopSuite('SNMP probe unit vs snmpd, onesixtyone and nmap snmp-brute', [TOOLS.snmpd, TOOLS.onesixtyone, TOOLS.nmap], () => {
  beforeAll(startSnmpd)
  afterAll(stopSnmpd)

  let emissions: ProbeEmission[]
  let accepted: Array<{credentialId: string; version: string; access: string}>
  let locationBefore: string

  beforeAll(async () => {
    locationBefore = await sysLocation()
    emissions = await createSnmpProbeUnit({maxCommunities: LIST_SIZE, intrusive: true}).run(makeSnmpContext(port, {timeoutMs: 800}))
    accepted = (byProbe(emissions)['snmp.communities']!.data as {accepted: typeof accepted}).accepted
  })

  it('finds public, ILMI (read) and private (write) for v1 and v2c', () => {
    expect(emissions.every((e) => e.error === undefined)).toBe(true)
    const expected = ['public', 'ILMI', 'private'].map((c) => idOf.get(c)!).sort()
    for (const v of ['v1', 'v2c']) expect(accepted.filter((a) => a.version === v).map((a) => a.credentialId).sort()).toEqual(expected)
    expect(accepted.filter((a) => a.access === 'write').map((a) => a.credentialId)).toEqual([idOf.get('private'), idOf.get('private')])
  })

  it('agrees with onesixtyone (SNMPv1)', async () => {
    const {stdout} = await run(ONESIXTYONE, ['-c', listFile, '-p', String(port), '127.0.0.1'], {timeout: 60_000})
    const found = new Set([...stdout.matchAll(/^127\.0\.0\.1 \[(.*?)\] /gm)].map((m) => idOf.get(m[1]!)))
    const ours = new Set(accepted.filter((a) => a.version === 'v1').map((a) => a.credentialId))
    expect([...found].sort()).toEqual([...ours].sort())
  })

  it('agrees with nmap snmp-brute', async () => {
    const {stdout} = await run(NMAP, ['-sU', '-p', String(port), '--script', '+snmp-brute', '--script-args', `snmp-brute.communitiesdb=${listFile}`, '127.0.0.1'], {timeout: 120_000})
    const found = new Set([...stdout.matchAll(/^\|[_ ]\s+(\S.*?) - Valid credentials/gm)].map((m) => idOf.get(m[1]!)))
    expect(found.size).toBeGreaterThan(0)
    const ours = new Set(accepted.map((a) => a.credentialId))
    expect([...found].sort()).toEqual([...ours].sort())
  })

  it('discovers the engine, finds the noAuth user, masks the sysContact', () => {
    const p = byProbe(emissions)
    const v3 = p['snmp.v3']!.data as {discovered: boolean; engineEnterprise: number; noAuthUsers: Array<{credentialId: string; accepted: boolean}>}
    expect(v3.discovered).toBe(true)
    expect(v3.engineEnterprise).toBe(8072) // net-snmp's enterprise number
    expect(v3.noAuthUsers.filter((u) => u.accepted).map((u) => u.credentialId)).toEqual(['snmpv3-user-2'])
    const sys = p['snmp.system']!.data as {sysContact: string; sysDescr: string}
    expect(sys.sysContact).toBe('J*** D*** <j***@e***.net> +** ** **** **58')
    expect(sys.sysDescr.length).toBeGreaterThan(0)
    const json = JSON.stringify(emissions)
    for (const secret of ['public', 'private', 'ILMI', 'initial', 'Jane', 'jane.doe', '7946']) expect(json).not.toContain(secret)
  })

  it('the write test left sysLocation unchanged', async () => {
    const results = (byProbe(emissions)['snmp.communities']!.data as {writeTest: {results: Array<{setAccepted: boolean; unchanged: boolean | null}>}}).writeTest.results
    expect(results.filter((r) => r.setAccepted).length).toBe(2)
    expect(results.filter((r) => r.setAccepted).every((r) => r.unchanged === true)).toBe(true)
    expect(await sysLocation()).toBe(locationBefore)
  })
})
