import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ALL_CHECKS} from '../../checks/index.js'
import type {CheckInput} from '../../src/checks/types.js'
import type {Observation} from '../../src/evidence/types.js'
import {OPEN_ROUTER_CONTACT, OPEN_ROUTER_SNMP, SNMPV3_ONLY_CONFIG, openRouter} from '../../src/lab/devices/snmp-agent.js'
import {startLabSnmp, type StartedSnmpAgent} from '../../src/lab/snmp-service.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {createSnmpProbeUnit} from '../../src/probes/snmp/unit.js'
import {parseSnmpV3Credentials} from '../../src/probes/snmp/v3-credentials.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {startHostileAgent, type HostileAgent} from '../fixtures/snmp-hostile-agents.js'
import {makeSnmpContext} from '../helpers/snmp-context.js'
import {expectWithinBound} from '../helpers/bounds.js'

const SNMP_CHECKS = ALL_CHECKS.filter((c) => c.protocols.includes('snmp'))

function byProbe(emissions: ProbeEmission[]): Record<string, ProbeEmission> {
  return Object.fromEntries(emissions.map((e) => [e.probe, e]))
}

function evaluate(emissions: ProbeEmission[], port: number): Record<string, string> {
  const observations: Record<string, Observation> = {}
  for (const e of emissions) {
    if (e.error) continue
    observations[e.probe] = {id: `obs-${e.probe}`, service: `snmp://127.0.0.1:${port}`, probe: e.probe, collectedAt: '2026-01-01T00:00:00Z', data: e.data, artifacts: []}
  }
  const out: Record<string, string> = {}
  for (const check of SNMP_CHECKS) {
    if (!check.reads.every((r) => observations[r])) {
      out[check.id] = 'error'
      continue
    }
    const input: CheckInput = {
      service: {id: `snmp://127.0.0.1:${port}`, protocol: 'snmp', host: '127.0.0.1', port, transport: 'udp'},
      observations,
      thresholds: DEFAULT_THRESHOLDS,
      now: new Date('2026-01-01T00:00:00Z'),
      severity: check.defaultSeverity,
    }
    const r = check.evaluate(input)
    out[check.id] = r.outcome
    // Messages never carry a community string or the seeded personal data.
    for (const secret of ['public', 'private', 'Jane', 'jane.doe', '7946']) expect(r.message).not.toContain(secret)
  }
  return out
}

/** Strings that must never appear in serialized observations. */
const SECRETS = ['"public"', 'public', 'private', 'Jane', 'Doe', 'jane.doe', 'example.net', '+44 20 7946 0958', '7946', '0958']

