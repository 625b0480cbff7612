import {describe, expect, it} from 'vitest'

import {ALL_CHECKS, checkById} from '../../checks/index.js'
import {check as authNone} from '../../checks/ssh/auth-none.js'
import {check as passwordOnly} from '../../checks/ssh/auth-password-only.js'
import {check as banner} from '../../checks/svc/banner-version-disclosure.js'
import {check as cipherWeak} from '../../checks/ssh/cipher-weak.js'
import {check as hostkeyWeak} from '../../checks/ssh/hostkey-weak.js'
import {check as kexWeak} from '../../checks/ssh/kex-weak.js'
import {check as macWeak} from '../../checks/ssh/mac-weak.js'
import {check as protocolV1} from '../../checks/ssh/protocol-v1.js'
import type {Check, CheckInput, CheckResult} from '../../src/checks/types.js'
import {FRAMEWORKS, OUTCOMES, SEVERITIES, type Observation, type Service} from '../../src/evidence/types.js'
import {DEFAULT_THRESHOLDS, type Thresholds} from '../../src/profiles/thresholds.js'
import type {SshAuthMethodsData, SshHostKeyInfo, SshKexinitData} from '../../src/probes/ssh/types.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const SERVICE: Service = {id: 'ssh://192.0.2.10:22', protocol: 'ssh', host: '192.0.2.10', port: 22, transport: 'tcp'}
const SSH_PROBES = ['ssh.kexinit', 'ssh.hostkeys', 'ssh.auth-methods']

interface Spec {
  kexinit: SshKexinitData
  keys: SshHostKeyInfo[]
  auth: SshAuthMethodsData
}

function goodSsh(): Spec {
  return {
    kexinit: {
      banner: 'SSH-2.0-Server',
      protocolVersion: '2.0',
      software: 'Server',
      comments: '',
      preBannerLines: [],
      kex: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'diffie-hellman-group16-sha512', 'ext-info-s', 'kex-strict-s-v00@openssh.com'],
      hostKey: ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256'],
      ciphers: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr'],
      macs: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'],
      compression: ['none'],
      ciphersClientToServer: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr'],
      macsClientToServer: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'],
      compressionClientToServer: ['none'],
      languages: [],
      languagesClientToServer: [],
      firstKexPacketFollows: false,
      sshV1Only: false,
      preBannerLineCount: 0,
      anomalies: [],
    },
    keys: [
      {algorithm: 'ssh-ed25519', type: 'ssh-ed25519', bits: 256, fingerprint: 'SHA256:ed'},
      {algorithm: 'rsa-sha2-512', type: 'ssh-rsa', bits: 3072, fingerprint: 'SHA256:rsa'},
      {algorithm: 'rsa-sha2-256', type: 'ssh-rsa', bits: 3072, fingerprint: 'SHA256:rsa'},
    ],
    auth: {methods: ['publickey'], noneAccepted: false, username: 'sg17scan-probe'},
  }
}

function badSsh(): Spec {
  const s = goodSsh()
  s.kexinit = {
    ...s.kexinit,
    banner: 'SSH-1.99-OpenSSH_5.3',
    protocolVersion: '1.99',
    software: 'OpenSSH_5.3',
    kex: ['diffie-hellman-group1-sha1', 'diffie-hellman-group-exchange-sha1'],
    hostKey: ['ssh-rsa', 'ssh-dss'],
    ciphers: ['aes128-cbc', '3des-cbc'],
    ciphersClientToServer: ['arcfour', 'aes128-cbc'],
    macs: ['hmac-md5', 'hmac-sha1'],
    macsClientToServer: ['hmac-md5-96'],
  }
  s.keys = [
    {algorithm: 'ssh-rsa', type: 'ssh-rsa', bits: 1024, fingerprint: 'SHA256:weak'},
    {algorithm: 'ssh-dss', type: 'ssh-dss', bits: 1024, fingerprint: 'SHA256:dsa'},
  ]
  s.auth = {methods: ['password'], noneAccepted: false, username: 'sg17scan-probe'}
  return s
}

function obs(probe: string, data: object): Observation {
  return {id: `obs-${probe}`, service: SERVICE.id, probe, collectedAt: NOW.toISOString(), data: data as Record<string, unknown>, artifacts: []}
}

function input(check: Check, spec: Spec, thresholds: Partial<Thresholds> = {}): CheckInput {
  const all: Record<string, Observation> = {
    'ssh.kexinit': obs('ssh.kexinit', spec.kexinit),
    'ssh.hostkeys': obs('ssh.hostkeys', {keys: spec.keys}),
    'ssh.auth-methods': obs('ssh.auth-methods', spec.auth),
  }
  return {
    service: SERVICE,
    observations: Object.fromEntries(Object.entries(all).filter(([k]) => check.reads.includes(k))),
    thresholds: {...DEFAULT_THRESHOLDS, ...thresholds},
    now: NOW,
    severity: check.defaultSeverity,
  }
}

