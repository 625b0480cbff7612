/**
 * Raw SSH handshake start (RFC 4253 §4.2, §7.1): send our identification, read the server's identification
 * and its SSH_MSG_KEXINIT, then close. Nothing is negotiated; no key exchange is started.
 */
import type {Socket} from 'node:net'

import {TOOL_NAME, toolVersion} from '../../evidence/version.js'
import {ProbeError, type ProbeContext} from '../types.js'
import {parseKexinit, speaksSsh2, type BinaryPacket} from './parse.js'
import {SshSocketReader} from './reader.js'
import type {KexinitLists, SshIdentification} from './types.js'

/** Our identification string (RFC 4253 §4.2 softwareversion: printable, no '-' or spaces). */
export function clientIdentification(): string {
  return `SSH-2.0-${TOOL_NAME}_${toolVersion().replace(/[^0-9A-Za-z.]/g, '_')}`
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