describe('open-router lab device (net-snmp agent)', () => {
  let dev: StartedSnmpAgent
  beforeAll(async () => {
    dev = (await openRouter.start({host: '127.0.0.1', port: 0})) as StartedSnmpAgent
  })
  afterAll(async () => {
    await dev.stop()
  })

  it('starts on a free high UDP port and names an snmp:// target', () => {
    expect(dev.port).toBeGreaterThan(1024)
    expect(dev.targets).toEqual([`snmp://127.0.0.1:${dev.port}`])
    expect(openRouter.name).toBe('open-router')
  })

  it('non-intrusive run: finds public/private read access, system group, masks PII, leaks no secret', async () => {
    const ctx = makeSnmpContext(dev.port, {timeoutMs: 400})
    const emissions = await createSnmpProbeUnit({maxCommunities: 20}).run(ctx)
    const p = byProbe(emissions)
    expect(emissions.map((e) => e.error)).toEqual([undefined, undefined, undefined])
    const c = p['snmp.communities']!.data as {accepted: unknown[]; tried: number; writeTest: {ran: boolean}}
    expect(c.tried).toBe(20)
    expect(c.accepted).toEqual([
      {credentialId: 'snmp-common-1', version: 'v1', access: 'read'},
      {credentialId: 'snmp-common-1', version: 'v2c', access: 'read'},
      {credentialId: 'snmp-common-2', version: 'v1', access: 'read'},
      {credentialId: 'snmp-common-2', version: 'v2c', access: 'read'},
    ])
    expect(c.writeTest.ran).toBe(false)
    const s = p['snmp.system']!.data as Record<string, unknown>
    expect(s.readable).toBe(true)
    expect(s.sysDescr).toBe(OPEN_ROUTER_SNMP.system.sysDescr)
    expect(s.sysContact).toBe('J*** D*** <j***@e***.net> +** ** **** **58')
    expect((s.pii as {total: number}).total).toBe(3)
    const v3 = p['snmp.v3']!.data as Record<string, unknown>
    expect(v3.discovered).toBe(true)
    expect(v3.reportOid).toBe('1.3.6.1.6.3.15.1.1.4.0')
    const json = JSON.stringify(emissions)
    for (const secret of SECRETS) expect(json).not.toContain(secret)
    expect(json).not.toContain(OPEN_ROUTER_CONTACT)
    expect(ctx.logs.join('\n')).not.toContain('public')

    const outcomes = evaluate(emissions, dev.port)
    expect(outcomes).toMatchObject({
      'snmp.v1v2c.enabled': 'fail',
      'snmp.community.default-ro': 'fail',
      'snmp.community.write': 'not_tested',
      'snmp.v3.noauthnopriv': 'pass',
      'snmp.v3.weak-crypto': 'not_applicable',
      'snmp.sysmib.disclosure': 'fail',
      'pii.snmp.contact-location': 'fail',
    })
  })

  it('intrusive run: the write test finds "private" writable, leaves sysLocation unchanged', async () => {
    const ctx = makeSnmpContext(dev.port, {timeoutMs: 400})
    const before = dev.getScalar('sysLocation')
    const emissions = await createSnmpProbeUnit({maxCommunities: 5, intrusive: true}).run(ctx)
    const c = byProbe(emissions)['snmp.communities']!.data as {accepted: Array<{credentialId: string; access: string}>; writeTest: {ran: boolean; results: Array<{setAccepted: boolean; unchanged: boolean | null}>}}
    expect(c.writeTest.ran).toBe(true)
    expect(c.accepted.filter((a) => a.access === 'write').map((a) => a.credentialId)).toEqual(['snmp-common-2', 'snmp-common-2'])
    expect(c.accepted.filter((a) => a.credentialId === 'snmp-common-1').every((a) => a.access === 'read')).toBe(true)
    expect(c.writeTest.results.filter((r) => r.setAccepted).every((r) => r.unchanged === true)).toBe(true)
    expect(String(dev.getScalar('sysLocation'))).toBe(String(before))
    for (const secret of SECRETS) expect(JSON.stringify(emissions)).not.toContain(secret)
    expect(evaluate(emissions, dev.port)['snmp.community.write']).toBe('fail')
  })
})

