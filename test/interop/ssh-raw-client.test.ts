/**
 * Interop of the raw SSH client (src/probes/ssh/raw-*.ts) with Debian's OpenSSH sshd (9.2): one sshd per forced
 * algorithm combination, so that every key exchange method, cipher mode and MAC the raw client implements is
 * negotiated once with a real server. OpenSSH checks our MACs and decrypts our packets: a wrong key derivation,
 * padding, sequence number or MAC ends the session before it answers the `none` request. For each server:
 *  - all three observations complete, the auth methods the ones configured;
 *  - the raw client negotiated exactly the forced combination (its log line), without the ssh2 fallback;
 *  - the host key fingerprint equals `ssh-keygen -lf` of the server's public key, the key kept as an artifact its
 *    .pub file's line, and the server's signature over the exchange hash verifies (Ed25519, ECDSA P-256/384/521,
 *    RSA with SHA-1/SHA-256/SHA-512, DSA).
 * A server with chacha20-poly1305 only (a cipher the raw client does not implement) gets its auth methods from the
 * ssh2 fallback. A missing sshd or ssh-keygen fails the suite with what to install.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, expect, it} from 'vitest'

import {sshProbeUnit} from '../../src/probes/ssh/unit.js'
import type {SshAuthMethodsData, SshHostKeysData} from '../../src/probes/ssh/types.js'
import {interopSuite, toolPath, TOOLS} from '../helpers/interop-tools.js'
import {makeProbeContext} from '../helpers/probe-context.js'
import {startSshd, type Sshd} from '../helpers/sshd.js'

const execFileAsync = promisify(execFile)

interface Combination {
  kex: string
  hostKey: string
  /** Key file (in the test's directory) serving hostKey. */
  keyFile: string
  cipher: string
  /** Absent for AEAD ciphers. */
  mac?: string
}

const COMBINATIONS: Combination[] = [
  {kex: 'curve25519-sha256', hostKey: 'ssh-ed25519', keyFile: 'ed25519', cipher: 'aes128-ctr', mac: 'hmac-sha2-256'},
  {kex: 'curve25519-sha256@libssh.org', hostKey: 'ssh-ed25519', keyFile: 'ed25519', cipher: 'aes256-ctr', mac: 'hmac-sha2-512-etm@openssh.com'},
  {kex: 'ecdh-sha2-nistp256', hostKey: 'ecdsa-sha2-nistp256', keyFile: 'ecdsa256', cipher: 'aes128-gcm@openssh.com'},
  {kex: 'ecdh-sha2-nistp384', hostKey: 'ecdsa-sha2-nistp384', keyFile: 'ecdsa384', cipher: 'aes192-ctr', mac: 'hmac-sha2-512'},
  {kex: 'ecdh-sha2-nistp521', hostKey: 'ecdsa-sha2-nistp521', keyFile: 'ecdsa521', cipher: 'aes256-cbc', mac: 'hmac-sha1-etm@openssh.com'},
  {kex: 'diffie-hellman-group14-sha256', hostKey: 'rsa-sha2-256', keyFile: 'rsa', cipher: 'aes128-cbc', mac: 'hmac-sha2-256-etm@openssh.com'},
  {kex: 'diffie-hellman-group16-sha512', hostKey: 'rsa-sha2-512', keyFile: 'rsa', cipher: 'aes256-gcm@openssh.com'},
  {kex: 'diffie-hellman-group18-sha512', hostKey: 'ssh-rsa', keyFile: 'rsa', cipher: '3des-cbc', mac: 'hmac-md5-96'},
  {kex: 'diffie-hellman-group-exchange-sha256', hostKey: 'ssh-ed25519', keyFile: 'ed25519', cipher: 'aes192-cbc', mac: 'hmac-sha1-96-etm@openssh.com'},
  {kex: 'diffie-hellman-group-exchange-sha1', hostKey: 'ssh-dss', keyFile: 'dsa', cipher: 'aes128-ctr', mac: 'hmac-sha1-96'},
  {kex: 'diffie-hellman-group14-sha1', hostKey: 'ecdsa-sha2-nistp256', keyFile: 'ecdsa256', cipher: 'aes128-ctr', mac: 'hmac-md5-etm@openssh.com'},
  {kex: 'diffie-hellman-group1-sha1', hostKey: 'ssh-rsa', keyFile: 'rsa', cipher: 'aes128-cbc', mac: 'hmac-md5'},
]

const KEYS: Array<[file: string, type: string, bits: string]> = [
  ['ed25519', 'ed25519', '256'],
  ['ecdsa256', 'ecdsa', '256'],
  ['ecdsa384', 'ecdsa', '384'],
  ['ecdsa521', 'ecdsa', '521'],
  ['rsa', 'rsa', '2048'],
  ['dsa', 'dsa', '1024'],
]

