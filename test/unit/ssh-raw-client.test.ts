/**
 * Pure parts of the raw SSH client: wire encoders, negotiation, key derivation and packet protection (every
 * cipher × MAC the client implements sealed and opened again, byte by byte as a slow server would deliver it;
 * a flipped bit is a bad-mac). The real-peer test is test/interop/ssh-raw-client.test.ts.
 */
import {createHash, generateKeyPairSync, sign} from 'node:crypto'

import {describe, expect, it} from 'vitest'

import {clientKexinitLists} from '../../src/probes/ssh/kexinit.js'
import {assertImplemented, negotiate} from '../../src/probes/ssh/negotiate.js'
import {CIPHERS, createOpener, createSealer, deriveKey, directionKeys, MACS} from '../../src/probes/ssh/packet-protection.js'
import {parseKexinit, WireReader} from '../../src/probes/ssh/parse.js'
import {authOnFirstConnection, hostKeyPlan, hostKeysFor} from '../../src/probes/ssh/raw-session.js'
import type {KexinitLists} from '../../src/probes/ssh/types.js'
import {verifyHostKeySignature} from '../../src/probes/ssh/host-key-signature.js'
import {mpint, mpintMagnitude, nameList, sshString} from '../../src/probes/ssh/wire.js'
import {clientKexinitPayload} from '../../src/probes/ssh/kexinit.js'

describe('wire encoders', () => {
  it('mpint follows RFC 4251 §5 examples', () => {
    expect(mpint(Buffer.from([])).toString('hex')).toBe('00000000')
    expect(mpint(Buffer.from([0, 0])).toString('hex')).toBe('00000000')
    expect(mpint(Buffer.from('09a378f9b2e332a7', 'hex')).toString('hex')).toBe('0000000809a378f9b2e332a7')
    expect(mpint(Buffer.from([0x80])).toString('hex')).toBe('000000020080')
    expect(mpint(Buffer.from([0, 0, 0x7f])).toString('hex')).toBe('000000017f')
    expect(mpintMagnitude(Buffer.from([0, 0x80])).toString('hex')).toBe('80')
  })

  it('name-list and our KEXINIT parse back', () => {
    expect(nameList(['a', 'b']).toString('hex')).toBe('00000003612c62')
    const lists = clientKexinitLists(['ssh-ed25519'])
    const parsed = parseKexinit(clientKexinitPayload(lists))
    expect(parsed.kex).toEqual(lists[0])
    expect(parsed.hostKey).toEqual(['ssh-ed25519'])
    expect(parsed.ciphersServerToClient).toEqual(lists[3])
    expect(parsed.firstKexPacketFollows).toBe(false)
  })
})

const server = (over: Partial<KexinitLists>): KexinitLists => ({
  kex: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'kex-strict-s-v00@openssh.com'],
  hostKey: ['rsa-sha2-512', 'ssh-ed25519'],
  ciphersClientToServer: ['chacha20-poly1305@openssh.com', 'aes256-ctr'],
  ciphersServerToClient: ['chacha20-poly1305@openssh.com', 'aes256-ctr'],
  macsClientToServer: ['umac-64@openssh.com', 'hmac-sha1'],
  macsServerToClient: ['umac-64@openssh.com', 'hmac-sha1'],
  compressionClientToServer: ['none'],
  compressionServerToClient: ['none'],
  languagesClientToServer: [],
  languagesServerToClient: [],
  firstKexPacketFollows: false,
  anomalies: [],
  ...over,
})