function run(check: Check, edit: (s: Spec) => void = () => {}, thresholds: Partial<Thresholds> = {}): CheckResult {
  const s = goodSsh()
  edit(s)
  return check.evaluate(input(check, s, thresholds))
}

const SSH_CHECKS: Record<string, [Check, string]> = {
  'ssh.protocol.v1': [protocolV1, 'high'],
  'ssh.kex.weak': [kexWeak, 'medium'],
  'ssh.cipher.weak': [cipherWeak, 'medium'],
  'ssh.mac.weak': [macWeak, 'low'],
  'ssh.hostkey.weak': [hostkeyWeak, 'medium'],
  'ssh.auth.password-only': [passwordOnly, 'low'],
  'ssh.auth.none': [authNone, 'critical'],
  'svc.banner.version-disclosure': [banner, 'info'],
}

describe('SSH check registration and metadata', () => {
  it('registers every SSH check in checks/index.ts', () => {
    for (const [id, [c]] of Object.entries(SSH_CHECKS)) {
      expect(checkById(id)).toBe(c)
      expect(ALL_CHECKS).toContain(c)
    }
  })

  describe.each(Object.entries(SSH_CHECKS))('%s', (id, [check, severity]) => {
    it('has §3.3 metadata and reads only SSH probes', () => {
      expect(check.id).toBe(id)
      expect(check.defaultSeverity).toBe(severity)
      expect(check.family).toBe(id.startsWith('svc.') ? 'svc' : 'ssh')
      // The banner check spans SSH, Telnet, FTP and HTTP(S); the engine hands each service its own protocol's probes.
      expect([...check.protocols]).toEqual(id.startsWith('svc.') ? ['ssh', 'telnet', 'ftp', 'http', 'https'] : ['ssh'])
      expect(check.intrusive).toBe(false)
      expect(check.description.length).toBeGreaterThan(40)
      expect(check.remediation.length).toBeGreaterThan(20)
      for (const r of check.reads.filter((p) => p.startsWith('ssh.'))) expect(SSH_PROBES).toContain(r)
      expect(check.reads.some((p) => SSH_PROBES.includes(p as never))).toBe(true)
    })
    it('cites ITU-T first in framework order, a CWE, and no unverified clause', () => {
      expect(check.references[0]?.framework).toBe('ITU-T')
      const order = check.references.map((r) => FRAMEWORKS.indexOf(r.framework))
      expect(order).toEqual([...order].sort((a, b) => a - b))
      expect(check.references.some((r) => r.framework === 'CWE')).toBe(true)
      for (const ref of check.references) {
        if (ref.id === 'X.1352') expect(ref.clause).toMatch(/^§8\.[1-5]$/)
        if (ref.id === 'X.1254' || ref.id === 'RFC 9142') expect(ref.clause).toBeUndefined()
        if (ref.framework === 'NIST' || ref.framework === 'BSI') expect(ref.clause).toBeUndefined()
      }
    })
    it('passes (or is not applicable to) a well-configured server', () => {
      const r = check.evaluate(input(check, goodSsh()))
      if (id === 'svc.banner.version-disclosure') expect(r.outcome).toBe('pass')
      else expect(['pass', 'not_applicable']).toContain(r.outcome)
    })
    it('fails a badly configured server, naming something concrete', () => {
      const bad = badSsh()
      // The worst authentication finding has its own check: a server that lets anyone in with `none`.
      if (id === 'ssh.auth.none') bad.auth = {methods: [], noneAccepted: true, username: 'sg17scan-probe'}
      const r = check.evaluate(input(check, bad))
      expect(r.outcome).toBe('fail')
      expect(r.message.length).toBeGreaterThan(20)
      if (r.severity) expect(SEVERITIES).toContain(r.severity)
    })
    it('never throws on empty or malformed payloads', () => {
      for (const data of [{}, {kex: 'x', keys: 7, methods: 'password', banner: 3, ciphers: [1, 2]}]) {
        const i = input(check, goodSsh())
        const observations = Object.fromEntries(check.reads.map((p) => [p, obs(p, data)]))
        const r = check.evaluate({...i, observations})
        expect(OUTCOMES).toContain(r.outcome)
        expect(r.message.trim()).not.toBe('')
      }
    })
    it('is deterministic', () => {
      const i = input(check, badSsh())
      expect(check.evaluate(i)).toEqual(check.evaluate(i))
    })
  })
})

