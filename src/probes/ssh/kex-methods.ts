/**
 * Key exchange methods the raw SSH client performs, with Node's crypto (OpenSSL) doing the arithmetic:
 * curve25519 (RFC 8731), ECDH on the NIST curves (RFC 5656 §4), the fixed Diffie-Hellman groups (RFC 4253 §8,
 * RFC 8268) and group exchange (RFC 4419). A method sends its messages, reads the server's reply and returns the
 * host key blob, the signature, the shared secret and its part of the exchange hash; it never decides anything
 * about the server. Post-quantum hybrids (mlkem768x25519, sntrup761x25519) are not among them: those servers get
 * the ssh2 fallback.
 */
import {createDiffieHellman, createECDH, diffieHellman, generateKeyPairSync, getDiffieHellman, createPublicKey, type BinaryLike} from 'node:crypto'

import {ProbeError} from '../types.js'
import {bitLength, WireReader} from './parse.js'
import {message, mpint, mpintMagnitude, sshString, uint32} from './wire.js'

export const SSH_MSG_KEXDH_INIT = 30
export const SSH_MSG_KEXDH_REPLY = 31
export const SSH_MSG_KEX_DH_GEX_REQUEST = 34
export const SSH_MSG_KEX_DH_GEX_GROUP = 31
export const SSH_MSG_KEX_DH_GEX_INIT = 32
export const SSH_MSG_KEX_DH_GEX_REPLY = 33

/** What a key exchange method needs from the connection. */
export interface KexIo {
  send(payload: Buffer): void
  /** The next payload of the given message type (IGNORE/DEBUG skipped; anything else is an error). */
  receive(type: number, stage: string): Promise<Buffer>
}

export interface KexOutcome {
  /** K_S: the server's public host key blob. */
  hostKeyBlob: Buffer
  /** The signature blob over the exchange hash (string algorithm, string signature). */
  signature: Buffer
  /** K as an mpint, ready for the exchange hash and the key derivation. */
  sharedSecret: Buffer
  /** The method's fields of the exchange hash between K_S and K (RFC 4253 §8, RFC 5656 §4, RFC 4419 §3). */
  hashFields: Buffer
}

export interface KexMethod {
  hash: 'sha1' | 'sha256' | 'sha384' | 'sha512'
  run(io: KexIo): Promise<KexOutcome>
}

/** Group exchange sizes asked for: the lower bound is low on purpose (old devices ship 1024-bit moduli; we want their host key, not a secure channel). */
export const GEX_MIN_BITS = 1024
export const GEX_PREFERRED_BITS = 2048
export const GEX_MAX_BITS = 8192

function readReply(payload: Buffer, what: string): {hostKeyBlob: Buffer; serverPublic: Buffer; signature: Buffer} {
  const r = new WireReader(payload, what, 'malformed-kex-reply')
  r.byte('message type')
  return {hostKeyBlob: r.string('K_S'), serverPublic: r.string('server public value'), signature: r.string('signature')}
}

function ecdhLike(hash: KexMethod['hash'], keyPair: () => {publicKey: Buffer; secret: (peer: Buffer) => Buffer}): KexMethod {
  return {
    hash,
    async run(io) {
      const mine = keyPair()
      io.send(message(SSH_MSG_KEXDH_INIT, sshString(mine.publicKey)))
      const reply = readReply(await io.receive(SSH_MSG_KEXDH_REPLY, 'waiting for SSH_MSG_KEX_ECDH_REPLY'), 'SSH_MSG_KEX_ECDH_REPLY')
      let secret: Buffer
      try {
        secret = mine.secret(reply.serverPublic)
      } catch (err) {
        throw new ProbeError('malformed-kex-reply', `server's ephemeral public key is invalid: ${(err as Error).message}`)
      }
      return {
        hostKeyBlob: reply.hostKeyBlob,
        signature: reply.signature,
        sharedSecret: mpint(secret),
        hashFields: Buffer.concat([sshString(mine.publicKey), sshString(reply.serverPublic)]),
      }
    },
  }
}

function x25519(): {publicKey: Buffer; secret: (peer: Buffer) => Buffer} {
  const {publicKey, privateKey} = generateKeyPairSync('x25519')
  const raw = Buffer.from(publicKey.export({format: 'jwk'}).x as string, 'base64url')
  return {
    publicKey: raw,
    secret: (peer) => {
      if (peer.length !== 32) throw new Error(`Q_S is ${peer.length} bytes, not 32`)
      const out = diffieHellman({privateKey, publicKey: createPublicKey({key: {kty: 'OKP', crv: 'X25519', x: peer.toString('base64url')}, format: 'jwk'})})
      if (out.every((b) => b === 0)) throw new Error('shared secret is all zero (RFC 8731 §3)')
      return out
    },
  }
}