describe('SNMPv3-only authPriv agent (SHA + AES)', () => {
  let dev: StartedSnmpAgent
  beforeAll(async () => {
    dev = await startLabSnmp(SNMPV3_ONLY_CONFIG, '127.0.0.1', 0)
  })
  afterAll(async () => {
    await dev.stop()
  })

  it('user-supplied SNMPv3 credentials: SHA+AES authPriv accepted, weak-crypto passes, keys never leak', async () => {
    const lab = SNMPV3_ONLY_CONFIG.users![0]!
    const env = {SG17_TEST_V3_AUTH: lab.authKey!, SG17_TEST_V3_PRIV: lab.privKey!, SG17_TEST_V3_WRONG: 'not-the-lab-passphrase'}
    Object.assign(process.env, env)
    try {
      const creds = parseSnmpV3Credentials(
        [
          '- {id: lab-sha-aes, user: labadmin, authProtocol: sha, authKeyEnv: SG17_TEST_V3_AUTH, privProtocol: aes, privKeyEnv: SG17_TEST_V3_PRIV}',
          '- {id: lab-wrong-key, user: labadmin, authProtocol: sha, authKeyEnv: SG17_TEST_V3_WRONG, privProtocol: aes, privKeyEnv: SG17_TEST_V3_PRIV}',
          '- {id: lab-md5-des, user: labadmin, authProtocol: md5, authKeyEnv: SG17_TEST_V3_AUTH, privProtocol: des, privKeyEnv: SG17_TEST_V3_PRIV}',
        ].join('\n'),
        'creds.yaml',
      )
      const ctx = makeSnmpContext(dev.port, {timeoutMs: 400})
      const emissions = await createSnmpProbeUnit({maxCommunities: 5, v3Credentials: creds}).run(ctx)
      const p = byProbe(emissions)
      expect(emissions.every((e) => e.error === undefined)).toBe(true)
      const v3 = p['snmp.v3']!.data as {credentialsSupplied: boolean; credentials: Array<Record<string, unknown>>}
      expect(v3.credentialsSupplied).toBe(true)
      const byKey = Object.fromEntries(v3.credentials.map((c) => [`${c.credentialId}|${c.level}`, c]))
      expect(byKey['lab-sha-aes|authPriv']).toEqual({credentialId: 'lab-sha-aes', user: 'labadmin', authProtocol: 'sha', privProtocol: 'aes', level: 'authPriv', result: 'accepted'})
      expect(byKey['lab-sha-aes|authNoPriv']).toMatchObject({privProtocol: null, result: 'refused'})
      expect(byKey['lab-wrong-key|authPriv']).toMatchObject({result: 'refused'})
      // MD5 + DES: without --openssl-legacy-provider Node cannot encrypt with DES at all; with it the agent refuses (user is SHA/AES).
      const legacy = process.execArgv.includes('--openssl-legacy-provider') || /openssl-legacy-provider/.test(process.env.NODE_OPTIONS ?? '')
      expect(byKey['lab-md5-des|authPriv']).toMatchObject(
        legacy ? {result: 'refused'} : {result: 'untestable', reason: "Node's OpenSSL 3 has no DES without --openssl-legacy-provider"},
      )
      expect(byKey['lab-md5-des|authNoPriv']).toMatchObject({result: 'refused'})
      expect(evaluate(emissions, dev.port)['snmp.v3.weak-crypto']).toBe('pass')
      // No key value anywhere in the observations, artifacts or log.
      const serialized = JSON.stringify(emissions) + ctx.logs.join('\n')
      for (const v of Object.values(env)) expect(serialized).not.toContain(v)
    } finally {
      for (const k of Object.keys(env)) delete process.env[k]
    }
  })

  it('no community accepted is not an error; engine discovery gives the engine id', async () => {
    const emissions = await createSnmpProbeUnit({maxCommunities: 10}).run(makeSnmpContext(dev.port, {timeoutMs: 300}))
    const p = byProbe(emissions)
    expect(emissions.every((e) => e.error === undefined)).toBe(true)
    expect((p['snmp.communities']!.data as {accepted: unknown[]}).accepted).toEqual([])
    const v3 = p['snmp.v3']!.data as Record<string, unknown>
    expect(v3.engineId).toBe('8000b98380aabbccddeeff0011')
    expect(v3.engineEnterprise).toBe(47491)
    expect((v3.noAuthUsers as Array<{accepted: boolean}>).some((u) => u.accepted)).toBe(false)
    expect((p['snmp.system']!.data as {readable: boolean}).readable).toBe(false)
    expect(p['snmp.v3']!.artifacts?.[0]?.kind).toBe('snmpv3-discovery-report')
    const outcomes = evaluate(emissions, dev.port)
    expect(outcomes).toMatchObject({
      'snmp.v1v2c.enabled': 'pass',
      'snmp.community.default-ro': 'pass',
      'snmp.community.write': 'pass',
      'snmp.v3.noauthnopriv': 'pass',
      'snmp.sysmib.disclosure': 'pass',
      'pii.snmp.contact-location': 'pass',
    })
  })

  it('a noAuthNoPriv user is found and read through', async () => {
    const open = await startLabSnmp({...SNMPV3_ONLY_CONFIG, engineID: undefined, users: [{name: 'initial', level: 'noAuthNoPriv', access: 'read'}]}, '127.0.0.1', 0)
    try {
      const emissions = await createSnmpProbeUnit({maxCommunities: 3}).run(makeSnmpContext(open.port, {timeoutMs: 300}))
      const p = byProbe(emissions)
      const users = (p['snmp.v3']!.data as {noAuthUsers: Array<{credentialId: string; accepted: boolean}>}).noAuthUsers
      expect(users.filter((u) => u.accepted).map((u) => u.credentialId)).toEqual(['snmpv3-user-2'])
      expect(p['snmp.system']!.data).toMatchObject({readable: true, via: {credentialId: 'snmpv3-user-2', version: 'v3'}, sysDescr: 'Hardened switch'})
      expect(JSON.stringify(emissions)).not.toContain('initial')
      expect(evaluate(emissions, open.port)['snmp.v3.noauthnopriv']).toBe('fail')
    } finally {
      await open.stop()
    }
  })
})

