/**
 * Interop (issue 10 item 11): a community sweep of the 3,216-string SecLists list onesixtyone users run
 * (data/snmp/snmp-onesixtyone.txt, given as a lab `--communities` list) against Debian net-snmp `snmpd`, which
 * answers nothing at all to a wrong community and accepts `public` (line 1) and `zepplin` (line 3,200).
 * Before: the unit hit its 60 s budget (12 × the default 5 s timeout) and reported nothing, not even `public`.
 * Now the scan (default timeout, through scanDevices: the CLI's path and budget) must find the same communities as
 * `onesixtyone` on the same list and agent, with a complete observation. Wall times are bench/snmp.mjs's job.
 *
 * Nothing is skipped: a missing snmpd or onesixtyone fails the suite (`apt-get install -y snmpd onesixtyone`).
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import snmp from 'net-snmp'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/index.js'
import {freeUdpPort} from '../../src/lab/snmp-service.js'
import {loadCommunityFile} from '../../src/probes/snmp/community-file.js'
import type {SnmpCommunitiesData} from '../../src/probes/snmp/types.js'
import {projectPath} from '../../src/util/paths.js'

const run = promisify(execFile)
const SNMPD = process.env.SG17_SNMPD ?? '/usr/sbin/snmpd'
const ONESIXTYONE = process.env.SG17_ONESIXTYONE ?? '/usr/bin/onesixtyone'
const LIST = projectPath('data', 'snmp', 'snmp-onesixtyone.txt')

let dir = ''
let port = 0
let daemon: ChildProcess | undefined

beforeAll(async () => {
  for (const [name, path, pkg] of [['snmpd', SNMPD, 'snmpd'], ['onesixtyone', ONESIXTYONE, 'onesixtyone']]) {
    if (!existsSync(path!)) throw new Error(`${name} not found at ${path}: apt-get install -y ${pkg}`)
  }
  dir = await mkdtemp(join(tmpdir(), 'sg17-snmpd-sweep-'))
  port = await freeUdpPort('127.0.0.1')
  const conf = join(dir, 'snmpd.conf')
  await writeFile(conf, [`[snmp] persistentDir ${dir}`, 'rocommunity public 127.0.0.1', 'rocommunity zepplin 127.0.0.1', ''].join('\n'))
  daemon = spawn(SNMPD, ['-f', '-Lo', '-C', '-I', '-smux', '-c', conf, '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`], {stdio: 'ignore', env: {...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: ''}})
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = snmp.createSession('127.0.0.1', 'public', {port, version: snmp.Version2c, retries: 0, timeout: 200})
      s.on('error', () => {})
      s.get(['1.3.6.1.2.1.1.1.0'], (err) => (s.close(), resolve(!err)))
    })
    if (ok) return
  }
  throw new Error('snmpd did not come up')
}, 30_000)

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((resolve) => daemon!.once('exit', resolve))
    daemon.kill('SIGTERM')
    await exited
  }
  if (dir) await rm(dir, {recursive: true, force: true})
})

describe('3,216-string community sweep vs onesixtyone on snmpd', () => {
  it('finds the same communities as onesixtyone, with a complete observation', async () => {
    const list = loadCommunityFile(LIST)
    expect(list).toHaveLength(3216)
    const idOf = new Map(list.map((c) => [c.community, c.id]))
    const report = await scanDevices([{name: 'snmpd', targets: [`snmp://127.0.0.1:${port}`]}], {snmpCommunities: list})
    const obs = report.devices[0]!.observations.find((o) => o.probe === 'snmp.communities')!
    expect(obs.error, JSON.stringify(obs.error)).toBeUndefined()
    expect(obs.partial, JSON.stringify(obs.partial)).toBeUndefined()
    const data = obs.data as unknown as SnmpCommunitiesData
    expect(data.untried).toBe(0)
    const ours = (version: string) => data.accepted.filter((a) => a.version === version && a.credentialId.startsWith('lab-')).map((a) => a.credentialId).sort()
    expect(ours('v1')).toEqual(['lab-1', 'lab-3200'])
    expect(ours('v2c')).toEqual(['lab-1', 'lab-3200'])

    const {stdout} = await run(ONESIXTYONE, ['-c', LIST, '-w', '2', '-p', String(port), '127.0.0.1'], {timeout: 180_000, maxBuffer: 16 * 1024 * 1024})
    const theirs = [...new Set([...stdout.matchAll(/^127\.0\.0\.1 \[(.*?)\] /gm)].map((m) => idOf.get(m[1]!)))].sort()
    expect(theirs).toEqual(ours('v1'))
  }, 240_000)
})
