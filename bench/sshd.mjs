/**
 * A local OpenSSH sshd with a weak configuration (SHA-1 kex, CBC ciphers, MD5/SHA-1 MACs, RSA + DSA + ECDSA host
 * keys) for the bench scripts (bench/ssh.mjs, bench/startup.mjs): every tool is pointed at the same server.
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {connect} from 'node:net'
import {join} from 'node:path'

import {freeTcpPort, log, runTimed} from './lib.mjs'

const HOST = '127.0.0.1'
export const SSHD = process.env.SG17_SSHD ?? '/usr/sbin/sshd'
const SSH_KEYGEN = process.env.SG17_SSH_KEYGEN ?? '/usr/bin/ssh-keygen'

/** Starts sshd on a free port of 127.0.0.1 with its keys and config in `dir`; resolves once it accepts. */
export async function startSshd(dir) {
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', {recursive: true})
  for (const [type, bits, file] of [['rsa', '2048', 'rsa'], ['dsa', '1024', 'dsa'], ['ecdsa', '256', 'ecdsa']]) {
    await runTimed(SSH_KEYGEN, ['-q', '-t', type, '-b', bits, '-N', '', '-f', join(dir, file)])
  }
  const port = await freeTcpPort()
  const config = join(dir, 'sshd_config')
  await writeFile(config, [
    'ListenAddress 127.0.0.1', `Port ${port}`, `PidFile ${join(dir, 'sshd.pid')}`, 'UsePAM no', 'StrictModes no', 'LogLevel ERROR',
    'MaxStartups 100:30:200',
    `HostKey ${join(dir, 'rsa')}`, `HostKey ${join(dir, 'dsa')}`, `HostKey ${join(dir, 'ecdsa')}`,
    'KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,curve25519-sha256',
    'HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256,ssh-rsa,ssh-dss,ecdsa-sha2-nistp256',
    'Ciphers 3des-cbc,aes128-cbc,aes256-cbc,aes128-ctr',
    'MACs hmac-md5,hmac-sha1,hmac-sha1-96,hmac-sha2-256',
    'PasswordAuthentication yes', '',
  ].join('\n'))
  const child = spawn(SSHD, ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (c) => (stderr += c))
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`)
    const ok = await new Promise((resolve) => {
      const s = connect({host: HOST, port})
      s.once('connect', () => (s.destroy(), resolve(true)))
      s.once('error', () => resolve(false))
    })
    if (ok) break
    if (i > 200) throw new Error(`sshd not listening: ${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  log(`# target: ${SSHD} -D -e -f ${config} (port ${port})`)
  return {
    port,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    }),
  }
}
