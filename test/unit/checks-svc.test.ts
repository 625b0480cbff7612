import {describe, expect, it} from 'vitest'

import {ALL_CHECKS, checkById} from '../../checks/index.js'
import {check as ftpAnonymous} from '../../checks/svc/ftp-anonymous.js'
import {check as ftpCleartext} from '../../checks/svc/ftp-cleartext-auth.js'
import {check as telnetExposed} from '../../checks/svc/telnet-exposed.js'
import {detectVersion, evaluateCleartextBanner} from '../../checks/svc/version-disclosure.js'
import type {Check, CheckInput} from '../../src/checks/types.js'
import {FRAMEWORKS, OUTCOMES, type Observation, type Service, type ServiceProtocol} from '../../src/evidence/types.js'
import type {FtpSessionData} from '../../src/probes/ftp/types.js'
import type {TelnetBannerData} from '../../src/probes/telnet/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const NOW = new Date('2026-06-01T12:00:00Z')

function service(protocol: ServiceProtocol, port: number): Service {
  return {id: `${protocol}://192.0.2.20:${port}`, protocol, host: '192.0.2.20', port, transport: 'tcp'}
}

function obs(svc: Service, probe: string, data: object): Observation {
  return {id: `obs-${probe}`, service: svc.id, probe, collectedAt: NOW.toISOString(), data: data as Record<string, unknown>, artifacts: []}
}

function input(check: Check, svc: Service, observations: Record<string, Observation>): CheckInput {
  return {service: svc, observations, thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity}
}

const TELNET = service('telnet', 23)
const FTP = service('ftp', 21)

function telnet(d: Partial<TelnetBannerData> = {}): CheckInput['observations'] {
  const data: TelnetBannerData = {
    banner: 'BusyBox v1.31.1 (2019-05-07) built-in shell (ash)\n\nnvr login:',
    loginPrompt: true,
    promptText: 'nvr login:',
    negotiatedOptions: [
      {received: 'DO', option: 24, name: 'TERMINAL-TYPE', sent: 'WONT'},
      {received: 'WILL', option: 1, name: 'ECHO', sent: 'DO'},
    ],
    bytes: 120,
    endedBy: 'prompt',
    ...d,
  }
  return {'telnet.banner': obs(TELNET, 'telnet.banner', data)}
}

function ftp(d: Partial<FtpSessionData> = {}): CheckInput['observations'] {
  const data: FtpSessionData = {
    banner: '(vsFTPd 3.0.3)',
    features: ['EPRT', 'PASV', 'UTF8'],
    authTls: false,
    anonymous: 'accepted',
    replies: [
      {command: '(greeting)', code: 220},
      {command: 'FEAT', code: 211},
      {command: 'AUTH TLS', code: 530},
      {command: 'USER anonymous', code: 331},
      {command: 'PASS ***', code: 230},
      {command: 'QUIT', code: 221},
    ],
    ...d,
  }
  return {'ftp.session': obs(FTP, 'ftp.session', data)}
}

const SVC_CHECKS: Record<string, [Check, string, ServiceProtocol]> = {
  'svc.telnet.exposed': [telnetExposed, 'high', 'telnet'],
  'svc.ftp.cleartext-auth': [ftpCleartext, 'medium', 'ftp'],
  'svc.ftp.anonymous': [ftpAnonymous, 'medium', 'ftp'],
}

