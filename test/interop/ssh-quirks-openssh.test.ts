/**
 * Interop on quirky SSH targets carried by a real daemon: Debian OpenSSH sshd (9.2) on 127.0.0.1, offering the
 * ssh-rsa (SHA-1) host-key algorithm beside rsa-sha2-*, reached directly and through the lab's quirk proxy
 * (src/lab/ssh-quirk-proxy.ts):
 *  - direct: ssh.hostkey.weak fails on ssh-rsa in the baseline, as ssh-audit does (`[fail] using weak hashing
 *    algorithm`); thresholds.allowSshRsaSha1 lets it pass;
 *  - a server that waits for the client's KEXINIT: our lists equal ssh-audit -j, nmap ssh2-enum-algos and the
 *    OpenSSH client's view (`ssh -vv`, "peer server KEXINIT proposal");
 *  - 300 pre-banner lines, some 2,000 bytes long: our lists equal the OpenSSH client's and ssh-audit -j's (nmap 7.93's
 *    ssh2-enum-algos prints nothing for this target, so it is not a peer here).
 * The empty-name quirk has no real daemon carrying it (OpenSSH never sends one): see test/integration/ssh-quirks.
 *
 * Nothing is skipped: a missing sshd, ssh, ssh-keygen, ssh-audit or nmap fails the suite
 * (`apt-get install -y openssh-server openssh-client ssh-audit nmap`).
 */
import {execFile, spawn} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check as hostkeyWeak} from '../../checks/ssh/hostkey-weak.js'
import {QUIRKY_PRE_BANNER_LINES} from '../../src/lab/devices/quirky-ssh.js'
import type {StartedDevice} from '../../src/lab/devices/types.js'
import {startSshQuirkProxy} from '../../src/lab/ssh-quirk-proxy.js'
import {DEFAULT_THRESHOLDS, type Thresholds} from '../../src/profiles/thresholds.js'
import {sshProbeUnit} from '../../src/probes/ssh/unit.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {makeProbeContext} from '../helpers/probe-context.js'
import {freePort} from '../helpers/sshd.js'

const run = promisify(execFile)
const SSHD = process.env.SG17_SSHD ?? '/usr/sbin/sshd'
const SSH = process.env.SG17_SSH ?? '/usr/bin/ssh'
const SSH_KEYGEN = process.env.SG17_SSH_KEYGEN ?? '/usr/bin/ssh-keygen'
const SSH_AUDIT = process.env.SG17_SSH_AUDIT ?? '/usr/bin/ssh-audit'
const NMAP = process.env.SG17_NMAP ?? '/usr/bin/nmap'
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']

let dir = ''
let sshdPort = 0
let stopSshd: (() => Promise<void>) | undefined
let waits: StartedDevice | undefined
let chatty: StartedDevice | undefined
const portOf = (d: StartedDevice) => Number(new URL(d.targets[0]!).port)

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({host: '127.0.0.1', port})
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

/** Output of a tool that may exit non-zero after printing its findings. */
async function output(file: string, args: string[]): Promise<{stdout: string; stderr: string}> {
  return run(file, args, {timeout: 60_000, maxBuffer: 16 * 1024 * 1024}).catch((e: {stdout?: string; stderr?: string; message: string}) => {
    if (e.stdout !== undefined || e.stderr !== undefined) return {stdout: e.stdout ?? '', stderr: e.stderr ?? ''}
    throw e
  })
}

async function probe(port: number): Promise<Record<string, ProbeEmission>> {
  const ctx = makeProbeContext(port, {timeoutMs: 5000})
  ctx.service = {...ctx.service, id: `ssh://127.0.0.1:${port}`, protocol: 'ssh'}
  return Object.fromEntries((await sshProbeUnit.run(ctx)).map((e) => [e.probe, e]))
}

interface Lists {
  kex: string[]
  hostKey: string[]
  ciphers: string[]
  macs: string[]
}

