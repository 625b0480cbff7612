/**
 * One SSH connection driven by the raw client: identification and KEXINIT exchange, a key exchange, and — when
 * asked — SSH_MSG_NEWKEYS and the packets that follow it, encrypted. Sequence numbers count every packet from the
 * first (RFC 4253 §6.4). Every wait is bounded by the reader's timeout and the probe's signal.
 */
import {createHash} from 'node:crypto'
import type {Socket} from 'node:net'

import {ProbeError} from '../types.js'
import {KEX_METHODS, type KexOutcome} from './kex-methods.js'
import {clientIdentification, clientKexinitPayload, closeQuietly, exchangeKexinit, type KexinitGrab} from './kexinit.js'
import {assertImplemented, type Negotiated} from './negotiate.js'
import {createOpener, createSealer, directionKeys, type PacketSealer} from './packet-protection.js'
import {buildPacket, SSH_MSG_DISCONNECT} from './parse.js'
import {SshSocketReader} from './reader.js'
import {message, sshString, uint32} from './wire.js'

export const SSH_MSG_NEWKEYS = 21
/** Other packets (IGNORE, DEBUG, and the caller's skippable types) accepted while waiting for one message. */
const MAX_SKIPPED = 16

export interface KeyExchangeResult extends KexOutcome {
  hash: string
  /** H, also the session identifier of the first key exchange. */
  exchangeHash: Buffer
}

export class RawSshConnection {
  readonly reader: SshSocketReader
  private sent = 0
  private sealer: PacketSealer | undefined
  private clientKexinit: Buffer | undefined
  grab: KexinitGrab | undefined

  constructor(
    readonly socket: Socket,
    timeoutMs: number,
    signal: AbortSignal,
    /** Our KEXINIT lists, in wire order. */
    readonly lists: readonly (readonly string[])[],
  ) {
    this.reader = new SshSocketReader(socket, timeoutMs, signal)
  }

  send(payload: Buffer): void {
    const packet = this.sealer ? this.sealer.seal(payload, this.sent) : buildPacket(payload)
    this.sent++
    if (this.socket.writable) this.socket.write(packet)
  }

  /** The next payload of type `type` (or one of them); IGNORE, DEBUG and `skip` types are passed over (a bounded number). */
  receive(type: number | readonly number[], stage: string, skip: readonly number[] = []): Promise<Buffer> {
    return this.reader.readMessage(typeof type === 'number' ? [type] : type, stage, skip, MAX_SKIPPED)
  }

  /** Identification and KEXINIT exchange. */
  async start(): Promise<KexinitGrab> {
    this.grab = await exchangeKexinit(this.socket, this.reader, () => {
      this.clientKexinit = clientKexinitPayload(this.lists)
      this.send(this.clientKexinit)
    })
    return this.grab
  }

  /** Runs the negotiated key exchange up to the server's reply; computes H (RFC 4253 §8). */
  async keyExchange(kex: string): Promise<KeyExchangeResult> {
    assertImplemented({kex})
    const method = KEX_METHODS.get(kex)!
    const grab = this.grab
    if (!grab?.payload || !this.clientKexinit) throw new ProbeError('internal', 'key exchange before the KEXINIT exchange')
    const outcome = await method.run({send: (p) => this.send(p), receive: (t, s) => this.receive(t, s)})
    const exchangeHash = createHash(method.hash)
      .update(sshString(clientIdentification()))
      .update(sshString(grab.identification.banner))
      .update(sshString(this.clientKexinit))
      .update(sshString(grab.payload))
      .update(sshString(outcome.hostKeyBlob))
      .update(outcome.hashFields)
      .update(outcome.sharedSecret)
      .digest()
    return {...outcome, hash: method.hash, exchangeHash}
  }

  /** SSH_MSG_NEWKEYS both ways; the packets after it are protected with the negotiated algorithms. */
  async newKeys(kex: KeyExchangeResult, negotiated: Negotiated): Promise<void> {
    assertImplemented(negotiated)
    const {hash, sharedSecret: k, exchangeHash: h} = kex
    const c2s = directionKeys(hash, k, h, h, negotiated.clientToServer, true)
    const s2c = directionKeys(hash, k, h, h, negotiated.serverToClient, false)
    this.send(message(SSH_MSG_NEWKEYS))
    this.sealer = createSealer(negotiated.clientToServer, c2s)
    await this.receive(SSH_MSG_NEWKEYS, 'waiting for SSH_MSG_NEWKEYS')
    this.reader.opener = createOpener(negotiated.serverToClient, s2c)
  }

  /** A polite SSH_MSG_DISCONNECT (11: by application), then the socket is closed. */
  close(): void {
    try {
      if (this.grab?.payload) this.send(message(SSH_MSG_DISCONNECT, uint32(11), sshString(''), sshString('')))
    } catch {
      // closing anyway
    }
    this.reader.detach()
    closeQuietly(this.socket)
  }
}