describe('ssh.protocol.v1', () => {
  it('fails 1.99 and 1.5, passes 2.0, inconclusive otherwise', () => {
    expect(run(protocolV1, (s) => (s.kexinit.protocolVersion = '1.99')).outcome).toBe('fail')
    const v1 = run(protocolV1, (s) => Object.assign(s.kexinit, {protocolVersion: '1.5', sshV1Only: true, banner: 'SSH-1.5-x'}))
    expect(v1.outcome).toBe('fail')
    expect(v1.message).toContain('1.5 only')
    expect(run(protocolV1).outcome).toBe('pass')
    expect(run(protocolV1, (s) => (s.kexinit.protocolVersion = '3.0')).outcome).toBe('inconclusive')
  })
})

describe('ssh.kex.weak', () => {
  it('fails on SHA-1 or 1024-bit kex, ignores pseudo-algorithms, reports unknown ones', () => {
    const r = run(kexWeak, (s) => s.kexinit.kex.push('diffie-hellman-group14-sha1'))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('diffie-hellman-group14-sha1')
    const ok = run(kexWeak, (s) => s.kexinit.kex.push('mystery-kex@example.com'))
    expect(ok.outcome).toBe('pass')
    expect(ok.message).toContain('mystery-kex@example.com')
    expect(ok.message).not.toContain('kex-strict')
  })
  it('is not_applicable without KEXINIT lists and inconclusive when nothing is known', () => {
    expect(run(kexWeak, (s) => (s.kexinit.kex = ['ext-info-s'])).outcome).toBe('not_applicable')
    expect(run(kexWeak, (s) => (s.kexinit.kex = ['a@b', 'c@d'])).outcome).toBe('inconclusive')
  })
})

describe('ssh.cipher.weak', () => {
  it('fails on CBC (medium) and raises arcfour to high', () => {
    const cbc = run(cipherWeak, (s) => s.kexinit.ciphers.push('aes256-cbc'))
    expect(cbc.outcome).toBe('fail')
    expect(cbc.severity).toBeUndefined()
    const rc4 = run(cipherWeak, (s) => s.kexinit.ciphersClientToServer.push('arcfour128'))
    expect(rc4.outcome).toBe('fail')
    expect(rc4.severity).toBe('high')
    expect(rc4.message).toContain('arcfour128')
  })
  it('reads the client-to-server list too', () => {
    expect(run(cipherWeak, (s) => (s.kexinit.ciphersClientToServer = ['3des-cbc'])).outcome).toBe('fail')
  })
  it('is not_applicable for an SSH-1-only server', () => {
    expect(
      run(cipherWeak, (s) => Object.assign(s.kexinit, {ciphers: [], ciphersClientToServer: [], sshV1Only: true})).outcome,
    ).toBe('not_applicable')
  })
})

describe('ssh.mac.weak', () => {
  it('fails on md5 / -96 / umac-64, only notes hmac-sha1', () => {
    expect(run(macWeak, (s) => s.kexinit.macs.push('umac-64@openssh.com')).outcome).toBe('fail')
    expect(run(macWeak, (s) => s.kexinit.macsClientToServer.push('hmac-sha1-96')).outcome).toBe('fail')
    const sha1 = run(macWeak, (s) => s.kexinit.macs.push('hmac-sha1'))
    expect(sha1.outcome).toBe('pass')
    expect(sha1.message).toContain('hmac-sha1')
  })
})

