/**
 * Raw SSH handshake start (RFC 4253 §4.2, §7.1): send our identification, read the server's identification,
 * send our own SSH_MSG_KEXINIT (RFC 4253 §7.1 lets a server wait for the client's before sending its own, as
 * OpenSSH clients, ssh-audit and nmap's ssh2-enum-algos all send theirs), read the server's KEXINIT.
 */
import {randomBytes} from 'node:crypto'
import type {Socket} from 'node:net'

import {TOOL_NAME, toolVersion} from '../../evidence/version.js'
import {ProbeError} from '../types.js'
import {KEX_METHODS} from './kex-methods.js'
import {CIPHERS, MACS} from './packet-protection.js'
import {parseKexinit, SSH_MSG_KEXINIT, speaksSsh2} from './parse.js'
import type {SshSocketReader} from './reader.js'
import type {KexinitLists, SshIdentification} from './types.js'
import {nameList} from './wire.js'

/** Our identification string (RFC 4253 §4.2 softwareversion: printable, no '-' or spaces). */
export function clientIdentification(): string {
  return `SSH-2.0-${TOOL_NAME}_${toolVersion().replace(/[^0-9A-Za-z.]/g, '_')}`
}

/** Host-key algorithms of the first connection's KEXINIT (the others each name one). */
export const CLIENT_HOST_KEY_ALGORITHMS: readonly string[] = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss',
]

/**
 * The lists of our KEXINIT: what the raw client implements first (so that it is what gets negotiated), then old and
 * new names it does not implement, so that a server that checks for a common algorithm before answering still
 * finds one and its KEXINIT is read (post-quantum hybrids, chacha20-poly1305; ext-info-c asks for EXT_INFO).
 */
export function clientKexinitLists(hostKeys: readonly string[] = CLIENT_HOST_KEY_ALGORITHMS): string[][] {
  const ciphers = [...CIPHERS.keys(), 'chacha20-poly1305@openssh.com']
  const macs = [...MACS.keys()]
  const compression = ['none', 'zlib@openssh.com', 'zlib']
  return [
    [...KEX_METHODS.keys(), 'mlkem768x25519-sha256', 'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com', 'ext-info-c'],
    [...hostKeys],
    ciphers, ciphers, macs, macs, compression, compression, [], [],
  ]
}

/** Our SSH_MSG_KEXINIT payload (random cookie, first_kex_packet_follows false). */
export function clientKexinitPayload(lists: readonly (readonly string[])[]): Buffer {
  return Buffer.concat([Buffer.from([SSH_MSG_KEXINIT]), randomBytes(16), ...lists.map(nameList), Buffer.alloc(5)])
}

export interface KexinitGrab {
  identification: SshIdentification
  /** Absent for SSH-1-only servers. */
  lists?: KexinitLists
  /** The server's SSH_MSG_KEXINIT payload (message byte included): evidence, and I_S of the exchange hash. */
  payload?: Buffer
}

export function closeQuietly(socket: Socket): void {
  socket.removeAllListeners('data')
  socket.on('error', () => {})
  socket.destroy()
}

/**
 * Exchanges identifications and KEXINITs on a connected socket. `sendKexinit` writes our KEXINIT (a packet: the
 * caller counts it); ours goes out before we wait for theirs: a server may hold its KEXINIT until it has the client's.
 */
export async function exchangeKexinit(socket: Socket, reader: SshSocketReader, sendKexinit: () => void): Promise<KexinitGrab> {
  socket.write(`${clientIdentification()}\r\n`)
  const identification = await reader.readIdentification()
  if (!speaksSsh2(identification.protocolVersion)) {
    if (identification.protocolVersion.startsWith('1.')) return {identification}
    throw new ProbeError('unsupported-version', `server speaks SSH protocol ${identification.protocolVersion}`)
  }
  if (socket.writable) sendKexinit()
  const payload = await reader.readKexinit()
  return {identification, lists: parseKexinit(payload), payload}
}