describe('hostile and silent agents', () => {
  const agents: HostileAgent[] = []
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()))
  })

  it.each([
    ['silent', 'no-response'],
    ['garbage', 'malformed'],
    ['wrong-id', 'wrong-request-id'],
    ['oversized', 'oversized'],
  ] as const)('%s agent → every observation has error %s, no crash', async (kind, code) => {
    const agent = await startHostileAgent(kind)
    agents.push(agent)
    const ctx = makeSnmpContext(agent.port, {timeoutMs: 250})
    const emissions = await createSnmpProbeUnit({maxCommunities: 5}).run(ctx)
    expect(agent.received).toBeGreaterThan(0)
    expect(emissions.map((e) => e.probe)).toEqual(['snmp.communities', 'snmp.system', 'snmp.v3'])
    for (const e of emissions) {
      expect(e.error?.code).toBe(code)
      expect(e.error?.message.length).toBeGreaterThan(10)
    }
    expect(Object.values(evaluate(emissions, agent.port)).every((o) => o === 'error')).toBe(true)
  })

  it('stops early when the signal aborts', async () => {
    const agent = await startHostileAgent('silent')
    agents.push(agent)
    const ac = new AbortController()
    const ctx = makeSnmpContext(agent.port, {timeoutMs: 2000, signal: ac.signal})
    const t0 = Date.now()
    setTimeout(() => ac.abort(), 150)
    const emissions = await createSnmpProbeUnit({maxCommunities: 100, intervalMs: 20}).run(ctx)
    expectWithinBound(Date.now() - t0, 1500)
    expect(emissions[0]!.error?.code).toBe('aborted')
    expect((emissions[0]!.data as {untried: number}).untried).toBeGreaterThan(0)
  })

  it('retries only what needs it: by default silence is an answer; on request, a short list once more, a long list never', async () => {
    const quiet = await startHostileAgent('silent')
    agents.push(quiet)
    // 20 candidates × v2c: one request each (+ v3 discovery, sent twice with retries 1).
    await createSnmpProbeUnit({maxCommunities: 20, versions: ['v2c'], v3Users: []}).run(makeSnmpContext(quiet.port, {timeoutMs: 150}))
    expect(quiet.received).toBe(20 + 2)
    const agent = await startHostileAgent('silent')
    agents.push(agent)
    // sweepRetries 1: a short list gets one second pass over the unanswered.
    await createSnmpProbeUnit({maxCommunities: 20, versions: ['v2c'], sweepRetries: 1, v3Users: []}).run(makeSnmpContext(agent.port, {timeoutMs: 150}))
    expect(agent.received).toBe(20 * 2 + 2)
    const long = await startHostileAgent('silent')
    agents.push(long)
    // 300 candidates (> SMALL_SWEEP requests): silence is the answer, no blind second pass.
    const many = Array.from({length: 300}, (_, i) => ({id: `lab-${i + 1}`, community: `c${i}`}))
    await createSnmpProbeUnit({communities: many, maxCommunities: 300, versions: ['v2c'], sweepRetries: 1, intervalMs: 1, v3Users: []}).run(makeSnmpContext(long.port, {timeoutMs: 150}))
    expect(long.received).toBe(300 + 2)
  })
})