describe('svc check registration and metadata', () => {
  it('registers every cleartext-service check, ids sorted and unique', () => {
    for (const [id, [c]] of Object.entries(SVC_CHECKS)) {
      expect(checkById(id)).toBe(c)
      expect(ALL_CHECKS).toContain(c)
    }
    const ids = ALL_CHECKS.map((c) => c.id)
    expect(ids).toEqual([...ids].sort())
    expect(new Set(ids).size).toBe(ids.length)
  })

  describe.each(Object.entries(SVC_CHECKS))('%s', (id, [check, severity, protocol]) => {
    it('has §3.5 metadata, non-intrusive, one protocol and its probe', () => {
      expect(check.id).toBe(id)
      expect(check.family).toBe('svc')
      expect(check.defaultSeverity).toBe(severity)
      expect(check.intrusive).toBe(false)
      expect([...check.protocols]).toEqual([protocol])
      expect([...check.reads]).toEqual([protocol === 'telnet' ? 'telnet.banner' : 'ftp.session'])
      expect(check.description.length).toBeGreaterThan(40)
      expect(check.remediation.length).toBeGreaterThan(20)
    })
    it('cites ITU-T first, in framework order, a CWE, and only verified X.1352 clauses', () => {
      expect(check.references[0]?.framework).toBe('ITU-T')
      expect(check.references.some((r) => r.framework === 'ITU-T' && r.id !== 'X.1214')).toBe(true)
      const order = check.references.map((r) => FRAMEWORKS.indexOf(r.framework))
      expect(order).toEqual([...order].sort((a, b) => a - b))
      expect(check.references.some((r) => r.framework === 'CWE')).toBe(true)
      for (const ref of check.references) if (ref.id === 'X.1352') expect(ref.clause).toMatch(/^§8\.[1-5]$/)
    })
    it('never throws on empty or malformed payloads (inconclusive)', () => {
      const probe = check.reads[0]!
      const svc = protocol === 'telnet' ? TELNET : FTP
      for (const data of [{}, {bytes: 'x', loginPrompt: 3, authTls: 'yes', anonymous: 7, replies: 'no', features: 1}]) {
        const r = check.evaluate(input(check, svc, {[probe]: obs(svc, probe, data)}))
        expect(OUTCOMES).toContain(r.outcome)
        expect(r.outcome).toBe('inconclusive')
        expect(r.message.trim()).not.toBe('')
      }
    })
  })

  it('maps anonymous FTP to EN 303 645 5.5-4 / 5.6-2 and CWE-284 / CWE-1188', () => {
    const ids = ftpAnonymous.references.map((r) => r.id)
    expect(ids).toEqual(expect.arrayContaining(['5.5-4', '5.6-2', 'CWE-284', 'CWE-1188']))
  })
})

describe('svc.telnet.exposed', () => {
  it('fails, naming the login prompt', () => {
    const r = telnetExposed.evaluate(input(telnetExposed, TELNET, telnet()))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('showed a login prompt "nvr login:"')
    expect(r.message).toContain('DO TERMINAL-TYPE')
  })
  it('fails without a prompt too, saying so', () => {
    const r = telnetExposed.evaluate(input(telnetExposed, TELNET, telnet({loginPrompt: false, banner: '', endedBy: 'quiet', negotiatedOptions: []})))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('showed no login prompt')
    expect(r.message).toContain('(quiet)')
  })
})

describe('svc.ftp.cleartext-auth', () => {
  it('fails without AUTH TLS, naming FEAT and the AUTH TLS code', () => {
    const r = ftpCleartext.evaluate(input(ftpCleartext, FTP, ftp()))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('FEAT lists EPRT, PASV, UTF8')
    expect(r.message).toContain('AUTH TLS answered 530')
  })
  it('passes with AUTH TLS in FEAT or a 234 answer', () => {
    const viaFeat = ftpCleartext.evaluate(input(ftpCleartext, FTP, ftp({authTls: true, features: ['AUTH TLS', 'PBSZ', 'PROT']})))
    expect(viaFeat).toMatchObject({outcome: 'pass'})
    expect(viaFeat.message).toContain('FEAT')
    const via234 = ftpCleartext.evaluate(input(ftpCleartext, FTP, ftp({authTls: true, features: []})))
    expect(via234.outcome).toBe('pass')
    expect(via234.message).toContain('234')
  })
})