describe('negotiation (RFC 4253 §7.1: the client’s first name the server also has)', () => {
  it('prefers what the raw client implements', () => {
    const n = negotiate(clientKexinitLists(), server({}))
    expect(n).toMatchObject({kex: 'curve25519-sha256', hostKey: 'ssh-ed25519', clientToServer: {cipher: 'aes256-ctr', mac: 'hmac-sha1'}})
    expect(() => assertImplemented(n)).not.toThrow()
  })

  it('a server with only what the raw client lacks: negotiated, then unsupported-algorithm', () => {
    const n = negotiate(clientKexinitLists(), server({kex: ['sntrup761x25519-sha512@openssh.com'], ciphersServerToClient: ['chacha20-poly1305@openssh.com']}))
    expect(n.kex).toBe('sntrup761x25519-sha512@openssh.com')
    expect(() => assertImplemented(n)).toThrow(/not implemented by the raw SSH client: key exchange sntrup761x25519-sha512@openssh.com, cipher chacha20-poly1305@openssh.com/)
  })

  it('nothing in common: no-common-algorithm naming what the server offers', () => {
    expect(() => negotiate(clientKexinitLists(), server({macsServerToClient: ['umac-64@openssh.com']}))).toThrow(/no common MAC \(server to client\): server offers umac-64@openssh.com/)
  })
})

describe('host-key plan', () => {
  it('fetches RSA once, through the strongest offered RSA algorithm, and reports it for each', () => {
    const offered = ['ssh-ed25519', 'ssh-rsa', 'rsa-sha2-256', 'ssh-dss']
    expect(hostKeyPlan(offered)).toEqual(['ssh-ed25519', 'rsa-sha2-256', 'ssh-dss'])
    const fetched = new Map([
      ['ssh-ed25519', {algorithm: 'ssh-ed25519', fingerprint: 'A'}],
      ['rsa-sha2-256', {algorithm: 'rsa-sha2-256', fingerprint: 'R'}],
    ])
    expect(hostKeysFor(offered, fetched)).toEqual([
      {algorithm: 'ssh-ed25519', fingerprint: 'A'},
      {algorithm: 'ssh-rsa', fingerprint: 'R'},
      {algorithm: 'rsa-sha2-256', fingerprint: 'R'},
      {algorithm: 'ssh-dss', error: 'not fetched'},
    ])
  })
})

