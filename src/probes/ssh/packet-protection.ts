/**
 * SSH binary packet protection after SSH_MSG_NEWKEYS (RFC 4253 §6, §7.2): the ciphers and MACs the raw client
 * implements with Node's crypto, the key derivation, and the sealing/opening of one packet. Encrypt-and-MAC
 * (RFC 4253), encrypt-then-MAC (OpenSSH's *-etm@openssh.com) and AES-GCM (RFC 5647 as OpenSSH does it,
 * aes*-gcm@openssh.com) are covered; chacha20-poly1305 and umac are not (the ssh2 fallback takes those servers).
 */
import {createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual, type Cipher, type Decipher} from 'node:crypto'

import {ProbeError} from '../types.js'
import {checkPacketLength} from './parse.js'
import {uint32} from './wire.js'

interface CipherSpec {
  openssl: string
  keyLength: number
  ivLength: number
  blockSize: number
  /** AEAD (GCM): the tag replaces the MAC. */
  aead?: boolean
}

interface MacSpec {
  hash: string
  keyLength: number
  /** Bytes sent (the -96 variants truncate). */
  length: number
  etm: boolean
}

/** Ciphers in the raw client's order of preference. */
export const CIPHERS: ReadonlyMap<string, CipherSpec> = new Map([
  ['aes128-gcm@openssh.com', {openssl: 'aes-128-gcm', keyLength: 16, ivLength: 12, blockSize: 16, aead: true}],
  ['aes256-gcm@openssh.com', {openssl: 'aes-256-gcm', keyLength: 32, ivLength: 12, blockSize: 16, aead: true}],
  ['aes128-ctr', {openssl: 'aes-128-ctr', keyLength: 16, ivLength: 16, blockSize: 16}],
  ['aes192-ctr', {openssl: 'aes-192-ctr', keyLength: 24, ivLength: 16, blockSize: 16}],
  ['aes256-ctr', {openssl: 'aes-256-ctr', keyLength: 32, ivLength: 16, blockSize: 16}],
  ['aes128-cbc', {openssl: 'aes-128-cbc', keyLength: 16, ivLength: 16, blockSize: 16}],
  ['aes192-cbc', {openssl: 'aes-192-cbc', keyLength: 24, ivLength: 16, blockSize: 16}],
  ['aes256-cbc', {openssl: 'aes-256-cbc', keyLength: 32, ivLength: 16, blockSize: 16}],
  ['rijndael-cbc@lysator.liu.se', {openssl: 'aes-256-cbc', keyLength: 32, ivLength: 16, blockSize: 16}],
  ['3des-cbc', {openssl: 'des-ede3-cbc', keyLength: 24, ivLength: 8, blockSize: 8}],
])

/** MACs in the raw client's order of preference. */
export const MACS: ReadonlyMap<string, MacSpec> = new Map([
  ['hmac-sha2-256-etm@openssh.com', {hash: 'sha256', keyLength: 32, length: 32, etm: true}],
  ['hmac-sha2-512-etm@openssh.com', {hash: 'sha512', keyLength: 64, length: 64, etm: true}],
  ['hmac-sha1-etm@openssh.com', {hash: 'sha1', keyLength: 20, length: 20, etm: true}],
  ['hmac-sha2-256', {hash: 'sha256', keyLength: 32, length: 32, etm: false}],
  ['hmac-sha2-512', {hash: 'sha512', keyLength: 64, length: 64, etm: false}],
  ['hmac-sha1', {hash: 'sha1', keyLength: 20, length: 20, etm: false}],
  ['hmac-sha1-96', {hash: 'sha1', keyLength: 20, length: 12, etm: false}],
  ['hmac-md5', {hash: 'md5', keyLength: 16, length: 16, etm: false}],
  ['hmac-md5-96', {hash: 'md5', keyLength: 16, length: 12, etm: false}],
  ['hmac-sha1-96-etm@openssh.com', {hash: 'sha1', keyLength: 20, length: 12, etm: true}],
  ['hmac-md5-etm@openssh.com', {hash: 'md5', keyLength: 16, length: 16, etm: true}],
  ['hmac-md5-96-etm@openssh.com', {hash: 'md5', keyLength: 16, length: 12, etm: true}],
])

