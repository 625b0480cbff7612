/**
 * Interop on Debian net-snmp `snmpd` (issue 11 items 1 and 8; issue 10 item 12), cross-checked with `snmpset` /
 * `snmpget` on the same daemon:
 *  - `rwcommunity private` + `rocommunity public`, sysLocation and sysContact set in snmpd.conf (net-snmp then makes
 *    them read-only: a SET answers notWritable even for `private`). Before: "Every SET was refused" →
 *    snmp.community.write PASS. Now: the write test goes on to sysName.0, whose SET to its own value succeeds →
 *    fail; `public` is refused by access control (v2c noAccess), its v1 noSuchName stays ambiguous;
 *  - the same with sysName set too: no SET succeeds, but v2c notWritable proves `private` got past access control →
 *    still fail. snmpset agrees on the classes: with `private` snmpSetSerialNo.0 answers wrongLength and sysName
 *    notWritable (past access control), with `public` both answer noAccess;
 *  - `createUser admin SHA …` + `rouser admin auth`: a noAuthNoPriv GET as admin gets authorizationError →
 *    not access (before: snmp.v3.noauthnopriv FAIL); `rouser vault priv`: the authNoPriv credential attempt is
 *    refused (authorizationError), authPriv accepted.
 *
 * Nothing is skipped: a missing snmpd, snmpset or snmpget fails the suite (`apt-get install -y snmpd snmp`).
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import snmp from 'net-snmp'
import {afterAll, describe, expect, it} from 'vitest'

import {check as communityWrite} from '../../checks/snmp/community-write.js'
import {check as noAuthNoPriv} from '../../checks/snmp/v3-noauthnopriv.js'
import type {Check} from '../../src/checks/types.js'
import {freeUdpPort} from '../../src/lab/snmp-service.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import type {SnmpCommunitiesData, SnmpV3Data} from '../../src/probes/snmp/types.js'
import {createSnmpProbeUnit} from '../../src/probes/snmp/unit.js'
import {parseSnmpV3Credentials} from '../../src/probes/snmp/v3-credentials.js'
import {DEFAULT_V3_USERS, v3UserId} from '../../src/probes/snmp/v3.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {makeSnmpContext} from '../helpers/snmp-context.js'

const run = promisify(execFile)
const SNMPD = process.env.SG17_SNMPD ?? '/usr/sbin/snmpd'
const SNMPSET = process.env.SG17_SNMPSET ?? '/usr/bin/snmpset'
const SNMPGET = process.env.SG17_SNMPGET ?? '/usr/bin/snmpget'
const SYS_NAME = '1.3.6.1.2.1.1.5.0'
const SYS_LOCATION = '1.3.6.1.2.1.1.6.0'
const SET_SERIAL_NO = '1.3.6.1.6.3.1.1.6.1.0'
const COMMUNITIES = [
  {id: 'lab-1', community: 'public'},
  {id: 'lab-2', community: 'private'},
]

for (const [name, path, pkg] of [['snmpd', SNMPD, 'snmpd'], ['snmpset', SNMPSET, 'snmp'], ['snmpget', SNMPGET, 'snmp']]) {
  if (!existsSync(path!)) throw new Error(`${name} not found at ${path}: apt-get install -y ${pkg}`)
}

interface Daemon {
  port: number
  stop(): Promise<void>
}
const daemons: Daemon[] = []
afterAll(async () => {
  for (const d of daemons) await d.stop()
})

async function startSnmpd(lines: string[]): Promise<Daemon> {
  const dir = await mkdtemp(join(tmpdir(), 'sg17-snmpd-access-'))
  const port = await freeUdpPort('127.0.0.1')
  const conf = join(dir, 'snmpd.conf')
  await writeFile(conf, [`[snmp] persistentDir ${dir}`, ...lines, ''].join('\n'))
  const child: ChildProcess = spawn(SNMPD, ['-f', '-Lo', '-C', '-I', '-smux', '-c', conf, '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`], {
    stdio: 'ignore',
    env: {...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: ''},
  })
  const daemon = {
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dir, {recursive: true, force: true})
    },
  }
  daemons.push(daemon)
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = snmp.createSession('127.0.0.1', 'public', {port, version: snmp.Version2c, retries: 0, timeout: 200})
      s.on('error', () => {})
      s.get(['1.3.6.1.2.1.1.1.0'], (err) => (s.close(), resolve(!err)))
    })
    if (ok) return daemon
  }
  throw new Error('snmpd did not come up')
}

/** stdout + stderr of a net-snmp tool, whatever its exit code. */
async function tool(file: string, args: string[]): Promise<{ok: boolean; out: string}> {
  return run(file, ['-t', '1', '-r', '1', ...args], {timeout: 30_000}).then(
    (r) => ({ok: true, out: r.stdout + r.stderr}),
    (e: {stdout?: string; stderr?: string}) => ({ok: false, out: (e.stdout ?? '') + (e.stderr ?? '')}),
  )
}