const label = (c: Combination) => `${c.kex} / ${c.hostKey} / ${c.cipher}${c.mac ? ` + ${c.mac}` : ''}`

interopSuite('raw SSH client against OpenSSH sshd, one forced algorithm combination per server', [TOOLS.sshd, TOOLS.sshKeygen], () => {
  let dir: string
  const servers = new Map<Combination, Sshd>()
  let chachaOnly: Sshd
  const fingerprints = new Map<string, string>()
  const publicKeyLines = new Map<string, string>()

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sg17-ssh-raw-'))
    const keygen = toolPath(TOOLS.sshKeygen)
    await Promise.all(
      KEYS.map(async ([file, type, bits]) => {
        await execFileAsync(keygen, ['-q', '-t', type, '-b', bits, '-N', '', '-f', join(dir, file)])
        const {stdout} = await execFileAsync(keygen, ['-l', '-E', 'sha256', '-f', join(dir, `${file}.pub`)])
        fingerprints.set(file, stdout.split(' ')[1]!)
        publicKeyLines.set(file, (await readFile(join(dir, `${file}.pub`), 'utf8')).split(' ').slice(0, 2).join(' '))
      }),
    )
    const common = ['PasswordAuthentication yes', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes']
    await Promise.all(
      COMBINATIONS.map(async (c, i) => {
        const lines = [
          ...common,
          `HostKey ${join(dir, c.keyFile)}`,
          `HostKeyAlgorithms ${c.hostKey}`,
          `KexAlgorithms ${c.kex}`,
          `Ciphers ${c.cipher}`,
          ...(c.mac ? [`MACs ${c.mac}`] : []),
        ]
        servers.set(c, await startSshd(dir, `combo${i}`, lines))
      }),
    )
    chachaOnly = await startSshd(dir, 'chacha', [...common, `HostKey ${join(dir, 'ed25519')}`, 'KexAlgorithms curve25519-sha256', 'Ciphers chacha20-poly1305@openssh.com'])
  }, 60_000)

  afterAll(async () => {
    await Promise.all([...servers.values(), chachaOnly].filter(Boolean).map((s) => s.stop()))
    if (dir) await rm(dir, {recursive: true, force: true})
  })

  it.each(COMBINATIONS.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    const ctx = makeProbeContext(servers.get(c)!.port, {timeoutMs: 5000})
    const emissions = await sshProbeUnit.run(ctx)
    for (const e of emissions) expect(e.error, `${e.probe}: ${JSON.stringify(e.error)} ${ctx.logs.join(' | ')}`).toBeUndefined()
    const [, hostKeys, auth] = emissions
    const negotiated = ctx.logs.find((l) => l.startsWith('ssh: raw session:'))
    const suite = c.mac ? `${c.cipher}+${c.mac}` : c.cipher
    expect(negotiated).toBe(`ssh: raw session: kex ${c.kex}, host key ${c.hostKey}, ${suite} out, ${suite} in`)
    expect(ctx.logs.filter((l) => l.includes('asking with ssh2'))).toEqual([])
    expect((auth!.data as unknown as SshAuthMethodsData).methods.sort()).toEqual(['password', 'publickey'])
    const keys = (hostKeys!.data as unknown as SshHostKeysData).keys
    expect(keys.map((k) => [k.algorithm, k.fingerprint])).toEqual([[c.hostKey, fingerprints.get(c.keyFile)]])
    // The server proved it holds the key: its signature over the exchange hash verifies.
    expect(keys[0]).toMatchObject({signature: 'valid', signedWith: c.hostKey})
    // The key itself is kept: the line equals the server's .pub file (type and base64 blob).
    expect(hostKeys!.artifacts).toEqual([{kind: 'ssh-hostkey', encoding: 'utf8', content: publicKeyLines.get(c.keyFile)}])
    // One connection does everything for a server with one host key.
    expect(ctx.connections).toBe(1)
  })

  it('chacha20-poly1305 only: the none request goes through the ssh2 fallback, the host key through the raw client', async () => {
    const ctx = makeProbeContext(chachaOnly.port, {timeoutMs: 5000})
    const [kexinit, hostKeys, auth] = await sshProbeUnit.run(ctx)
    expect(kexinit!.error).toBeUndefined()
    expect(ctx.logs.some((l) => /raw client: unsupported-algorithm: .*cipher chacha20-poly1305@openssh\.com.*asking with ssh2/.test(l)), ctx.logs.join(' | ')).toBe(true)
    expect((auth!.data as unknown as SshAuthMethodsData).methods.sort()).toEqual(['password', 'publickey'])
    const keys = (hostKeys!.data as unknown as SshHostKeysData).keys
    expect(keys.map((k) => [k.algorithm, k.fingerprint])).toEqual([['ssh-ed25519', fingerprints.get('ed25519')]])
    expect(ctx.connections).toBe(2)
  })
})