describe('which connection carries the none request', () => {
  it('the first with one or two keys to fetch; another from three on (the first then frees its slot sooner)', () => {
    expect(authOnFirstConnection(['ssh-ed25519'])).toBe(true)
    expect(authOnFirstConnection(['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])).toBe(true)
    expect(authOnFirstConnection(['rsa-sha2-512', 'ssh-rsa', 'ssh-dss', 'ecdsa-sha2-nistp256'])).toBe(false)
    expect(authOnFirstConnection(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512'])).toBe(false)
    // Nothing the first connection can negotiate: it fails, so it carries the request's failure itself.
    expect(authOnFirstConnection(['ssh-ed448', 'x509v3-ssh-rsa', 'sk-ssh-ed25519@openssh.com'])).toBe(true)
  })
})

describe('key derivation (RFC 4253 §7.2)', () => {
  it('extends with HASH(K || H || K1) past one digest', () => {
    const k = mpint(Buffer.from('11'.repeat(32), 'hex'))
    const h = Buffer.alloc(20, 2)
    const k1 = createHash('sha1').update(k).update(h).update('C').update(h).digest()
    const k2 = createHash('sha1').update(k).update(h).update(k1).digest()
    expect(deriveKey('sha1', k, h, h, 'C', 32)).toEqual(Buffer.concat([k1, k2]).subarray(0, 32))
  })
})

describe('packet protection: every cipher × MAC seals and opens again', () => {
  const k = mpint(Buffer.from('5a'.repeat(32), 'hex'))
  const h = createHash('sha256').update('exchange').digest()
  const combos = [...CIPHERS.keys()].flatMap((cipher) => (CIPHERS.get(cipher)!.aead ? [[cipher, '']] : [...MACS.keys()].map((mac) => [cipher, mac])))

  it.each(combos)('%s %s', (cipher, mac) => {
    const algorithms = {cipher, mac}
    const keys = directionKeys('sha256', k, h, h, algorithms, true)
    const sealer = createSealer(algorithms, keys)
    const opener = createOpener(algorithms, keys)
    const payloads = [Buffer.from([5, 1, 2, 3]), Buffer.alloc(300, 7), Buffer.from([50])]
    const wire = Buffer.concat(payloads.map((p, i) => sealer.seal(p, 3 + i)))
    // Delivered a byte at a time: opening waits (undefined) until a whole packet is there.
    const out: Buffer[] = []
    let buf = Buffer.alloc(0)
    for (const byte of wire) {
      buf = Buffer.concat([buf, Buffer.from([byte])])
      const opened = opener.open(buf, 3 + out.length)
      if (opened) {
        out.push(opened.payload)
        buf = buf.subarray(opened.consumed)
      }
    }
    expect(out).toEqual(payloads)
    expect(buf.length).toBe(0)
    // What is encrypted is a multiple of the block size (RFC 4253 §6; with the length field unless it is in clear).
    const spec = CIPHERS.get(cipher)!
    const inClear = spec.aead || MACS.get(mac)!.etm
    const encrypted = sealer.seal(Buffer.from([1]), 9).length - (spec.aead ? 16 : MACS.get(mac)!.length) - (inClear ? 4 : 0)
    expect(encrypted % Math.max(spec.blockSize, 8)).toBe(0)
    expect(encrypted).toBeGreaterThanOrEqual(inClear ? 8 : 16)
  })

  it.each([['aes128-ctr', 'hmac-sha2-256'], ['aes128-ctr', 'hmac-sha2-256-etm@openssh.com'], ['aes128-gcm@openssh.com', '']])('%s %s: one flipped bit is bad-mac', (cipher, mac) => {
    const algorithms = {cipher, mac}
    const keys = directionKeys('sha256', k, h, h, algorithms, false)
    const packet = createSealer(algorithms, keys).seal(Buffer.from('hello'), 0)
    packet[packet.length - 20] ^= 1
    expect(() => createOpener(algorithms, keys).open(packet, 0)).toThrow(expect.objectContaining({code: 'bad-mac'}))
  })

  it('a wrong sequence number is bad-mac (encrypt-and-MAC)', () => {
    const algorithms = {cipher: 'aes256-ctr', mac: 'hmac-sha1'}
    const keys = directionKeys('sha256', k, h, h, algorithms, false)
    const packet = createSealer(algorithms, keys).seal(Buffer.from('hello'), 4)
    expect(() => createOpener(algorithms, keys).open(packet, 5)).toThrow(expect.objectContaining({code: 'bad-mac'}))
  })

  it('an oversized length field is refused before waiting for it', () => {
    const algorithms = {cipher: 'aes128-gcm@openssh.com', mac: ''}
    const keys = directionKeys('sha256', k, h, h, algorithms, false)
    expect(() => createOpener(algorithms, keys).open(Buffer.from([0x7f, 0, 0, 0, 1]), 0)).toThrow(expect.objectContaining({code: 'oversized'}))
  })

  it('WireReader reads what the encoders wrote', () => {
    const r = new WireReader(Buffer.concat([nameList(['x', 'y']), mpint(Buffer.from([0x90]))]), 'test')
    expect(r.nameList('l')).toEqual(['x', 'y'])
    expect(mpintMagnitude(r.string('m'))).toEqual(Buffer.from([0x90]))
  })
})

describe('host key signature over the exchange hash', () => {
  const h = createHash('sha256').update('an exchange hash').digest()
  const jwk = (k: {export(o: {format: 'jwk'}): unknown}) => k.export({format: 'jwk'}) as Record<string, string>
  const b = (x: string) => Buffer.from(x, 'base64url')

  const ed = generateKeyPairSync('ed25519')
  const edBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(b(jwk(ed.publicKey).x!))])
  const edSig = (data: Buffer) => Buffer.concat([sshString('ssh-ed25519'), sshString(sign(null, data, ed.privateKey))])

  const rsa = generateKeyPairSync('rsa', {modulusLength: 2048})
  const rsaBlob = Buffer.concat([sshString('ssh-rsa'), mpint(b(jwk(rsa.publicKey).e!)), mpint(b(jwk(rsa.publicKey).n!))])
  const rsaSig = (alg: string, hash: string, data: Buffer) => Buffer.concat([sshString(alg), sshString(sign(hash, data, rsa.privateKey))])

  const ec = generateKeyPairSync('ec', {namedCurve: 'P-384'})
  const ecBlob = Buffer.concat([sshString('ecdsa-sha2-nistp384'), sshString('nistp384'), sshString(Buffer.concat([Buffer.from([4]), b(jwk(ec.publicKey).x!), b(jwk(ec.publicKey).y!)]))])
  const ecSig = (data: Buffer) => {
    const p1363 = sign('sha384', data, {key: ec.privateKey, dsaEncoding: 'ieee-p1363'})
    return Buffer.concat([sshString('ecdsa-sha2-nistp384'), sshString(Buffer.concat([mpint(p1363.subarray(0, 48)), mpint(p1363.subarray(48))]))])
  }

  it('valid for Ed25519, RSA (SHA-1, SHA-256, SHA-512) and ECDSA P-384 signatures over H', () => {
    expect(verifyHostKeySignature('ssh-ed25519', edBlob, edSig(h), h)).toEqual({status: 'valid'})
    expect(verifyHostKeySignature('ssh-rsa', rsaBlob, rsaSig('ssh-rsa', 'sha1', h), h)).toEqual({status: 'valid'})
    expect(verifyHostKeySignature('rsa-sha2-256', rsaBlob, rsaSig('rsa-sha2-256', 'sha256', h), h)).toEqual({status: 'valid'})
    expect(verifyHostKeySignature('rsa-sha2-512', rsaBlob, rsaSig('rsa-sha2-512', 'sha512', h), h)).toEqual({status: 'valid'})
    expect(verifyHostKeySignature('ecdsa-sha2-nistp384', ecBlob, ecSig(h), h)).toEqual({status: 'valid'})
  })

  it('invalid over another hash, with another key, or of another algorithm than negotiated', () => {
    const other = createHash('sha256').update('another exchange').digest()
    expect(verifyHostKeySignature('ssh-ed25519', edBlob, edSig(other), h).status).toBe('invalid')
    expect(verifyHostKeySignature('ecdsa-sha2-nistp384', ecBlob, ecSig(other), h).status).toBe('invalid')
    // A key presented with a signature made by another key (a relay passing on someone else's key).
    const otherEd = generateKeyPairSync('ed25519')
    const foreign = Buffer.concat([sshString('ssh-ed25519'), sshString(sign(null, h, otherEd.privateKey))])
    expect(verifyHostKeySignature('ssh-ed25519', edBlob, foreign, h).status).toBe('invalid')
    expect(verifyHostKeySignature('rsa-sha2-512', rsaBlob, rsaSig('ssh-rsa', 'sha1', h), h)).toEqual({
      status: 'invalid',
      reason: 'signature of ssh-rsa where rsa-sha2-512 was negotiated',
    })
    expect(verifyHostKeySignature('ssh-ed25519', edBlob, Buffer.from([0, 0, 0, 9, 1]), h).status).toBe('invalid')
  })

  it('unchecked for a key type it does not know (the key is still recorded)', () => {
    const blob = Buffer.concat([sshString('ssh-ed448'), sshString(Buffer.alloc(57, 1))])
    expect(verifyHostKeySignature('ssh-ed448', blob, Buffer.concat([sshString('ssh-ed448'), sshString(Buffer.alloc(114))]), h)).toEqual({status: 'unchecked', reason: 'no signature check for ssh-ed448 keys'})
  })
})