const ours = (r: Record<string, ProbeEmission>): Lists => {
  const d = r['ssh.kexinit']!.data as unknown as Lists
  return {kex: d.kex, hostKey: d.hostKey, ciphers: d.ciphers, macs: d.macs}
}

/** The server's lists as the OpenSSH client logs them (`ssh -vv`: "peer server KEXINIT proposal"). */
async function opensshView(port: number): Promise<Lists> {
  const {stderr} = await output(SSH, ['-vv', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-p', String(port), 'sg17scan-probe@127.0.0.1', 'true'])
  const peer = stderr.slice(stderr.indexOf('peer server KEXINIT proposal'))
  const list = (label: string) => (peer.match(new RegExp(`debug2: ${label}: (.*)`))?.[1] ?? '').split(',').filter(Boolean)
  expect(peer.length, `ssh -vv did not log the server's proposal:\n${stderr.slice(-2000)}`).toBeGreaterThan(0)
  return {kex: list('KEX algorithms'), hostKey: list('host key algorithms'), ciphers: list('ciphers stoc'), macs: list('MACs stoc')}
}

async function sshAuditView(port: number): Promise<Lists> {
  const {stdout} = await output(SSH_AUDIT, ['-j', `127.0.0.1:${port}`])
  const a = JSON.parse(stdout) as {kex: Array<{algorithm: string}>; key: Array<{algorithm: string}>; enc: string[]; mac: string[]}
  return {kex: a.kex.map((e) => e.algorithm), hostKey: a.key.map((e) => e.algorithm), ciphers: a.enc, macs: a.mac}
}

async function nmapView(port: number): Promise<Lists> {
  const {stdout} = await output(NMAP, ['-Pn', '-p', String(port), '--script', '+ssh2-enum-algos', '127.0.0.1'])
  const section = (name: string) => {
    const m = stdout.match(new RegExp(`\\|   ${name}: \\(\\d+\\)\\n((?:\\|[_ ]      .*\\n)*)`))
    return (m?.[1] ?? '').split('\n').map((l) => l.replace(/^\|[_ ]\s+/, '').trim()).filter(Boolean)
  }
  return {kex: section('kex_algorithms'), hostKey: section('server_host_key_algorithms'), ciphers: section('encryption_algorithms'), macs: section('mac_algorithms')}
}

function hostkeyWeakWith(r: Record<string, ProbeEmission>, thresholds: Thresholds) {
  const obs = (p: string) => ({id: p, service: 'ssh://x', probe: p, collectedAt: '', data: r[p]!.data, artifacts: []})
  return hostkeyWeak.evaluate({
    service: {id: 'ssh://127.0.0.1:22', protocol: 'ssh', host: '127.0.0.1', port: 22, transport: 'tcp'},
    observations: {'ssh.kexinit': obs('ssh.kexinit'), 'ssh.hostkeys': obs('ssh.hostkeys')},
    thresholds,
    now: new Date(),
    severity: hostkeyWeak.defaultSeverity,
  })
}

beforeAll(async () => {
  for (const [name, path, pkg] of [
    ['sshd', SSHD, 'openssh-server'],
    ['ssh', SSH, 'openssh-client'],
    ['ssh-keygen', SSH_KEYGEN, 'openssh-client'],
    ['ssh-audit', SSH_AUDIT, 'ssh-audit'],
    ['nmap', NMAP, 'nmap'],
  ]) {
    if (!existsSync(path!)) throw new Error(`${name} not found at ${path}: apt-get install -y ${pkg}`)
  }
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', {recursive: true, mode: 0o755})
  dir = await mkdtemp(join(tmpdir(), 'sg17-sshd-quirks-'))
  await Promise.all([
    run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'ed25519')]),
    run(SSH_KEYGEN, ['-q', '-t', 'rsa', '-b', '3072', '-N', '', '-f', join(dir, 'rsa')]),
  ])
  sshdPort = await freePort()
  const conf = join(dir, 'sshd.conf')
  await writeFile(
    conf,
    [
      'ListenAddress 127.0.0.1',
      `Port ${sshdPort}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'StrictModes no',
      'LogLevel ERROR',
      `HostKey ${join(dir, 'ed25519')}`,
      `HostKey ${join(dir, 'rsa')}`,
      `HostKeyAlgorithms ${HOST_KEY_ALGORITHMS.join(',')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      '',
    ].join('\n'),
  )
  const child = spawn(SSHD, ['-D', '-e', '-f', conf], {stdio: ['ignore', 'ignore', 'pipe']})
  let log = ''
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()))
  stopSshd = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  for (let i = 0; i < 200 && !(await listening(sshdPort)); i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  const upstream = {host: '127.0.0.1', port: sshdPort}
  waits = await startSshQuirkProxy(upstream, {waitForClientKexinit: true}, '127.0.0.1', 0)
  chatty = await startSshQuirkProxy(upstream, {preBannerLines: QUIRKY_PRE_BANNER_LINES}, '127.0.0.1', 0)
}, 60_000)