function nistCurve(curve: string): () => {publicKey: Buffer; secret: (peer: Buffer) => Buffer} {
  return () => {
    const ecdh = createECDH(curve)
    return {publicKey: ecdh.generateKeys(), secret: (peer) => ecdh.computeSecret(peer)}
  }
}

interface DhGroup {
  generateKeys(): Buffer
  computeSecret(other: BinaryLike): Buffer
  getPrime(): Buffer
}

/** Checks 1 < f < p-1 (RFC 4253 §8), then computes K. */
function dhSecret(group: DhGroup, f: Buffer): Buffer {
  const p = BigInt(`0x${group.getPrime().toString('hex')}`)
  const value = f.length ? BigInt(`0x${f.toString('hex')}`) : 0n
  if (value <= 1n || value >= p - 1n) throw new ProbeError('malformed-kex-reply', 'server DH public value f is outside (1, p-1)')
  return group.computeSecret(f)
}

/** The DH exchange itself (RFC 4253 §8): e out, f back; `before` are the group exchange's fields that precede e in H. */
async function dhExchange(io: KexIo, group: DhGroup, init: number, reply: number, before: Buffer[] = []): Promise<KexOutcome> {
  const e = group.generateKeys()
  io.send(message(init, mpint(e)))
  const name = init === SSH_MSG_KEXDH_INIT ? 'SSH_MSG_KEXDH_REPLY' : 'SSH_MSG_KEX_DH_GEX_REPLY'
  const answer = readReply(await io.receive(reply, `waiting for ${name}`), name)
  const f = mpintMagnitude(answer.serverPublic)
  return {
    hostKeyBlob: answer.hostKeyBlob,
    signature: answer.signature,
    sharedSecret: mpint(dhSecret(group, f)),
    hashFields: Buffer.concat([...before, mpint(e), mpint(f)]),
  }
}

function fixedGroup(hash: KexMethod['hash'], name: string): KexMethod {
  return {hash, run: (io) => dhExchange(io, getDiffieHellman(name), SSH_MSG_KEXDH_INIT, SSH_MSG_KEXDH_REPLY)}
}

function groupExchange(hash: KexMethod['hash']): KexMethod {
  return {
    hash,
    async run(io) {
      const sizes = Buffer.concat([uint32(GEX_MIN_BITS), uint32(GEX_PREFERRED_BITS), uint32(GEX_MAX_BITS)])
      io.send(message(SSH_MSG_KEX_DH_GEX_REQUEST, sizes))
      const r = new WireReader(await io.receive(SSH_MSG_KEX_DH_GEX_GROUP, 'waiting for SSH_MSG_KEX_DH_GEX_GROUP'), 'SSH_MSG_KEX_DH_GEX_GROUP', 'malformed-kex-reply')
      r.byte('message type')
      const p = mpintMagnitude(r.string('p'))
      const g = mpintMagnitude(r.string('g'))
      const bits = bitLength(p)
      if (bits < 512 || bits > GEX_MAX_BITS) throw new ProbeError('malformed-kex-reply', `group exchange modulus of ${bits} bits is outside 512–${GEX_MAX_BITS}`)
      let group: DhGroup
      try {
        group = createDiffieHellman(p, g)
      } catch (err) {
        throw new ProbeError('malformed-kex-reply', `unusable group exchange group: ${(err as Error).message}`)
      }
      return dhExchange(io, group, SSH_MSG_KEX_DH_GEX_INIT, SSH_MSG_KEX_DH_GEX_REPLY, [sizes, mpint(p), mpint(g)])
    },
  }
}

/** Every method the raw client performs, in the order it prefers them (fast elliptic curves first). */
export const KEX_METHODS: ReadonlyMap<string, KexMethod> = new Map([
  ['curve25519-sha256', ecdhLike('sha256', x25519)],
  ['curve25519-sha256@libssh.org', ecdhLike('sha256', x25519)],
  ['ecdh-sha2-nistp256', ecdhLike('sha256', nistCurve('prime256v1'))],
  ['ecdh-sha2-nistp384', ecdhLike('sha384', nistCurve('secp384r1'))],
  ['ecdh-sha2-nistp521', ecdhLike('sha512', nistCurve('secp521r1'))],
  ['diffie-hellman-group14-sha256', fixedGroup('sha256', 'modp14')],
  ['diffie-hellman-group16-sha512', fixedGroup('sha512', 'modp16')],
  ['diffie-hellman-group-exchange-sha256', groupExchange('sha256')],
  ['diffie-hellman-group18-sha512', fixedGroup('sha512', 'modp18')],
  ['diffie-hellman-group14-sha1', fixedGroup('sha1', 'modp14')],
  ['diffie-hellman-group-exchange-sha1', groupExchange('sha1')],
  ['diffie-hellman-group1-sha1', fixedGroup('sha1', 'modp2')],
])