/** One direction's negotiated algorithms (mac is ignored for an AEAD cipher). */
export interface DirectionAlgorithms {
  cipher: string
  mac: string
}

export interface DirectionKeys {
  iv: Buffer
  key: Buffer
  macKey: Buffer
}

/**
 * RFC 4253 §7.2: HASH(K || H || letter || session_id), extended with HASH(K || H || K1 || …) to `length` bytes.
 * `sharedSecret` is K as an mpint.
 */
export function deriveKey(hash: string, sharedSecret: Buffer, exchangeHash: Buffer, sessionId: Buffer, letter: string, length: number): Buffer {
  let out = createHash(hash).update(sharedSecret).update(exchangeHash).update(letter).update(sessionId).digest()
  while (out.length < length) out = Buffer.concat([out, createHash(hash).update(sharedSecret).update(exchangeHash).update(out).digest()])
  return out.subarray(0, length)
}

/** Keys for one direction: letters A/C/E client to server, B/D/F server to client. */
export function directionKeys(hash: string, k: Buffer, h: Buffer, sessionId: Buffer, algorithms: DirectionAlgorithms, clientToServer: boolean): DirectionKeys {
  const c = CIPHERS.get(algorithms.cipher)
  if (!c) throw new ProbeError('unsupported-algorithm', `cipher ${algorithms.cipher} is not implemented by the raw client`)
  const m = c.aead ? undefined : MACS.get(algorithms.mac)
  if (!c.aead && !m) throw new ProbeError('unsupported-algorithm', `MAC ${algorithms.mac} is not implemented by the raw client`)
  const [ivL, keyL, macL] = clientToServer ? ['A', 'C', 'E'] : ['B', 'D', 'F']
  return {
    iv: deriveKey(hash, k, h, sessionId, ivL, c.ivLength),
    key: deriveKey(hash, k, h, sessionId, keyL, c.keyLength),
    macKey: m ? deriveKey(hash, k, h, sessionId, macL, m.keyLength) : Buffer.alloc(0),
  }
}

export interface PacketSealer {
  seal(payload: Buffer, seq: number): Buffer
}

export interface OpenedPacket {
  payload: Buffer
  /** Bytes of the input the packet took. */
  consumed: number
}

/** Opens packets from the start of a buffer; stateful (stream ciphers): call again with the same buffer grown. */
export interface PacketOpener {
  open(buf: Buffer, seq: number): OpenedPacket | undefined
}

function padding(lengthCovered: number, blockSize: number): number {
  let pad = blockSize - (lengthCovered % blockSize)
  if (pad < 4) pad += blockSize
  return pad
}

/** padding_length || payload || random-free padding (zeros are allowed: RFC 4253 §6 only says SHOULD be random). */
function body(payload: Buffer, pad: number): Buffer {
  const out = Buffer.alloc(1 + payload.length + pad)
  out[0] = pad
  payload.copy(out, 1)
  return out
}

function payloadOf(inner: Buffer): Buffer {
  const pad = inner[0]
  const length = inner.length - 1 - pad
  if (pad < 4 || length < 1) throw new ProbeError('malformed-packet', `padding_length ${pad} does not fit a packet of ${inner.length} bytes`)
  return Buffer.from(inner.subarray(1, 1 + length))
}

function gcmIv(fixedIv: Buffer, counter: bigint): Buffer {
  const iv = Buffer.from(fixedIv)
  iv.writeBigUInt64BE((fixedIv.readBigUInt64BE(4) + counter) & 0xffffffffffffffffn, 4)
  return iv
}

function mac(spec: MacSpec, key: Buffer, seq: number, ...parts: Buffer[]): Buffer {
  const h = createHmac(spec.hash, key).update(uint32(seq))
  for (const p of parts) h.update(p)
  return h.digest().subarray(0, spec.length)
}