async function currentValue(port: number, oid: string): Promise<string> {
  const {out} = await tool(SNMPGET, ['-v2c', '-c', 'public', '-Oqv', `127.0.0.1:${port}`, oid])
  return out.trim().replace(/^"|"$/g, '')
}

function judge(check: Check, probe: string, e: ProbeEmission, port: number) {
  return check.evaluate({
    service: {id: `snmp://127.0.0.1:${port}`, protocol: 'snmp', host: '127.0.0.1', port, transport: 'udp'},
    observations: {[probe]: {id: 'o', service: 's', probe, collectedAt: '', data: e.data, artifacts: []}},
    thresholds: DEFAULT_THRESHOLDS,
    now: new Date(),
    severity: check.defaultSeverity,
  })
}

const byProbe = (emissions: ProbeEmission[]) => Object.fromEntries(emissions.map((e) => [e.probe, e]))

describe('SNMP write access on snmpd: rwcommunity private, rocommunity public, system objects set in snmpd.conf', () => {
  it('sysLocation notWritable does not hide write access: sysName SET succeeds → fail; snmpset agrees', async () => {
    const d = await startSnmpd(['rocommunity public 127.0.0.1', 'rwcommunity private 127.0.0.1', 'syslocation Server room 1', 'syscontact noc'])
    const nameBefore = await currentValue(d.port, SYS_NAME)
    const emissions = await createSnmpProbeUnit({communities: COMMUNITIES, maxCommunities: 2, intrusive: true, v3Users: []}).run(makeSnmpContext(d.port, {timeoutMs: 1000}))
    const c = byProbe(emissions)['snmp.communities']!
    const data = c.data as unknown as SnmpCommunitiesData
    const result = (id: string, version: string) => data.writeTest.results.find((r) => r.credentialId === id && r.version === version)!
    expect(result('lab-2', 'v2c')).toMatchObject({setAccepted: true, object: 'sysName.0', unchanged: true, verdict: 'write'})
    expect(result('lab-2', 'v2c').attempts![0]).toEqual({object: 'sysLocation.0', result: 'NotWritable', class: 'past-access-control'})
    expect(result('lab-2', 'v1')).toMatchObject({setAccepted: true, object: 'sysName.0', verdict: 'write'})
    expect(result('lab-1', 'v2c')).toMatchObject({setAccepted: false, verdict: 'denied'})
    expect(result('lab-1', 'v1')).toMatchObject({setAccepted: false, verdict: 'ambiguous'})
    expect(data.accepted.filter((a) => a.access === 'write').map((a) => `${a.credentialId}/${a.version}`).sort()).toEqual(['lab-2/v1', 'lab-2/v2c'])
    const r = judge(communityWrite, 'snmp.communities', c, d.port)
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('SET of sysName.0 accepted')
    expect(await currentValue(d.port, SYS_NAME)).toBe(nameBefore)
    // snmpset on the same daemon: sysLocation notWritable, sysName writable with private, noAccess with public.
    const loc = await tool(SNMPSET, ['-v2c', '-c', 'private', `127.0.0.1:${d.port}`, SYS_LOCATION, 's', 'Server room 1'])
    expect(loc.out).toMatch(/notWritable/)
    expect((await tool(SNMPSET, ['-v2c', '-c', 'private', `127.0.0.1:${d.port}`, SYS_NAME, 's', nameBefore])).ok).toBe(true)
    expect((await tool(SNMPSET, ['-v2c', '-c', 'public', `127.0.0.1:${d.port}`, SYS_NAME, 's', nameBefore])).out).toMatch(/noAccess/)
  }, 60_000)

  it('every system object read-only: notWritable alone proves write access → fail; snmpset sees the same classes', async () => {
    const d = await startSnmpd(['rocommunity public 127.0.0.1', 'rwcommunity private 127.0.0.1', 'syslocation Server room 1', 'syscontact noc', 'sysname box'])
    const emissions = await createSnmpProbeUnit({communities: COMMUNITIES, maxCommunities: 2, versions: ['v2c'], intrusive: true, v3Users: []}).run(makeSnmpContext(d.port, {timeoutMs: 1000}))
    const c = byProbe(emissions)['snmp.communities']!
    const data = c.data as unknown as SnmpCommunitiesData
    const priv = data.writeTest.results.find((r) => r.credentialId === 'lab-2')!
    expect(priv).toMatchObject({setAccepted: false, verdict: 'write'})
    expect(priv.attempts!.map((a) => a.result)).toEqual(['NotWritable', 'NotWritable', 'NotWritable'])
    const r = judge(communityWrite, 'snmp.communities', c, d.port)
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('refused only after access control')
    expect(data.writeTest.results.find((x) => x.credentialId === 'lab-1')).toMatchObject({verdict: 'denied'})
    const serial = await currentValue(d.port, SET_SERIAL_NO)
    expect(serial).toMatch(/^\d+$/)
    const set = (community: string, oid: string, type: string, value: string) => tool(SNMPSET, ['-v2c', '-c', community, `127.0.0.1:${d.port}`, oid, type, value])
    expect((await set('private', SET_SERIAL_NO, 'i', serial)).out).toMatch(/wrongLength|notWritable/)
    expect((await set('private', SYS_NAME, 's', 'box')).out).toMatch(/notWritable/)
    expect((await set('public', SET_SERIAL_NO, 'i', serial)).out).toMatch(/noAccess/)
    expect((await set('public', SYS_NAME, 's', 'box')).out).toMatch(/noAccess/)
  }, 60_000)

  it('a read-only agent: every SET refused by access control (v2c noAccess) → pass', async () => {
    const d = await startSnmpd(['rocommunity public 127.0.0.1'])
    const emissions = await createSnmpProbeUnit({communities: COMMUNITIES, maxCommunities: 2, versions: ['v2c'], intrusive: true, v3Users: []}).run(makeSnmpContext(d.port, {timeoutMs: 1000}))
    const c = byProbe(emissions)['snmp.communities']!
    expect(judge(communityWrite, 'snmp.communities', c, d.port).outcome).toBe('pass')
  }, 60_000)
})

