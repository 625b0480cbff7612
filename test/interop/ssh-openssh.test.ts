/**
 * Interop: Debian OpenSSH sshd (9.2) on 127.0.0.1 in a weak and a hardened configuration. The lists the SSH
 * probe unit records must equal what Debian's ssh-audit 2.5.0 (`ssh-audit -j`) reports for the same server.
 *
 * Nothing is skipped: a missing sshd, ssh-keygen or ssh-audit fails the suite (CI installs
 * `openssh-server ssh-audit`). sshd needs /run/sshd (its privilege-separation directory); it is created here
 * when missing (the test then needs root, as sshd itself does for privilege separation).
 *
 * Comparison exceptions (ssh-audit 2.5.0 output vs. our observation), each asserted below:
 *  1. kex: ssh-audit lists the pseudo-algorithm kex-strict-s-v00@openssh.com as-is, as we do: no exception
 *     for names. ssh-audit adds `keysize` only to group-exchange entries (the group it was offered);
 *     our kexinit observation has no sizes, so only names are compared.
 *  2. key: names equal. ssh-audit gives `keysize` only for RSA algorithms (equal to our `bits`), none for
 *     ssh-dss, ECDSA or Ed25519: sizes are compared for RSA entries only.
 *  3. fingerprints: ssh-audit 2.5.0 prints SHA256 fingerprints only for its Ed25519 and RSA keys (none for
 *     ECDSA or DSA); those present must equal ours (without the "SHA256:" prefix).
 *  4. enc / mac: ssh-audit prints one list each; OpenSSH sends identical client-to-server and
 *     server-to-client lists, so both of ours are compared with it.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check as cipherWeak} from '../../checks/ssh/cipher-weak.js'
import {check as hostkeyWeak} from '../../checks/ssh/hostkey-weak.js'
import {check as kexWeak} from '../../checks/ssh/kex-weak.js'
import {check as macWeak} from '../../checks/ssh/mac-weak.js'
import type {Check} from '../../src/checks/types.js'
import type {Observation} from '../../src/evidence/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {sshProbeUnit} from '../../src/probes/ssh/unit.js'
import {interopSuite, toolPath, TOOLS} from '../helpers/interop-tools.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {makeProbeContext} from '../helpers/probe-context.js'
import {startSshd, type Sshd} from '../helpers/sshd.js'

const execFileAsync = promisify(execFile)
const SSH_KEYGEN = toolPath(TOOLS.sshKeygen)
const SSH_AUDIT = toolPath(TOOLS.sshAudit)

const WEAK = {
  kex: ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'curve25519-sha256'],
  hostKey: ['ssh-rsa', 'ssh-dss', 'ecdsa-sha2-nistp256'],
  ciphers: ['3des-cbc', 'aes128-cbc', 'aes256-cbc', 'aes128-ctr'],
  macs: ['hmac-md5', 'hmac-md5-96', 'hmac-sha1', 'hmac-sha1-96', 'umac-64@openssh.com', 'hmac-sha2-256'],
}
const HARDENED = {
  kex: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'curve25519-sha256@libssh.org', 'diffie-hellman-group16-sha512'],
  hostKey: ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256'],
  ciphers: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-gcm@openssh.com', 'aes256-ctr'],
  macs: ['hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'umac-128-etm@openssh.com'],
}

interface Audit {
  kex: Array<{algorithm: string; keysize?: number}>
  key: Array<{algorithm: string; keysize?: number}>
  enc: string[]
  mac: string[]
  compression?: string[]
  banner: {raw: string; software: string; comments: string | null}
  fingerprints?: Array<{hash: string; hash_alg: string; hostkey: string}>
}

async function sshAudit(port: number): Promise<Audit> {
  // ssh-audit exits non-zero when it finds failures; the JSON is printed either way.
  const {stdout} = await execFileAsync(SSH_AUDIT, ['-j', `127.0.0.1:${port}`], {timeout: 60_000}).catch(
    (e: {stdout?: string; message: string}) => {
      if (e.stdout) return {stdout: e.stdout}
      throw e
    },
  )
  return JSON.parse(stdout) as Audit
}

async function probe(port: number): Promise<Record<string, ProbeEmission>> {
  const ctx = makeProbeContext(port, {timeoutMs: 5000})
  ctx.service = {...ctx.service, id: `ssh://127.0.0.1:${port}`, protocol: 'ssh'}
  return Object.fromEntries((await sshProbeUnit.run(ctx)).map((e) => [e.probe, e]))
}

function evaluate(check: Check, r: Record<string, ProbeEmission>) {
  const observations: Record<string, Observation> = {}
  for (const p of check.reads) {
    observations[p] = {id: p, service: 'ssh://x', probe: p, collectedAt: '', data: r[p].data, artifacts: []}
  }
  return check.evaluate({
    service: {id: 'ssh://127.0.0.1:22', protocol: 'ssh', host: '127.0.0.1', port: 22, transport: 'tcp'},
    observations,
    thresholds: DEFAULT_THRESHOLDS,
    now: new Date(),
    severity: check.defaultSeverity,
  })
}

function compareWithAudit(r: Record<string, ProbeEmission>, audit: Audit): void {
  const k = r['ssh.kexinit'].data as Record<string, string[]>
  expect(k.kex).toEqual(audit.kex.map((e) => e.algorithm))
  expect(k.hostKey).toEqual(audit.key.map((e) => e.algorithm))
  expect(k.ciphers).toEqual(audit.enc)
  expect(k.ciphersClientToServer).toEqual(audit.enc)
  expect(k.macs).toEqual(audit.mac)
  expect(k.macsClientToServer).toEqual(audit.mac)
  if (audit.compression) expect(k.compression).toEqual(audit.compression)
  expect(r['ssh.kexinit'].data.banner).toBe(audit.banner.raw)
  expect(r['ssh.kexinit'].data.software).toBe(audit.banner.software)
  expect(r['ssh.kexinit'].data.comments).toBe(audit.banner.comments ?? '')
  // Exception 2: ssh-audit sizes only RSA keys.
  const keys = r['ssh.hostkeys'].data.keys as Array<{algorithm: string; bits?: number; type?: string; fingerprint?: string}>
  for (const e of audit.key) {
    if (e.keysize !== undefined) expect(keys.find((x) => x.algorithm === e.algorithm)?.bits).toBe(e.keysize)
  }
  // Exception 3: ssh-audit fingerprints exist only for Ed25519 and RSA.
  const typeOf: Record<string, string> = {'ssh-ed25519': 'ssh-ed25519', 'ssh-rsa': 'ssh-rsa'}
  for (const f of audit.fingerprints ?? []) {
    if (f.hash_alg !== 'SHA256') continue
    const ours = keys.find((x) => x.type === typeOf[f.hostkey])
    expect(ours?.fingerprint).toBe(`SHA256:${f.hash}`)
  }
}

interopSuite('OpenSSH interop (sshd + ssh-audit)', [TOOLS.sshd, TOOLS.sshKeygen, TOOLS.sshAudit], () => {
  let dir = ''
  let weak: Sshd | undefined
  let hardened: Sshd | undefined

  beforeAll(async () => {
    if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', {recursive: true, mode: 0o755})
    dir = await mkdtemp(join(tmpdir(), 'sg17-sshd-'))
    const keygen = (type: string, file: string, bits?: number) =>
      execFileAsync(SSH_KEYGEN, ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', 'sg17scan-test', '-f', join(dir, file)])
    await Promise.all([
      keygen('rsa', 'rsa1024', 1024),
      keygen('dsa', 'dsa'),
      keygen('ecdsa', 'ecdsa', 256),
      keygen('ed25519', 'ed25519'),
      keygen('rsa', 'rsa3072', 3072),
    ])
    weak = await startSshd(dir, 'weak', [
      `HostKey ${join(dir, 'rsa1024')}`,
      `HostKey ${join(dir, 'dsa')}`,
      `HostKey ${join(dir, 'ecdsa')}`,
      `KexAlgorithms ${WEAK.kex.join(',')}`,
      `HostKeyAlgorithms ${WEAK.hostKey.join(',')}`,
      `Ciphers ${WEAK.ciphers.join(',')}`,
      `MACs ${WEAK.macs.join(',')}`,
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication no',
    ])
    hardened = await startSshd(dir, 'hardened', [
      `HostKey ${join(dir, 'ed25519')}`,
      `HostKey ${join(dir, 'rsa3072')}`,
      `KexAlgorithms ${HARDENED.kex.join(',')}`,
      `HostKeyAlgorithms ${HARDENED.hostKey.join(',')}`,
      `Ciphers ${HARDENED.ciphers.join(',')}`,
      `MACs ${HARDENED.macs.join(',')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'DebianBanner no',
    ])
  })

  afterAll(async () => {
    await weak?.stop()
    await hardened?.stop()
    if (dir) await rm(dir, {recursive: true, force: true})
  })

  describe('weak configuration', () => {
    let r: Record<string, ProbeEmission>
    let audit: Audit
    beforeAll(async () => {
      r = await probe(weak!.port)
      audit = await sshAudit(weak!.port)
    })

    it('records exactly the configured lists (plus OpenSSH\'s kex-strict marker)', () => {
      const k = r['ssh.kexinit']
      expect(k.error).toBeUndefined()
      expect(k.data.kex).toEqual([...WEAK.kex, 'kex-strict-s-v00@openssh.com'])
      expect(k.data.hostKey).toEqual(WEAK.hostKey)
      expect(k.data.ciphers).toEqual(WEAK.ciphers)
      expect(k.data.macs).toEqual(WEAK.macs)
      expect(String(k.data.banner)).toMatch(/^SSH-2\.0-OpenSSH_9\./)
    })

    it('equals ssh-audit -j (kex, key, enc, mac, banner, RSA size, fingerprints)', () => {
      compareWithAudit(r, audit)
    })

    it('fetches the RSA-1024, DSA and ECDSA keys', () => {
      const keys = r['ssh.hostkeys'].data.keys as Array<Record<string, unknown>>
      expect(keys).toEqual([
        expect.objectContaining({algorithm: 'ssh-rsa', type: 'ssh-rsa', bits: 1024}),
        expect.objectContaining({algorithm: 'ssh-dss', type: 'ssh-dss', bits: 1024}),
        expect.objectContaining({algorithm: 'ecdsa-sha2-nistp256', type: 'ecdsa-sha2-nistp256', bits: 256, curve: 'nistp256'}),
      ])
    })

    it('lists password only', () => {
      expect(r['ssh.auth-methods'].data).toMatchObject({methods: ['password'], noneAccepted: false})
    })

    it('fails the algorithm checks', () => {
      for (const c of [kexWeak, cipherWeak, macWeak, hostkeyWeak]) expect(evaluate(c, r).outcome).toBe('fail')
    })
  })

  describe('hardened configuration', () => {
    let r: Record<string, ProbeEmission>
    let audit: Audit
    beforeAll(async () => {
      r = await probe(hardened!.port)
      audit = await sshAudit(hardened!.port)
    })

    it('records exactly the configured lists', () => {
      const k = r['ssh.kexinit']
      expect(k.error).toBeUndefined()
      expect(k.data.kex).toEqual([...HARDENED.kex, 'kex-strict-s-v00@openssh.com'])
      // OpenSSH orders host-key algorithms by its configured list but offers only those it has keys for.
      expect(k.data.hostKey).toEqual(HARDENED.hostKey)
      expect(k.data.ciphers).toEqual(HARDENED.ciphers)
      expect(k.data.macs).toEqual(HARDENED.macs)
      expect(k.data.comments).toBe('')
    })

    it('equals ssh-audit -j (kex, key, enc, mac, banner, RSA size, fingerprints)', () => {
      compareWithAudit(r, audit)
    })

    it('lists publickey only and passes the algorithm checks', () => {
      expect(r['ssh.auth-methods'].data).toMatchObject({methods: ['publickey'], noneAccepted: false})
      for (const c of [kexWeak, cipherWeak, macWeak, hostkeyWeak]) expect(evaluate(c, r).outcome).toBe('pass')
    })
  })
})
