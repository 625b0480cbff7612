import {describe, expect, it} from 'vitest'

import {ALL_CHECKS, checkById} from '../../checks/index.js'
import type {SnmpWriteResult} from '../../src/probes/snmp/types.js'
import type {Check, CheckInput} from '../../src/checks/types.js'
import {FRAMEWORKS, OUTCOMES, type Observation, type Service} from '../../src/evidence/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {systemData, unreadableSystem} from '../../src/probes/snmp/system.js'
import type {SnmpCommunitiesData, SnmpSystemData, SnmpV3Data} from '../../src/probes/snmp/types.js'

const SERVICE: Service = {id: 'snmp://192.0.2.10:161', protocol: 'snmp', host: '192.0.2.10', port: 161, transport: 'udp'}
const NOW = new Date('2026-06-01T12:00:00Z')

const EXPECTED: Record<string, {severity: string; family: string; intrusive: boolean}> = {
  'snmp.v1v2c.enabled': {severity: 'medium', family: 'snmp', intrusive: false},
  'snmp.community.default-ro': {severity: 'high', family: 'snmp', intrusive: false},
  'snmp.community.write': {severity: 'critical', family: 'snmp', intrusive: true},
  'snmp.v3.noauthnopriv': {severity: 'high', family: 'snmp', intrusive: false},
  'snmp.v3.weak-crypto': {severity: 'medium', family: 'snmp', intrusive: false},
  'snmp.sysmib.disclosure': {severity: 'low', family: 'snmp', intrusive: false},
  'pii.snmp.contact-location': {severity: 'low', family: 'pii', intrusive: false},
}

const noAnomalies = {malformed: 0, oversized: 0, unmatched: 0, foreign: 0}

function communities(over: Partial<SnmpCommunitiesData> = {}): SnmpCommunitiesData {
  return {dataset: 'seclists-snmp-communities', tried: 100, versions: ['v1', 'v2c'], requests: 200, accepted: [], responded: false, anomalies: noAnomalies, writeTest: {ran: false, results: []}, untried: 0, ...over}
}
function v3(over: Partial<SnmpV3Data> = {}): SnmpV3Data {
  return {discovered: true, engineId: '8000b98380aa', engineBoots: 1, engineTime: 5, engineEnterprise: 47491, reportOid: '1.3.6.1.6.3.15.1.1.4.0', noAuthUsers: [{credentialId: 'snmpv3-user-1', accepted: false, outcome: 'unknown-user'}], credentialsSupplied: false, credentials: [], anomalies: noAnomalies, ...over}
}
const openSystem = (): SnmpSystemData =>
  systemData({sysDescr: 'Box fw 1.2.3', sysObjectID: '1.3.6.1.4.1.9', sysUpTime: 1, sysContact: 'Jane Doe <jane.doe@example.net>', sysName: 'box', sysLocation: 'Lab'}, {credentialId: 'snmp-common-1', version: 'v2c'})

function obs(probe: string, data: object): Observation {
  return {id: `obs-${probe}`, service: SERVICE.id, probe, collectedAt: NOW.toISOString(), data: data as Record<string, unknown>, artifacts: []}
}

function input(check: Check, spec: {c?: SnmpCommunitiesData; s?: SnmpSystemData; v?: SnmpV3Data}): CheckInput {
  const all: Record<string, Observation> = {
    'snmp.communities': obs('snmp.communities', spec.c ?? communities()),
    'snmp.system': obs('snmp.system', spec.s ?? unreadableSystem()),
    'snmp.v3': obs('snmp.v3', spec.v ?? v3()),
  }
  return {service: SERVICE, observations: Object.fromEntries(Object.entries(all).filter(([k]) => check.reads.includes(k))), thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity}
}

const run = (id: string, spec: Parameters<typeof input>[1]) => checkById(id)!.evaluate(input(checkById(id)!, spec))

const accepted = communities({
  responded: true,
  accepted: [
    {credentialId: 'snmp-common-1', version: 'v1', access: 'read'},
    {credentialId: 'snmp-common-1', version: 'v2c', access: 'read'},
    {credentialId: 'snmp-common-2', version: 'v2c', access: 'write'},
  ],
  writeTest: {ran: true, results: [{credentialId: 'snmp-common-2', version: 'v2c', setAccepted: true, unchanged: false, restored: true}, {credentialId: 'snmp-common-1', version: 'v2c', setAccepted: false, unchanged: null, error: 'NoAccess'}]},
})