describe('ssh.hostkey.weak', () => {
  it('fails on ssh-dss', () => {
    const r = run(hostkeyWeak, (s) => s.kexinit.hostKey.push('ssh-dss'))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('ssh-dss')
  })
  it('fails on RSA below thresholds.minRsaBits, high below 1024', () => {
    const small = (bits: number) => (s: Spec) => {
      for (const k of s.keys) if (k.type === 'ssh-rsa') k.bits = bits
    }
    const r = run(hostkeyWeak, small(2047))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('2047 bits')
    expect(r.message.match(/RSA host key/g)).toHaveLength(1)
    expect(r.severity).toBeUndefined()
    expect(run(hostkeyWeak, small(768)).severity).toBe('high')
    expect(run(hostkeyWeak, small(2047), {minRsaBits: 2000}).outcome).toBe('pass')
    expect(run(hostkeyWeak, small(3072), {minRsaBits: 4096}).outcome).toBe('fail')
  })
  it('fails when the RSA key is offered only with ssh-rsa (SHA-1)', () => {
    const r = run(hostkeyWeak, (s) => {
      s.kexinit.hostKey = ['ssh-ed25519', 'ssh-rsa']
      s.keys = [s.keys[0], {algorithm: 'ssh-rsa', type: 'ssh-rsa', bits: 3072, fingerprint: 'SHA256:rsa'}]
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('only with ssh-rsa')
    // Only-SHA-1 fails even when the profile allows ssh-rsa beside SHA-2 signatures.
    expect(run(hostkeyWeak, (s) => ((s.kexinit.hostKey = ['ssh-rsa']), (s.keys = [{algorithm: 'ssh-rsa', type: 'ssh-rsa', bits: 3072}])), {allowSshRsaSha1: true}).outcome).toBe('fail')
  })
  it('fails on ssh-rsa (SHA-1) next to rsa-sha2-* in the baseline; thresholds.allowSshRsaSha1 allows it', () => {
    const r = run(hostkeyWeak, (s) => s.kexinit.hostKey.push('ssh-rsa'))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('ssh-rsa offered (RSA signatures with SHA-1')
    expect(run(hostkeyWeak, (s) => s.kexinit.hostKey.push('ssh-rsa-cert-v01@openssh.com')).outcome).toBe('fail')
    const allowed = run(hostkeyWeak, (s) => s.kexinit.hostKey.push('ssh-rsa'), {allowSshRsaSha1: true})
    expect(allowed.outcome).toBe('pass')
    expect(allowed.message).toContain('Discouraged (not failing): ssh-rsa')
  })
  it('mentions keys the client could not fetch; inconclusive when none was fetched', () => {
    const r = run(hostkeyWeak, (s) => {
      s.kexinit.hostKey.push('ssh-ed25519-cert-v01@openssh.com')
      s.keys.push({algorithm: 'ssh-ed25519-cert-v01@openssh.com', error: 'not supported by the client'})
    })
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('not supported by the client')
    const none = run(hostkeyWeak, (s) => {
      s.kexinit.hostKey = ['sk-ssh-ed25519@openssh.com']
      s.keys = [{algorithm: 'sk-ssh-ed25519@openssh.com', error: 'not supported by the client'}]
    })
    expect(none.outcome).toBe('inconclusive')
  })
  it('is not_applicable without host-key algorithms', () => {
    expect(run(hostkeyWeak, (s) => ((s.kexinit.hostKey = []), (s.keys = []))).outcome).toBe('not_applicable')
  })
})

describe('ssh.auth.password-only', () => {
  it('fails on password and/or keyboard-interactive alone', () => {
    expect(run(passwordOnly, (s) => (s.auth.methods = ['password'])).outcome).toBe('fail')
    const kbd = run(passwordOnly, (s) => (s.auth.methods = ['keyboard-interactive']))
    expect(kbd.outcome).toBe('fail')
    expect(kbd.message).toContain('password-like')
    expect(run(passwordOnly, (s) => (s.auth.methods = ['password', 'keyboard-interactive'])).outcome).toBe('fail')
  })
  it('passes when publickey (or anything else) is offered', () => {
    expect(run(passwordOnly, (s) => (s.auth.methods = ['publickey', 'password'])).outcome).toBe('pass')
    expect(run(passwordOnly, (s) => (s.auth.methods = ['gssapi-with-mic', 'password'])).outcome).toBe('pass')
  })
  it('is not_applicable when none is accepted or nothing is listed', () => {
    const none = run(passwordOnly, (s) => (s.auth = {methods: [], noneAccepted: true, username: 'x'}))
    expect(none.outcome).toBe('not_applicable')
    expect(none.message).toContain('no authentication')
    expect(run(passwordOnly, (s) => (s.auth.methods = [])).outcome).toBe('not_applicable')
  })
})

describe('ssh.auth.none', () => {
  it('fails (critical by default) when the server accepted `none`', () => {
    const r = run(authNone, (s) => (s.auth = {methods: [], noneAccepted: true, username: 'x'}))
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('without any credential')
    expect(authNone.defaultSeverity).toBe('critical')
  })
  it('passes when `none` was refused with a method list', () => {
    expect(run(authNone, (s) => (s.auth.methods = ['publickey'])).outcome).toBe('pass')
  })
  it('is inconclusive when neither a refusal with methods nor a success was seen', () => {
    expect(run(authNone, (s) => (s.auth.methods = [])).outcome).toBe('inconclusive')
    expect(authNone.evaluate({...input(authNone, goodSsh()), observations: {}}).outcome).toBe('inconclusive')
  })
})

describe('svc.banner.version-disclosure', () => {
  it('fails on a version in software or comments', () => {
    const r = run(banner, (s) =>
      Object.assign(s.kexinit, {banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', software: 'OpenSSH_9.2p1', comments: 'Debian-2+deb12u3'}),
    )
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('OpenSSH_9.2p1')
    expect(run(banner, (s) => Object.assign(s.kexinit, {banner: 'SSH-2.0-dropbear_2022.83', software: 'dropbear_2022.83'})).outcome).toBe('fail')
  })
  it('passes a versionless banner, fails on versioned pre-banner lines, inconclusive without banner', () => {
    expect(run(banner).outcome).toBe('pass')
    expect(run(banner, (s) => (s.kexinit.preBannerLines = ['RouterOS 7.12 ready'])).outcome).toBe('fail')
    expect(run(banner, (s) => (s.kexinit.banner = '')).outcome).toBe('inconclusive')
  })
})
