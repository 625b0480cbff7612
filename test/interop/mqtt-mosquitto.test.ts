/**
 * Interop: Debian mosquitto 2.x in an anonymous and a password-file configuration, each on a loopback address of
 * its own, started by this test. Our anonymous CONNECT (3.1.1 and 5.0, mqtt package) must be accepted / refused
 * exactly as mosquitto_sub's is, and the intrusive subscription must see the same (non-$SYS) topics an anonymous
 * mosquitto_sub sees. A bare-host discovery must identify the broker as MQTT. The password file also holds one
 * default credential of the dataset: the credential module (cred.default.mqtt) must find exactly that pair that
 * mosquitto_sub -u/-P finds walking the same candidate list (pairs are compared by credential id, never printed).
 * Debian's hydra 9.4 has no mqtt module (`Unknown service: mqtt`), so mosquitto's own client is the reference.
 *
 * Nothing is skipped: a missing mosquitto or mosquitto_sub fails the suite (apt-get install mosquitto mosquitto-clients).
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check as anonymousCheck} from '../../checks/mqtt/auth-anonymous.js'
import {check as cleartextCheck} from '../../checks/mqtt/cleartext.js'
import {discoverServices} from '../../src/engine/discovery.js'
import {tcpConnectOnce} from '../../src/engine/ports/tcp-connect.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import type {Observation} from '../../src/evidence/types.js'
import type {MqttSessionData, MqttSubscriptionData} from '../../src/probes/mqtt/types.js'
import {runMqttSession, runMqttSubscription} from '../../src/probes/mqtt/unit.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {check as defaultMqttCheck} from '../../checks/cred/default-mqtt.js'
import {selectCandidates} from '../../src/probes/cred/dataset.js'
import {loginContext, loginPolicy} from '../../src/probes/cred/policy.js'
import type {CredAttemptsData, CredentialCandidate} from '../../src/probes/cred/types.js'
import {credProbeUnit} from '../../src/probes/cred/unit.js'
import {DEFAULT_CREDENTIAL_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {freshLoopback} from '../helpers/loopback.js'
import {makeProbeContext} from '../helpers/probe-context.js'

const MOSQUITTO = process.env.SG17_MOSQUITTO ?? '/usr/sbin/mosquitto'
const MOSQUITTO_SUB = process.env.SG17_MOSQUITTO_SUB ?? '/usr/bin/mosquitto_sub'
const MOSQUITTO_PUB = process.env.SG17_MOSQUITTO_PUB ?? '/usr/bin/mosquitto_pub'
const MOSQUITTO_PASSWD = process.env.SG17_MOSQUITTO_PASSWD ?? '/usr/bin/mosquitto_passwd'

/** The default candidates a broker is tried with (the default policy's order, no lab file) and the one pair the
 *  password file also holds: a device default in the middle of the budget, not the first candidate. */
const CANDIDATES: CredentialCandidate[] = selectCandidates({lists: DEFAULT_CREDENTIAL_THRESHOLDS.lists.filter((l) => l !== 'lab'), maxPerList: 20}, 'mqtt', {}).slice(0, 20)
const PLANTED = CANDIDATES.find((c) => c.username === 'pi' && c.password === 'raspberry')!

/** Fictitious personal data (example.net, an Ofcom drama number). */
const RETAINED: Array<[string, string]> = [
  ['home/plug1/state', '{"on":true}'],
  ['home/plug1/owner', '{"name":"Jane Doe","email":"jane.doe@example.net","phone":"+44 20 7946 0958"}'],
  ['home/thermo/setpoint', '21.5'],
]

interface Broker {
  host: string
  port: number
  daemon: ChildProcess
}

function exec(file: string, args: string[], timeoutMs = 15_000): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(file, args, {timeout: timeoutMs}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr})
    })
  })
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, host, () => {
      const {port} = s.address() as {port: number}
      s.close(() => resolve(port))
    })
  })
}

let dir: string
const brokers: Broker[] = []