describe('SNMP check registry and metadata', () => {
  const snmp = ALL_CHECKS.filter((c) => c.protocols.includes('snmp'))
  it('registers the seven SNMP checks', () => {
    expect(snmp.map((c) => c.id).sort()).toEqual(Object.keys(EXPECTED).sort())
  })
  it.each(Object.keys(EXPECTED).map((id) => [id]))('%s has complete metadata and ordered references', (id) => {
    const c = checkById(id)!
    expect(c.defaultSeverity).toBe(EXPECTED[id]!.severity)
    expect(c.family).toBe(EXPECTED[id]!.family)
    expect(c.intrusive).toBe(EXPECTED[id]!.intrusive)
    expect([...c.protocols]).toEqual(['snmp'])
    expect(c.description.length).toBeGreaterThan(40)
    expect(c.remediation.length).toBeGreaterThan(20)
    expect(c.references[0]?.framework).toBe('ITU-T')
    const order = c.references.map((r) => FRAMEWORKS.indexOf(r.framework))
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(c.references.some((r) => r.framework === 'CWE')).toBe(true)
    for (const r of c.references) if (r.id === 'X.1352') expect(r.clause).toMatch(/^§8\.[1-5]$/)
  })
  it.each(Object.keys(EXPECTED).map((id) => [id]))('%s never throws on empty or malformed payloads', (id) => {
    const c = checkById(id)!
    for (const data of [{}, {accepted: 'x', writeTest: 7, pii: [1], noAuthUsers: {a: 1}, readable: 'yes'}]) {
      const observations = Object.fromEntries(c.reads.map((p) => [p, obs(p, data)]))
      const r = c.evaluate({...input(c, {}), observations})
      expect(OUTCOMES).toContain(r.outcome)
      expect(r.message.trim()).not.toBe('')
    }
  })
})

