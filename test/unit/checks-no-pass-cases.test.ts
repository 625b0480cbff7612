/** The false passes of issue 11 item 6, one by one (the meta-test covers the rule for every check). */
import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {CheckInput} from '../../src/checks/types.js'
import type {Observation, Service} from '../../src/evidence/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {unreadableSystem} from '../../src/probes/snmp/system.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const SNMP: Service = {id: 'snmp://192.0.2.10:161', protocol: 'snmp', host: '192.0.2.10', port: 161, transport: 'udp'}
const TLS: Service = {id: 'tls://192.0.2.10:443', protocol: 'tls', host: '192.0.2.10', port: 443, transport: 'tcp'}
const noAnomalies = {malformed: 0, oversized: 0, unmatched: 0, foreign: 0}

function run(id: string, service: Service, data: Record<string, object>) {
  const check = checkById(id)!
  const observations: Record<string, Observation> = {}
  for (const [probe, d] of Object.entries(data)) observations[probe] = {id: `o-${probe}`, service: service.id, probe, collectedAt: NOW.toISOString(), data: d as Record<string, unknown>, artifacts: []}
  const input: CheckInput = {service, observations, thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity}
  return (check as {evaluate(i: CheckInput): {outcome: string; message: string}}).evaluate(input)
}

const sweep = (over: object) => ({dataset: 'd', tried: 100, versions: ['v1', 'v2c'], requests: 200, accepted: [], responded: true, anomalies: noAnomalies, writeTest: {ran: false, results: []}, untried: 0, ...over})
const publicAccepted = sweep({accepted: [{credentialId: 'snmp-common-1', version: 'v2c', access: 'read'}]})

describe('no pass without positive evidence', () => {
  it('snmp.community.write: nothing tried, or a community accepted with no SET result, is inconclusive', () => {
    expect(run('snmp.community.write', SNMP, {'snmp.communities': sweep({tried: 0, requests: 0, untried: 100})}).outcome).toBe('inconclusive')
    expect(run('snmp.community.write', SNMP, {'snmp.communities': {...publicAccepted, writeTest: {ran: true, results: []}}}).outcome).toBe('inconclusive')
    // Positive evidence still passes: every accepted community's SET was refused.
    const refused = {...publicAccepted, writeTest: {ran: true, results: [{credentialId: 'snmp-common-1', version: 'v2c', setAccepted: false, unchanged: null, error: 'NoAccess'}]}}
    expect(run('snmp.community.write', SNMP, {'snmp.communities': refused}).outcome).toBe('pass')
  })

  it('snmp.sysmib.disclosure and pii.snmp.contact-location: a community was accepted but the read failed → inconclusive', () => {
    for (const id of ['snmp.sysmib.disclosure', 'pii.snmp.contact-location']) {
      const r = run(id, SNMP, {'snmp.communities': publicAccepted, 'snmp.system': unreadableSystem()})
      expect(r.outcome, id).toBe('inconclusive')
      expect(r.message).toContain('snmp-common-1')
      // No community accepted out of a complete sweep: the group is proven closed to them.
      expect(run(id, SNMP, {'snmp.communities': sweep({}), 'snmp.system': unreadableSystem()}).outcome, id).toBe('pass')
    }
  })

  it('tls.compression-enabled: an empty or malformed key-exchange observation is inconclusive', () => {
    expect(run('tls.compression-enabled', TLS, {'tls.key-exchange': {}}).outcome).toBe('inconclusive')
    expect(run('tls.compression-enabled', TLS, {'tls.key-exchange': {compression: 'DEFLATE'}}).outcome).toBe('inconclusive')
    expect(run('tls.compression-enabled', TLS, {'tls.key-exchange': {compression: []}}).outcome).toBe('pass')
    expect(run('tls.compression-enabled', TLS, {'tls.key-exchange': {compression: ['DEFLATE']}}).outcome).toBe('fail')
  })
})
