import {describe, expect, it} from 'vitest'

import {detectPii} from '../../src/probes/snmp/pii.js'
import {systemData} from '../../src/probes/snmp/system.js'

const POSITIVE: Array<[string, Partial<Record<'email' | 'phone' | 'person-name', number>>]> = [
  ['Jane Doe <jane.doe@example.net> +44 20 7946 0958', {email: 1, phone: 1, 'person-name': 1}],
  ['John Smith', {'person-name': 1}],
  ['Contact: Maria Garcia', {'person-name': 1}],
  ["Mary-Ann O'Neil, mann@corp.example", {email: 1, 'person-name': 1}],
  ['Zxq Brownfield <zb@example.org>', {email: 1, 'person-name': 1}],
  ['j.random@example.com', {email: 1}],
  ['Tel: 555 0199', {phone: 1}],
  ['(555) 123-4567', {phone: 1}],
  ['+1-202-555-0143', {phone: 1}],
  ['call 020 7946 0958 for access', {phone: 1}],
  ['mobile 07700900123', {phone: 1}],
  ['Home of Peter Parker, 20 Ingram Street', {'person-name': 1}],
]

const NEGATIVE = [
  'Lab rack 2',
  'Main Office, Building 3',
  'Server Room',
  'Rack A3, Row 12, DC Frankfurt',
  'noc@example.com',
  'Network Operations <support@example.com>',
  'Root <root@localhost> (configure /etc/snmp/snmp.local.conf)',
  'Me <me@example.org>',
  'OpenRouter OR-2400 firmware 3.1.7 (build 2019-04-02) Linux 2.6.36',
  'Linux host 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64',
  '10.0.0.1',
  '192.168.100.254 gateway',
  'Serial 123456789',
  'MAC 00:11:22:33:44:55',
  '2019-04-02 12:00:01',
  '1.3.6.1.4.1.8072.3.2.10',
  'Sitting on the Dock of the Bay',
  'Unknown',
  '',
  'Cisco Systems Catalyst 2960',
  'Sys Location Not Set',
]

describe('PII detector', () => {
  it.each(POSITIVE)('finds personal data in %j', (text, expected) => {
    const scan = detectPii(text)
    expect(scan.counts).toEqual({email: 0, phone: 0, 'person-name': 0, ...expected})
  })

  it.each(NEGATIVE.map((t) => [t]))('finds nothing in %j', (text) => {
    const scan = detectPii(text)
    expect(scan.matches).toEqual([])
    expect(scan.redactedText).toBe(text)
  })

  it('masks every match and keeps the rest', () => {
    const scan = detectPii('Jane Doe <jane.doe@example.net> +44 20 7946 0958')
    expect(scan.redactedText).toBe('J*** D*** <j***@e***.net> +** ** **** **58')
    expect(scan.matches).toEqual([
      {type: 'person-name', redacted: 'J*** D***'},
      {type: 'email', redacted: 'j***@e***.net'},
      {type: 'phone', redacted: '+** ** **** **58'},
    ])
  })

  it('redacted forms never contain the original value', () => {
    for (const [text] of POSITIVE) {
      const scan = detectPii(text)
      for (const m of scan.matches) expect(text).not.toContain(m.redacted.replace(/\*+/g, '') + 'zzz')
      expect(scan.redactedText).not.toMatch(/jane\.doe|Smith|Garcia|555 0199|123-4567|7946/)
    }
  })
})

describe('system payload', () => {
  it('keeps sysDescr, masks sysContact/sysLocation and summarises PII', () => {
    const d = systemData(
      {sysDescr: 'Box 1.0', sysObjectID: '1.3.6.1.4.1.1', sysUpTime: 5, sysContact: 'John Smith <john@example.com>', sysName: 'box', sysLocation: 'Tel: 555 0199'},
      {credentialId: 'snmp-common-1', version: 'v2c'},
    )
    expect(d.sysDescr).toBe('Box 1.0')
    expect(d.sysContact).toBe('J*** S*** <j***@e***.com>')
    expect(d.sysLocation).toBe('Tel: *** **99')
    expect(d.pii.total).toBe(3)
    expect(d.pii.fields.map((f) => f.field)).toEqual(['sysContact', 'sysLocation'])
    expect(JSON.stringify(d)).not.toMatch(/john|Smith|555 0199/)
  })
})