describe('SNMP check outcomes', () => {
  it('snmp.v1v2c.enabled', () => {
    expect(run('snmp.v1v2c.enabled', {c: accepted}).outcome).toBe('fail')
    expect(run('snmp.v1v2c.enabled', {c: accepted}).message).toContain('v1 and v2c')
    expect(run('snmp.v1v2c.enabled', {}).outcome).toBe('pass')
    expect(run('snmp.v1v2c.enabled', {c: communities({tried: 0})}).outcome).toBe('inconclusive')
  })
  it('snmp.community.default-ro names ids only', () => {
    const r = run('snmp.community.default-ro', {c: accepted})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('snmp-common-1 (v1, v2c)')
    expect(run('snmp.community.default-ro', {}).outcome).toBe('pass')
  })
  it('snmp.community.write: fail / pass / not_tested', () => {
    const r = run('snmp.community.write', {c: accepted})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('original restored')
    expect(run('snmp.community.write', {c: communities({accepted: accepted.accepted.map((a) => ({...a, access: 'read' as const})), writeTest: {ran: false, results: []}})}).outcome).toBe('not_tested')
    expect(run('snmp.community.write', {}).outcome).toBe('pass')
  })
  it('snmp.community.write reads the SET error class (issue 11 item 1): past access control fails, v1 ambiguity is inconclusive', () => {
    const one = (version: 'v1' | 'v2c', r: Partial<SnmpWriteResult>) =>
      run('snmp.community.write', {c: communities({accepted: [{credentialId: 'snmp-common-2', version, access: 'read'}], writeTest: {ran: true, results: [{credentialId: 'snmp-common-2', version, setAccepted: false, unchanged: null, ...r}]}})})
    // net-snmp: sysLocation set in snmpd.conf is notWritable even for rwcommunity → write access proven.
    const notWritable = one('v2c', {error: 'NotWritable'})
    expect(notWritable.outcome).toBe('fail')
    expect(notWritable.message).toContain('refused only after access control')
    for (const status of ['WrongType', 'WrongValue', 'InconsistentValue']) expect(one('v2c', {error: status}).outcome).toBe('fail')
    expect(one('v2c', {verdict: 'write', attempts: [{object: 'sysLocation.0', result: 'NotWritable', class: 'past-access-control'}, {object: 'sysContact.0', result: 'NotWritable', class: 'past-access-control'}]}).outcome).toBe('fail')
    // noAccess / authorizationError: refused by access control.
    expect(one('v2c', {error: 'NoAccess'}).outcome).toBe('pass')
    expect(one('v2c', {error: 'AuthorizationError'}).outcome).toBe('pass')
    // v1 noSuchName / readOnly and timeouts are ambiguous: never a pass.
    expect(one('v1', {error: 'NoSuchName'}).outcome).toBe('inconclusive')
    expect(one('v1', {error: 'ReadOnly'}).outcome).toBe('inconclusive')
    expect(one('v2c', {error: 'timeout'}).outcome).toBe('inconclusive')
    // An accepted community that was not write-tested (or no result at all) is not a pass.
    expect(run('snmp.community.write', {c: communities({accepted: [{credentialId: 'snmp-common-2', version: 'v2c', access: 'read'}], writeTest: {ran: true, results: []}})}).outcome).toBe('inconclusive')
  })
  it('snmp.v3.noauthnopriv', () => {
    expect(run('snmp.v3.noauthnopriv', {v: v3({noAuthUsers: [{credentialId: 'snmpv3-user-2', accepted: true, outcome: 'read'}]})}).outcome).toBe('fail')
    expect(run('snmp.v3.noauthnopriv', {}).outcome).toBe('pass')
    expect(run('snmp.v3.noauthnopriv', {v: v3({discovered: false})}).outcome).toBe('not_applicable')
  })
  it('snmp.v3.noauthnopriv does not read an authorizationError or a report as access (issue 11 item 8)', () => {
    expect(run('snmp.v3.noauthnopriv', {v: v3({noAuthUsers: [{credentialId: 'snmpv3-user-3', accepted: false, outcome: 'authorization-error'}]})}).outcome).toBe('pass')
    // Observations of older probes marked an authorizationError answer as accepted with this outcome.
    expect(run('snmp.v3.noauthnopriv', {v: v3({noAuthUsers: [{credentialId: 'snmpv3-user-3', accepted: true, outcome: 'error-status:AuthorizationError'}]})}).outcome).toBe('pass')
    expect(run('snmp.v3.noauthnopriv', {v: v3({noAuthUsers: [{credentialId: 'snmpv3-user-3', accepted: false, outcome: 'timeout'}]})}).outcome).toBe('inconclusive')
  })
  it('snmp.v3.weak-crypto is not applicable without credentials, with the reason', () => {
    const r = run('snmp.v3.weak-crypto', {})
    expect(r.outcome).toBe('not_applicable')
    expect(r.message).toMatch(/credentials/)
    expect(run('snmp.v3.weak-crypto', {v: v3({credentialsSupplied: true})}).outcome).toBe('inconclusive')
  })
  it('snmp.v3.weak-crypto judges the accepted credential attempts', () => {
    type C = SnmpV3Data['credentials'][number]
    const c = (over: Partial<C>): C => ({credentialId: 'sw1', user: 'netops', authProtocol: 'sha256', privProtocol: 'aes', level: 'authPriv', result: 'accepted', ...over})
    const weak = (credentials: C[]) => run('snmp.v3.weak-crypto', {v: v3({credentialsSupplied: true, credentials})})
    const strong = [c({}), c({level: 'authNoPriv', privProtocol: null, result: 'refused', reason: 'wrong digest'})]
    const pass = weak(strong)
    expect(pass.outcome).toBe('pass')
    expect(pass.message).toContain('sw1 (authPriv, SHA256/AES)')
    // authNoPriv works → fail (no privacy), even with authPriv accepted too.
    expect(weak([c({}), c({level: 'authNoPriv', privProtocol: null})]).outcome).toBe('fail')
    // MD5 or DES accepted → fail.
    expect(weak([c({authProtocol: 'md5'})]).outcome).toBe('fail')
    const des = weak([c({privProtocol: 'des', authProtocol: 'sha'})])
    expect(des.outcome).toBe('fail')
    expect(des.message).toMatch(/MD5 authentication or DES privacy: sw1 \(authPriv, SHA\/DES\)/)
    // DES untestable + nothing accepted → inconclusive, saying why.
    const un = weak([c({privProtocol: 'des', result: 'untestable', reason: "Node's OpenSSL 3 has no DES without --openssl-legacy-provider"}), c({level: 'authNoPriv', privProtocol: null, result: 'refused'})])
    expect(un.outcome).toBe('inconclusive')
    expect(un.message).toContain('--openssl-legacy-provider')
    // Refused only → inconclusive; no engine → not applicable.
    expect(weak([c({result: 'refused'})]).outcome).toBe('inconclusive')
    expect(run('snmp.v3.weak-crypto', {v: v3({credentialsSupplied: true, discovered: false, credentials: [c({})]})}).outcome).toBe('not_applicable')
  })
  it('snmp.sysmib.disclosure', () => {
    const r = run('snmp.sysmib.disclosure', {s: openSystem()})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('Box fw 1.2.3')
    expect(run('snmp.sysmib.disclosure', {}).outcome).toBe('pass')
  })
  it('pii.snmp.contact-location gives masked forms only', () => {
    const r = run('pii.snmp.contact-location', {s: openSystem()})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('j***@e***.net')
    expect(r.message).not.toMatch(/jane|Doe/)
    expect(run('pii.snmp.contact-location', {}).outcome).toBe('pass')
    const clean = systemData({sysDescr: 'x', sysObjectID: null, sysUpTime: null, sysContact: 'noc@example.com', sysName: null, sysLocation: 'Rack 4'}, {credentialId: 'snmp-common-1', version: 'v1'})
    expect(run('pii.snmp.contact-location', {s: clean}).outcome).toBe('pass')
  })
})