describe('svc.ftp.anonymous', () => {
  it('fails when accepted, passes when refused, not_tested otherwise', () => {
    const accepted = ftpAnonymous.evaluate(input(ftpAnonymous, FTP, ftp()))
    expect(accepted.outcome).toBe('fail')
    expect(accepted.message).toContain('USER 331, PASS 230')
    const refused = ftp({anonymous: 'refused', replies: [{command: 'USER anonymous', code: 331}, {command: 'PASS ***', code: 530}]})
    expect(ftpAnonymous.evaluate(input(ftpAnonymous, FTP, refused))).toMatchObject({outcome: 'pass'})
    expect(ftpAnonymous.evaluate(input(ftpAnonymous, FTP, ftp({anonymous: 'not-tested'}))).outcome).toBe('not_tested')
  })
})

describe('version-disclosure detector', () => {
  it.each([
    ['dropbear_2014.63', 'dropbear', '2014.63'],
    ['OpenSSH_9.2p1 Debian-2+deb12u3', 'OpenSSH', '9.2p1'],
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', 'OpenSSH', '9.2p1'],
    ['vsFTPd 3.0.3', 'vsFTPd', '3.0.3'],
    ['(vsFTPd 3.0.3)', 'vsFTPd', '3.0.3'],
    ['ProFTPD 1.3.5 Server (Debian) [::ffff:192.0.2.1]', 'ProFTPD', '1.3.5'],
    ['BusyBox v1.31.1 (2019-05-07 10:12:33 CST) built-in shell (ash)', 'BusyBox', '1.31.1'],
    ['Linux 4.9.0 (router)', 'Linux', '4.9.0'],
    ['Server: lighttpd/1.4.45', 'lighttpd', '1.4.45'],
    ['RouterOS 7.12 ready', 'RouterOS', '7.12'],
    ['SSH-2.0-Cisco-1.25', 'Cisco', '1.25'],
    ['Ubuntu 22.04.3 LTS', 'Ubuntu', '22.04.3'],
    ['FTP server (Version 6.00LS) ready.', undefined, '6.00LS'],
  ])('%j discloses %s %s', (text, product, version) => {
    const d = detectVersion(text)
    expect(d.disclosed).toBe(true)
    expect(d.product).toBe(product)
    expect(d.version).toBe(version)
  })

  it.each([
    'Welcome',
    'FTP server ready',
    '(none) login:',
    '2024-01-01',
    'Built 2019.05.07',
    'Today is 07.05.2019',
    'Connected to 192.168.1.1.',
    'Host 10.0.0.254:21 ready',
    'fe80::1',
    'Last login: Mon Jan  1 12:00:00 2024 from 10.0.0.2',
    'HTTP/1.1 200 OK',
    'SSH-2.0-Server',
    'x86_64',
    'Copyright (c) 2001-2019 Example Corp.',
    '220 ProFTPD Server (ProFTPD Default Installation) [192.168.0.10]',
    'Microsoft FTP Service',
    'camera-01 login:',
    '',
  ])('%j discloses nothing', (text) => {
    expect(detectVersion(text)).toEqual({disclosed: false})
  })
})

describe('evaluateCleartextBanner (for svc.banner.version-disclosure over Telnet and FTP)', () => {
  const banner = {id: 'svc.banner.version-disclosure', defaultSeverity: 'info'} as unknown as Check
  it('fails a versioned Telnet banner and FTP greeting', () => {
    const t = evaluateCleartextBanner(input(banner, TELNET, telnet()))!
    expect(t.outcome).toBe('fail')
    expect(t.message).toContain('BusyBox 1.31.1')
    const f = evaluateCleartextBanner(input(banner, FTP, ftp()))!
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('vsFTPd 3.0.3')
  })
  it('passes versionless or empty banners, undefined for other protocols', () => {
    expect(evaluateCleartextBanner(input(banner, FTP, ftp({banner: 'FTP server ready'})))?.outcome).toBe('pass')
    expect(evaluateCleartextBanner(input(banner, TELNET, telnet({banner: ''})))?.outcome).toBe('pass')
    expect(evaluateCleartextBanner(input(banner, service('ssh', 22), {}))).toBeUndefined()
  })
})