async function startBroker(lines: string[]): Promise<Broker> {
  const host = freshLoopback()
  const port = await freePort(host)
  const conf = join(dir, `mosquitto-${brokers.length}.conf`)
  await writeFile(conf, [`listener ${port} ${host}`, 'persistence false', ...lines, ''].join('\n'))
  const daemon = spawn(MOSQUITTO, ['-c', conf], {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  daemon.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const broker = {host, port, daemon}
  brokers.push(broker)
  for (let i = 0; i < 100; i++) {
    if ((await tcpConnectOnce(host, 4, port, 500)).state === 'open') return broker
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`mosquitto did not come up on ${host}:${port}: ${stderr.slice(-500)}`)
}

function mqttContext(b: Broker) {
  const ctx = makeProbeContext(b.port, {host: b.host, timeoutMs: 3000})
  Object.assign(ctx, {service: {...ctx.service, id: `mqtt://${b.host}:${b.port}`, protocol: 'mqtt'}})
  return ctx
}

function judge(check: typeof anonymousCheck, e: ProbeEmission, b: Broker) {
  const service = {id: `mqtt://${b.host}:${b.port}`, protocol: 'mqtt' as const, host: b.host, port: b.port, transport: 'tcp' as const}
  const o: Observation = {id: 'obs-x', service: service.id, probe: e.probe, collectedAt: new Date().toISOString(), data: e.data, artifacts: []}
  return check.evaluate({service, observations: {[e.probe]: o}, thresholds: DEFAULT_THRESHOLDS, now: new Date(), severity: check.defaultSeverity})
}

/** Distinct topics an anonymous mosquitto_sub sees on # and $SYS/# within `seconds` (-v prints "topic payload"). */
async function mosquittoSubTopics(b: Broker, seconds: number, extra: string[] = []): Promise<{code: number; topics: string[]; stderr: string}> {
  const r = await exec(MOSQUITTO_SUB, ['-h', b.host, '-p', String(b.port), '-t', '#', '-t', '$SYS/#', '-v', '-W', String(seconds), ...extra])
  const topics = [...new Set(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]))]
  return {code: r.code, topics, stderr: r.stderr}
}

let anonymous: Broker
let passworded: Broker

beforeAll(async () => {
  for (const bin of [MOSQUITTO, MOSQUITTO_SUB, MOSQUITTO_PUB, MOSQUITTO_PASSWD]) {
    if (!existsSync(bin)) throw new Error(`${bin} not found: apt-get install mosquitto mosquitto-clients (the MQTT interop tests need the real broker)`)
  }
  expect(PLANTED, 'pi/raspberry among the first 20 MQTT candidates').toBeDefined()
  dir = await mkdtemp(join(tmpdir(), 'sg17-mosquitto-'))
  anonymous = await startBroker(['allow_anonymous true'])
  for (const [topic, payload] of RETAINED) {
    const r = await exec(MOSQUITTO_PUB, ['-h', anonymous.host, '-p', String(anonymous.port), '-r', '-t', topic, '-m', payload])
    expect(r.code, r.stderr).toBe(0)
  }
  const pwFile = join(dir, 'passwords')
  const pw = await exec(MOSQUITTO_PASSWD, ['-b', '-c', pwFile, 'sensor', 'S3nsor-lab-only'])
  expect(pw.code, pw.stderr).toBe(0)
  // One default credential of the dataset, as a device would ship it.
  const planted = await exec(MOSQUITTO_PASSWD, ['-b', pwFile, PLANTED.username, PLANTED.password])
  expect(planted.code, planted.stderr).toBe(0)
  // Started as root, mosquitto drops to its own user before it reads the password file.
  await chmod(dir, 0o755)
  await chmod(pwFile, 0o644)
  passworded = await startBroker(['allow_anonymous false', `password_file ${pwFile}`])
}, 60_000)

afterAll(async () => {
  for (const b of brokers) b.daemon.kill()
  if (dir) await rm(dir, {recursive: true, force: true})
})

describe('mosquitto, anonymous configuration', () => {
  it('both versions accept an anonymous CONNECT, as mosquitto_sub is accepted; the checks fail', async () => {
    const e = await runMqttSession(mqttContext(anonymous))
    expect(e.error).toBeUndefined()
    const d = e.data as unknown as MqttSessionData
    expect(d.attempts.map((a) => [a.version, a.result, a.code])).toEqual([['3.1.1', 'accepted', 0], ['5.0', 'accepted', 0]])
    const sub = await mosquittoSubTopics(anonymous, 1)
    expect(sub.stderr).not.toMatch(/refused|not authori[sz]ed/i)
    expect(judge(anonymousCheck, e, anonymous).outcome).toBe('fail')
    expect(judge(cleartextCheck, e, anonymous).outcome).toBe('fail')
  })

  it('the bounded subscription sees the topics mosquitto_sub sees and counts the personal data without keeping it', async () => {
    const [ours, theirs] = await Promise.all([runMqttSubscription(mqttContext(anonymous)), mosquittoSubTopics(anonymous, 3)])
    const d = ours.data as unknown as MqttSubscriptionData
    const theirUser = theirs.topics.filter((t) => !t.startsWith('$SYS/'))
    expect(theirUser.sort()).toEqual(RETAINED.map(([t]) => t).sort())
    expect(d.topics - d.sysTopics).toBe(theirUser.length)
    // mosquitto publishes its $SYS tree retained: both subscribers see some of it.
    expect(theirs.topics.length - theirUser.length).toBeGreaterThan(0)
    expect(d.sysTopics).toBeGreaterThan(0)
    expect(d.pii.map((p) => p.type).sort()).toEqual(['email', 'person-name', 'phone'])
    expect(d.piiTopics).toEqual(['h***/p***/o***'])
    expect(JSON.stringify(ours)).not.toMatch(/jane|example\.net|7946|plug1|thermo/i)
  })

  it('the subscription reads the broker version mosquitto_sub reads on $SYS/broker/version (an identity field)', async () => {
    const [ours, theirs] = await Promise.all([
      runMqttSubscription(mqttContext(anonymous)),
      exec(MOSQUITTO_SUB, ['-h', anonymous.host, '-p', String(anonymous.port), '-t', '$SYS/broker/version', '-C', '1', '-W', '3']),
    ])
    expect(theirs.stdout.trim()).toMatch(/^mosquitto version /)
    expect((ours.data as unknown as MqttSubscriptionData).brokerVersion).toBe(theirs.stdout.trim())
  })

  it('a bare-host discovery identifies the broker as MQTT by its CONNACK', async () => {
    const found = await discoverServices(anonymous.host, {ports: [anonymous.port], portSpec: String(anonymous.port), portConcurrency: 4, timeoutMs: 3000, semaphore: new Semaphore(2), stats: {connections: 0}, now: () => new Date()})
    expect(found.services.map((s) => s.id)).toEqual([`mqtt://${anonymous.host}:${anonymous.port}`])
  })
})