afterAll(async () => {
  await waits?.stop()
  await chatty?.stop()
  await stopSshd?.()
  if (dir) await rm(dir, {recursive: true, force: true})
})

describe('OpenSSH offering ssh-rsa beside rsa-sha2-*', () => {
  it('ssh.hostkey.weak fails on ssh-rsa in the baseline, as ssh-audit does; allowSshRsaSha1 lets it pass', async () => {
    const r = await probe(sshdPort)
    expect(r['ssh.kexinit']!.data.hostKey).toEqual(HOST_KEY_ALGORITHMS)
    const {stdout} = await output(SSH_AUDIT, ['-n', '-l', 'fail', `127.0.0.1:${sshdPort}`])
    const auditFails = [...stdout.matchAll(/^\(key\) (\S+).*\[fail\]/gm)].map((m) => m[1])
    expect(auditFails).toEqual(['ssh-rsa'])
    const baseline = hostkeyWeakWith(r, DEFAULT_THRESHOLDS)
    expect(baseline.outcome).toBe('fail')
    expect(baseline.message).toContain('ssh-rsa offered (RSA signatures with SHA-1')
    expect(hostkeyWeakWith(r, {...DEFAULT_THRESHOLDS, allowSshRsaSha1: true}).outcome).toBe('pass')
  })
})

describe('OpenSSH behind a proxy that holds the server KEXINIT until the client has sent its own', () => {
  it('every observation complete; lists equal ssh-audit, nmap ssh2-enum-algos and the OpenSSH client', async () => {
    const port = portOf(waits!)
    const r = await probe(port)
    for (const e of Object.values(r)) expect(e.error, `${e.probe}: ${JSON.stringify(e.error)}`).toBeUndefined()
    const mine = ours(r)
    expect(mine.hostKey).toEqual(HOST_KEY_ALGORITHMS)
    expect(mine).toEqual(await opensshView(port))
    expect(mine).toEqual(await sshAuditView(port))
    expect(mine).toEqual(await nmapView(port))
    expect((r['ssh.hostkeys']!.data.keys as Array<{type?: string}>).map((k) => k.type)).toEqual(['ssh-ed25519', 'ssh-rsa', 'ssh-rsa', 'ssh-rsa'])
  })
})

describe('OpenSSH behind a proxy that sends 300 pre-banner lines (some 2,000 bytes)', () => {
  it('every observation complete; lists equal the OpenSSH client and ssh-audit; lines counted', async () => {
    const port = portOf(chatty!)
    const r = await probe(port)
    for (const e of Object.values(r)) expect(e.error, `${e.probe}: ${JSON.stringify(e.error)}`).toBeUndefined()
    expect(ours(r)).toEqual(await opensshView(port))
    expect(ours(r)).toEqual(await sshAuditView(port))
    expect(r['ssh.kexinit']!.data.preBannerLineCount).toBe(QUIRKY_PRE_BANNER_LINES.length)
  })
})