describe('SNMPv3 authorizationError on snmpd (rouser admin auth / rouser vault priv)', () => {
  it('is not access: snmp.v3.noauthnopriv does not fail; snmpget sees the same authorizationError', async () => {
    const d = await startSnmpd([
      'rocommunity public 127.0.0.1',
      'createUser admin SHA adminpassphrase1',
      'rouser admin auth',
      'createUser vault SHA vaultauthphrase1 AES vaultprivphrase1',
      'rouser vault priv',
    ])
    const credentials = parseSnmpV3Credentials(
      '- {id: vault, user: vault, authProtocol: sha, authKeyEnv: VAULT_AUTH, privProtocol: aes, privKeyEnv: VAULT_PRIV}\n',
      'creds.yaml',
      {VAULT_AUTH: 'vaultauthphrase1', VAULT_PRIV: 'vaultprivphrase1'},
    )
    const emissions = await createSnmpProbeUnit({maxCommunities: 1, v3Credentials: credentials}).run(makeSnmpContext(d.port, {timeoutMs: 1000}))
    const v3 = byProbe(emissions)['snmp.v3']!
    const data = v3.data as unknown as SnmpV3Data
    expect(data.noAuthUsers.find((u) => u.credentialId === v3UserId(DEFAULT_V3_USERS.indexOf('admin')))).toMatchObject({accepted: false, outcome: 'authorization-error'})
    expect(data.noAuthUsers.filter((u) => u.accepted)).toEqual([])
    expect(judge(noAuthNoPriv, 'snmp.v3', v3, d.port).outcome).toBe('pass')
    expect(data.credentials.map((c) => [c.level, c.result])).toEqual([
      ['authPriv', 'accepted'],
      ['authNoPriv', 'refused'],
    ])
    expect(data.credentials[1]!.reason).toMatch(/authorizationError/)
    const get = await tool(SNMPGET, ['-v3', '-l', 'noAuthNoPriv', '-u', 'admin', `127.0.0.1:${d.port}`, '1.3.6.1.2.1.1.1.0'])
    expect(get.out).toMatch(/authorizationError/)
  }, 60_000)
})