describe('mosquitto, password-file configuration', () => {
  it('both versions refuse an anonymous CONNECT (not authorised), as mosquitto_sub is refused; anonymous check passes', async () => {
    const e = await runMqttSession(mqttContext(passworded))
    const d = e.data as unknown as MqttSessionData
    expect(d.attempts.map((a) => [a.version, a.result, a.code])).toEqual([['3.1.1', 'refused', 5], ['5.0', 'refused', 135]])
    const anon = await mosquittoSubTopics(passworded, 1)
    expect(anon.code).not.toBe(0)
    expect(anon.stderr).toMatch(/not authori[sz]ed/i)
    // The broker itself works for a client with the password.
    const authed = await mosquittoSubTopics(passworded, 1, ['-u', 'sensor', '-P', 'S3nsor-lab-only'])
    expect(authed.stderr).not.toMatch(/not authori[sz]ed|refused/i)
    expect(judge(anonymousCheck, e, passworded).outcome).toBe('pass')
    expect(judge(cleartextCheck, e, passworded).outcome).toBe('fail')
    const sub = await runMqttSubscription(mqttContext(passworded))
    expect(sub.data).toMatchObject({connected: false, messages: 0})
  })
})

/** The first candidate mosquitto_sub logs in with (-E: exit once subscribed), walking the list in order. */
async function mosquittoSubFinds(b: Broker, candidates: CredentialCandidate[]): Promise<string | undefined> {
  for (const c of candidates) {
    const r = await exec(MOSQUITTO_SUB, ['-h', b.host, '-p', String(b.port), '-t', '#', '-E', '-u', c.username, '-P', c.password])
    if (r.code === 0) return c.id
    expect(r.stderr, `candidate ${c.id}`).toMatch(/not authori[sz]ed/i)
  }
  return undefined
}

describe('mosquitto, password file holding a default credential (cred.default.mqtt, intrusive)', () => {
  it('the credential module finds the pair mosquitto_sub -u/-P finds on the same list; no password in the evidence', async () => {
    const ctx = Object.assign(mqttContext(passworded), {login: loginContext(loginPolicy(DEFAULT_CREDENTIAL_THRESHOLDS, {delayMs: 0})), intrusive: true})
    const [emission] = await credProbeUnit.run(ctx)
    const d = emission!.data as unknown as CredAttemptsData
    expect(d.mechanism).toBe('mqtt-connect-3.1.1')
    expect(d.negativeControl.result).toBe('rejected')
    expect(d.stoppedBy).toBe('success')
    expect(d.success?.credentialId).toBe(PLANTED.id)
    expect(d.attempts.at(-1)).toMatchObject({credentialId: PLANTED.id, result: 'accepted'})
    expect(d.attempts.slice(0, -1).every((a) => a.result === 'rejected')).toBe(true)
    expect(JSON.stringify(emission)).not.toContain(PLANTED.password)
    const finding = judge(defaultMqttCheck as unknown as typeof anonymousCheck, emission!, passworded)
    expect(finding.outcome).toBe('fail')
    expect(finding.message).not.toContain(PLANTED.password)
    // mosquitto's own client, walking the same candidates in the same order, logs in with the same pair first.
    expect(await mosquittoSubFinds(passworded, CANDIDATES)).toBe(d.success?.credentialId)
  }, 120_000)
})
