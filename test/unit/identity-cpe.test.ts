import {describe, expect, it} from 'vitest'

import {buildCpeTable, cpeEscape, cpeTable, firmwarePhrases, formatCpe, matchProducts} from '../../src/identity/cpe.js'
import {mentions, nameKey, sameVendor, sameVersion, vendorForEnterprise, versionKey} from '../../src/identity/names.js'

const SVC = 'x://192.0.2.1:1'

describe('CPE 2.3 candidates from banners, headers and sysDescr (data/identity/cpe-patterns.json)', () => {
  it.each([
    ['ssh.banner', 'SSH-2.0-OpenSSH_9.2p1 Debian-2', 'cpe:2.3:a:openbsd:openssh:9.2p1:*:*:*:*:*:*:*'],
    ['ssh.banner', 'SSH-2.0-OpenSSH_7.4', 'cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*'],
    ['ssh.banner', 'SSH-2.0-dropbear_2019.78', 'cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2019.78:*:*:*:*:*:*:*'],
    ['ssh.banner', 'SSH-2.0-dropbear_2014.63', 'cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2014.63:*:*:*:*:*:*:*'],
    ['telnet.banner', 'NVR-3000\nBusyBox v1.31.1 (2019-05-07 10:12:33 CST) built-in shell (ash)', 'cpe:2.3:a:busybox:busybox:1.31.1:*:*:*:*:*:*:*'],
    ['http.server', 'lighttpd/1.4.59', 'cpe:2.3:a:lighttpd:lighttpd:1.4.59:*:*:*:*:*:*:*'],
    ['http.server', 'nginx/1.18.0 (Ubuntu)', 'cpe:2.3:a:f5:nginx:1.18.0:*:*:*:*:*:*:*'],
    ['http.server', 'Apache/2.4.57 (Debian)', 'cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*'],
    ['http.server', 'mini_httpd/1.30 26Oct2018', 'cpe:2.3:a:acme:mini_httpd:1.30:*:*:*:*:*:*:*'],
    ['ftp.banner', '(vsFTPd 3.0.3)', 'cpe:2.3:a:beasts:vsftpd:3.0.3:*:*:*:*:*:*:*'],
    ['ftp.banner', 'ProFTPD 1.3.5e Server (Debian)', 'cpe:2.3:a:proftpd:proftpd:1.3.5e:*:*:*:*:*:*:*'],
    // Parentheses are special characters in a CPE value: quoted with a backslash (NISTIR 7695 §5.3.2).
    [
      'snmp.sysDescr',
      'Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.2(4)M7, RELEASE SOFTWARE (fc2)',
      'cpe:2.3:o:cisco:ios:15.2\\(4\\)m7:*:*:*:*:*:*:*',
    ],
    [
      'snmp.sysDescr',
      'Juniper Networks, Inc. ex2200-24t-4g Ethernet Switch, kernel JUNOS 12.3R6.6, Build date: 2014-03-13',
      'cpe:2.3:o:juniper:junos:12.3r6.6:*:*:*:*:*:*:*',
    ],
    ['snmp.sysDescr', 'Linux gw 5.10.0-21-amd64 #1 SMP Debian 5.10.162-1 (2023-01-21) x86_64', 'cpe:2.3:o:linux:linux_kernel:5.10.0:*:*:*:*:*:*:*'],
  ])('%s %j → %s', (source, text, cpe) => {
    const matches = matchProducts(text, source, SVC)
    expect(matches.map((m) => m.cpe)).toContain(cpe)
    expect(matches.every((m) => m.service === SVC && m.source === source)).toBe(true)
  })

  it('recognises a product without a version but gives no CPE for it (it would match every release)', () => {
    const [m] = matchProducts('RouterOS CCR1009-7G-1C-1S+', 'snmp.sysDescr', SVC)
    expect(m).toMatchObject({pattern: 'mikrotik-routeros', vendor: 'mikrotik', product: 'routeros', model: 'CCR1009-7G-1C-1S+'})
    expect(m!.cpe).toBeUndefined()
  })

  it('only looks for a pattern where it belongs and finds nothing in unrelated text', () => {
    expect(matchProducts('lighttpd/1.4.59', 'ssh.banner', SVC)).toEqual([])
    expect(matchProducts('SSH-2.0-GatewaySSH', 'ssh.banner', SVC)).toEqual([])
    expect(matchProducts('', 'http.server', SVC)).toEqual([])
  })

  it('reads at most a bounded prefix of hostile text', () => {
    const huge = `${'A'.repeat(1_000_000)} lighttpd/1.4.59`
    expect(matchProducts(huge, 'http.server', SVC)).toEqual([])
  })

  it('escapes CPE special characters per NISTIR 7695 and keeps letters, digits, _ . -', () => {
    expect(cpeEscape('15.2(4)M7')).toBe('15.2\\(4\\)m7')
    expect(cpeEscape('a:b*c?d+e\\f!g')).toBe('a\\:b\\*c\\?d\\+e\\\\f\\!g')
    expect(cpeEscape('Sdbus-C++ 2')).toBe('sdbus-c\\+\\+_2')
    expect(cpeEscape('1.0_rc-1')).toBe('1.0_rc-1')
    expect(cpeEscape('  ')).toBe('*')
    expect(cpeEscape('café')).toBe('caf')
    expect(formatCpe('h', 'Acme Corp', 'GW:100', '1.0')).toBe('cpe:2.3:h:acme_corp:gw\\:100:1.0:*:*:*:*:*:*:*')
    expect(formatCpe('a', 'x', 'y', '1').split(/(?<!\\):/)).toHaveLength(13)
  })

  it('finds firmware stated in free text', () => {
    expect(firmwarePhrases('OpenRouter OR-2400 firmware 3.1.7 (build 2019-04-02) Linux 2.6.36', 'snmp.sysDescr')).toEqual(['3.1.7'])
    expect(firmwarePhrases('Camera — Firmware Version: V5.4.1 build 180613', 'http.title')).toEqual(['5.4.1'])
    expect(firmwarePhrases('FW v2.0.14', 'telnet.banner')).toEqual(['2.0.14'])
    expect(firmwarePhrases('firmware 3.1.7', 'ssh.banner')).toEqual([])
  })

  it('rejects a malformed table with the file named', () => {
    expect(() => buildCpeTable({patterns: [{id: 'x'}]})).toThrow(/cpe-patterns\.json/)
    expect(() => buildCpeTable({patterns: [{id: 'a', sources: [], regex: 'x', part: 'z', vendor: 'v', product: 'p', name: 'n'}], firmwarePhrases: {regex: 'x', sources: []}})).toThrow(/part/)
    const ids = cpeTable().patterns.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('name and version comparison', () => {
  it('ignores case and punctuation, on token boundaries', () => {
    expect(nameKey('OR-2400')).toBe('or2400')
    expect(mentions('OpenRouter OR2400 firmware 3.1.7', 'OR-2400')).toBe(true)
    expect(mentions('openrouter or 2400', 'OR-2400')).toBe(true)
    expect(mentions('CN=acme-gw-100.lab', 'Acme')).toBe(true)
    expect(mentions('hphone 3', 'HP')).toBe(false)
    expect(mentions('anything', '--')).toBe(false)
  })

  it('compares versions whatever the separators or a leading v', () => {
    expect(versionKey('V3_1_7')).toBe('3.1.7')
    expect(sameVersion('v3.1.7', '3.1.7')).toBe(true)
    expect(sameVersion('15.2(4)M7', '15.2.4.m7')).toBe(true)
    expect(sameVersion('3.1.7', '3.1.70')).toBe(false)
    expect(sameVersion('', '')).toBe(false)
  })

  it('knows vendor aliases and IANA enterprise numbers, and that net-snmp is no vendor', () => {
    expect(sameVendor('Cisco Systems, Inc.', 'cisco')).toBe(true)
    expect(sameVendor('Hewlett-Packard', 'HPE')).toBe(true)
    expect(sameVendor('Cisco', 'Juniper')).toBe(false)
    expect(sameVendor('Acme Corp', 'ACME-corp')).toBe(true)
    expect(vendorForEnterprise(9)).toBe('Cisco')
    expect(vendorForEnterprise(8072)).toBeUndefined()
    expect(vendorForEnterprise(99999)).toBeUndefined()
  })
})