export function createSealer(algorithms: DirectionAlgorithms, keys: DirectionKeys): PacketSealer {
  const c = CIPHERS.get(algorithms.cipher)!
  if (c.aead) {
    let counter = 0n
    return {
      seal(payload) {
        const inner = body(payload, padding(1 + payload.length, c.blockSize))
        const length = uint32(inner.length)
        const gcm = createCipheriv(c.openssl as 'aes-128-gcm', keys.key, gcmIv(keys.iv, counter++))
        gcm.setAAD(length)
        return Buffer.concat([length, gcm.update(inner), gcm.final(), gcm.getAuthTag()])
      },
    }
  }
  const m = MACS.get(algorithms.mac)!
  const cipher: Cipher = createCipheriv(c.openssl, keys.key, keys.iv).setAutoPadding(false)
  return {
    seal(payload, seq) {
      const block = Math.max(c.blockSize, 8)
      if (m.etm) {
        const inner = body(payload, padding(1 + payload.length, block))
        const length = uint32(inner.length)
        const encrypted = cipher.update(inner)
        return Buffer.concat([length, encrypted, mac(m, keys.macKey, seq, length, encrypted)])
      }
      const inner = body(payload, padding(5 + payload.length, block))
      const packet = Buffer.concat([uint32(inner.length), inner])
      return Buffer.concat([cipher.update(packet), mac(m, keys.macKey, seq, packet)])
    },
  }
}

export function createOpener(algorithms: DirectionAlgorithms, keys: DirectionKeys): PacketOpener {
  const c = CIPHERS.get(algorithms.cipher)!
  if (c.aead) {
    let counter = 0n
    return {
      open(buf) {
        if (buf.length < 4) return undefined
        const length = buf.readUInt32BE(0)
        checkPacketLength(length)
        if (length % c.blockSize !== 0) throw new ProbeError('malformed-packet', `packet_length ${length} is not a multiple of the ${c.blockSize}-byte block`)
        if (buf.length < 4 + length + 16) return undefined
        const gcm = createDecipheriv(c.openssl as 'aes-128-gcm', keys.key, gcmIv(keys.iv, counter++))
        gcm.setAAD(buf.subarray(0, 4))
        gcm.setAuthTag(buf.subarray(4 + length, 4 + length + 16))
        let inner: Buffer
        try {
          inner = Buffer.concat([gcm.update(buf.subarray(4, 4 + length)), gcm.final()])
        } catch {
          throw new ProbeError('bad-mac', 'AES-GCM authentication tag of a server packet does not verify')
        }
        return {payload: payloadOf(inner), consumed: 4 + length + 16}
      },
    }
  }
  const m = MACS.get(algorithms.mac)!
  const decipher: Decipher = createDecipheriv(c.openssl, keys.key, keys.iv).setAutoPadding(false)
  const block = Math.max(c.blockSize, 8)
  // Encrypt-and-MAC: the first block, once decrypted (it holds the length), is kept until the packet is complete.
  let firstBlock: Buffer | undefined
  const verify = (seq: number, expected: Buffer, ...parts: Buffer[]): void => {
    const got = mac(m, keys.macKey, seq, ...parts)
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) throw new ProbeError('bad-mac', `MAC (${algorithms.mac}) of a server packet does not verify`)
  }
  return {
    open(buf, seq) {
      if (m.etm) {
        if (buf.length < 4) return undefined
        const length = buf.readUInt32BE(0)
        checkPacketLength(length)
        if (buf.length < 4 + length + m.length) return undefined
        const encrypted = buf.subarray(4, 4 + length)
        verify(seq, buf.subarray(4 + length, 4 + length + m.length), buf.subarray(0, 4), encrypted)
        return {payload: payloadOf(decipher.update(encrypted)), consumed: 4 + length + m.length}
      }
      if (!firstBlock) {
        if (buf.length < block) return undefined
        firstBlock = decipher.update(buf.subarray(0, block))
      }
      const length = firstBlock.readUInt32BE(0)
      checkPacketLength(length)
      if ((4 + length) % block !== 0) throw new ProbeError('malformed-packet', `packet of ${4 + length} bytes is not a multiple of the ${block}-byte block`)
      if (buf.length < 4 + length + m.length) return undefined
      const packet = Buffer.concat([firstBlock, decipher.update(buf.subarray(block, 4 + length))])
      firstBlock = undefined
      verify(seq, buf.subarray(4 + length, 4 + length + m.length), packet)
      return {payload: payloadOf(packet.subarray(4)), consumed: 4 + length + m.length}
    },
  }
}
