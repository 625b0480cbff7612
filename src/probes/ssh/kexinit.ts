/**
 * Raw SSH handshake start (RFC 4253 §4.2, §7.1): send our identification, read the server's identification,
 * send our own SSH_MSG_KEXINIT (RFC 4253 §7.1 lets a server wait for the client's before sending its own, as
 * OpenSSH clients, ssh-audit and nmap's ssh2-enum-algos all send theirs), read the server's KEXINIT, then
 * close. No key exchange method message is ever sent.
 */
import {randomBytes} from 'node:crypto'
import type {Socket} from 'node:net'

import {TOOL_NAME, toolVersion} from '../../evidence/version.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {buildPacket, parseKexinit, SSH_MSG_KEXINIT, speaksSsh2, type BinaryPacket} from './parse.js'
import {SshSocketReader} from './reader.js'
import type {KexinitLists, SshIdentification} from './types.js'

/** Our identification string (RFC 4253 §4.2 softwareversion: printable, no '-' or spaces). */
export function clientIdentification(): string {
  return `SSH-2.0-${TOOL_NAME}_${toolVersion().replace(/[^0-9A-Za-z.]/g, '_')}`
}

/**
 * The lists of our KEXINIT: broad (old and new names), so a server that checks for a common algorithm before
 * answering still finds one. Only offered, never negotiated: the connection closes after the server's KEXINIT.
 */
export const CLIENT_KEXINIT_LISTS: readonly (readonly string[])[] = [
  ['mlkem768x25519-sha256', 'sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'diffie-hellman-group14-sha256', 'diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1', 'ext-info-c'],
  ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss'],
  ...Array.from({length: 2}, () => ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc']),
  ...Array.from({length: 2}, () => ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1', 'hmac-md5']),
  ['none', 'zlib@openssh.com', 'zlib'],
  ['none', 'zlib@openssh.com', 'zlib'],
  [],
  [],
]

/** Our SSH_MSG_KEXINIT as an unencrypted binary packet (random cookie, first_kex_packet_follows false). */
export function clientKexinitPacket(): Buffer {
  const parts: Buffer[] = [Buffer.from([SSH_MSG_KEXINIT]), randomBytes(16)]
  for (const list of CLIENT_KEXINIT_LISTS) {
    const names = Buffer.from(list.join(','), 'ascii')
    const len = Buffer.alloc(4)
    len.writeUInt32BE(names.length)
    parts.push(len, names)
  }
  parts.push(Buffer.from([0, 0, 0, 0, 0]))
  return buildPacket(Buffer.concat(parts))
}

export interface KexinitGrab {
  identification: SshIdentification
  /** Absent for SSH-1-only servers. */
  lists?: KexinitLists
  packet?: BinaryPacket
}

export function closeQuietly(socket: Socket): void {
  socket.removeAllListeners('data')
  socket.on('error', () => {})
  socket.destroy()
}

/** Reads identification and KEXINIT from an already connected socket (exported for tests). */
export async function grabFromSocket(socket: Socket, timeoutMs: number, signal?: AbortSignal): Promise<KexinitGrab> {
  const reader = new SshSocketReader(socket, timeoutMs, signal)
  try {
    socket.write(`${clientIdentification()}\r\n`)
    const identification = await reader.readIdentification()
    if (!speaksSsh2(identification.protocolVersion)) {
      if (identification.protocolVersion.startsWith('1.')) return {identification}
      throw new ProbeError('unsupported-version', `server speaks SSH protocol ${identification.protocolVersion}`)
    }
    // Ours goes out before we wait for theirs: a server may hold its KEXINIT until it has the client's.
    if (socket.writable) socket.write(clientKexinitPacket())
    const packet = await reader.readKexinit()
    return {identification, lists: parseKexinit(packet.payload), packet}
  } finally {
    reader.detach()
  }
}

export async function grabKexinit(ctx: ProbeContext): Promise<KexinitGrab> {
  const socket = await ctx.connect()
  try {
    return await grabFromSocket(socket, ctx.timeoutMs, ctx.signal)
  } finally {
    closeQuietly(socket)
  }
}
