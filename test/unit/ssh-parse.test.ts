import {createRequire} from 'node:module'

import {describe, expect, it} from 'vitest'

import {
  MAX_PACKET_LENGTH,
  bitLength,
  buildPacket,
  describePublicKey,
  hasBinaryBytes,
  opensshFingerprint,
  parseBinaryPacket,
  parseIdentificationLine,
  parseKexinit,
  speaksSsh2,
} from '../../src/probes/ssh/parse.js'
import {kexinitData} from '../../src/probes/ssh/unit.js'
import {ProbeError} from '../../src/probes/types.js'

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
function sshString(s: string | Buffer): Buffer {
  const body = typeof s === 'string' ? Buffer.from(s, 'latin1') : s
  return Buffer.concat([u32(body.length), body])
}
const LISTS = [
  'curve25519-sha256,diffie-hellman-group1-sha1,kex-strict-s-v00@openssh.com',
  'rsa-sha2-512,ssh-ed25519',
  'aes128-ctr,3des-cbc',
  'aes256-gcm@openssh.com,aes128-ctr',
  'hmac-sha2-256,hmac-md5',
  'hmac-sha2-512',
  'none,zlib@openssh.com',
  'none',
  '',
  'en',
]
function kexinitPayload(lists: string[] = LISTS, first = 0): Buffer {
  return Buffer.concat([Buffer.from([20]), Buffer.alloc(16, 0xab), ...lists.map((l) => sshString(l)), Buffer.from([first]), u32(0)])
}

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ProbeError)
    return (e as ProbeError).code
  }
  return undefined
}

describe('identification line (RFC 4253 §4.2)', () => {
  it('splits protocol, software and comments', () => {
    expect(parseIdentificationLine('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3')).toEqual({
      banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
      protocolVersion: '2.0',
      software: 'OpenSSH_9.2p1',
      comments: 'Debian-2+deb12u3',
    })
    expect(parseIdentificationLine('SSH-1.99-Cisco-1.25')).toMatchObject({protocolVersion: '1.99', software: 'Cisco-1.25', comments: ''})
    expect(parseIdentificationLine('SSH-1.5-dropbear')).toMatchObject({protocolVersion: '1.5', software: 'dropbear'})
  })
  it('returns undefined for other lines and rejects malformed SSH- lines', () => {
    expect(parseIdentificationLine('Welcome to the router')).toBeUndefined()
    expect(code(() => parseIdentificationLine('SSH-2.0'))).toBe('not-ssh')
    expect(code(() => parseIdentificationLine('SSH-x.y-foo'))).toBe('not-ssh')
  })
  it('classifies SSH-2 speakers', () => {
    expect(speaksSsh2('2.0')).toBe(true)
    expect(speaksSsh2('1.99')).toBe(true)
    expect(speaksSsh2('1.5')).toBe(false)
  })
  it('spots binary bytes', () => {
    expect(hasBinaryBytes(Buffer.from('SSH-2.0-x\r\n'))).toBe(false)
    expect(hasBinaryBytes(Buffer.from([0x16, 0x03, 0x01]))).toBe(true)
  })
})

describe('binary packet (RFC 4253 §6)', () => {
  it('round-trips a packet built with minimum padding', () => {
    const payload = kexinitPayload()
    const pkt = buildPacket(payload)
    expect((pkt.length) % 8).toBe(0)
    const parsed = parseBinaryPacket(Buffer.concat([pkt, Buffer.from('extra')]))
    expect(parsed?.payload.equals(payload)).toBe(true)
    expect(parsed?.raw.length).toBe(pkt.length)
    expect(parsed?.paddingLength).toBeGreaterThanOrEqual(4)
  })
  it('waits for more bytes on a partial packet', () => {
    const pkt = buildPacket(kexinitPayload())
    expect(parseBinaryPacket(pkt.subarray(0, 3))).toBeUndefined()
    expect(parseBinaryPacket(pkt.subarray(0, pkt.length - 1))).toBeUndefined()
  })
  it('rejects a huge packet_length before buffering it', () => {
    expect(code(() => parseBinaryPacket(Buffer.from([0x7f, 0xff, 0xff, 0xff])))).toBe('oversized')
    expect(code(() => parseBinaryPacket(u32(MAX_PACKET_LENGTH + 1)))).toBe('oversized')
    expect(code(() => parseBinaryPacket(u32(2)))).toBe('malformed-packet')
  })
  it('rejects bad padding', () => {
    const pkt = buildPacket(kexinitPayload())
    const small = Buffer.from(pkt)
    small[4] = 3
    expect(code(() => parseBinaryPacket(small))).toBe('malformed-packet')
    // padding_length larger than the packet: no payload left.
    expect(code(() => parseBinaryPacket(Buffer.concat([u32(100), Buffer.from([200]), Buffer.alloc(99)])))).toBe('malformed-packet')
    expect(code(() => parseBinaryPacket(Buffer.concat([u32(12), Buffer.from([11]), Buffer.alloc(11)])))).toBe('malformed-packet')
  })
})

describe('SSH_MSG_KEXINIT (RFC 4253 §7.1)', () => {
  it('parses all ten name-lists in order', () => {
    const k = parseKexinit(kexinitPayload(LISTS, 1))
    expect(k.kex).toEqual(['curve25519-sha256', 'diffie-hellman-group1-sha1', 'kex-strict-s-v00@openssh.com'])
    expect(k.hostKey).toEqual(['rsa-sha2-512', 'ssh-ed25519'])
    expect(k.ciphersClientToServer).toEqual(['aes128-ctr', '3des-cbc'])
    expect(k.ciphersServerToClient).toEqual(['aes256-gcm@openssh.com', 'aes128-ctr'])
    expect(k.macsClientToServer).toEqual(['hmac-sha2-256', 'hmac-md5'])
    expect(k.macsServerToClient).toEqual(['hmac-sha2-512'])
    expect(k.compressionClientToServer).toEqual(['none', 'zlib@openssh.com'])
    expect(k.compressionServerToClient).toEqual(['none'])
    expect(k.languagesClientToServer).toEqual([])
    expect(k.languagesServerToClient).toEqual(['en'])
    expect(k.firstKexPacketFollows).toBe(true)
  })
  it('maps the lists into the observation contract (server-to-client as ciphers/macs/compression)', () => {
    const lists = parseKexinit(kexinitPayload())
    const d = kexinitData({identification: {banner: 'SSH-2.0-x', protocolVersion: '2.0', software: 'x', comments: '', preBannerLines: [], preBannerLineCount: 0, anomalies: []}, lists})
    expect(d.ciphers).toEqual(['aes256-gcm@openssh.com', 'aes128-ctr'])
    expect(d.ciphersClientToServer).toEqual(['aes128-ctr', '3des-cbc'])
    expect(d.macs).toEqual(['hmac-sha2-512'])
    expect(d.compression).toEqual(['none'])
    expect(d.sshV1Only).toBe(false)
  })
  it('rejects a truncated name-list', () => {
    const full = kexinitPayload()
    // Cut inside the third name-list.
    expect(code(() => parseKexinit(full.subarray(0, 17 + 4 + LISTS[0].length + 4 + LISTS[1].length + 6)))).toBe('malformed-kexinit')
    // A length field pointing past the end.
    const lying = Buffer.concat([Buffer.from([20]), Buffer.alloc(16), u32(5000), Buffer.from('abc')])
    expect(code(() => parseKexinit(lying))).toBe('malformed-kexinit')
    // Missing the boolean and reserved field.
    expect(code(() => parseKexinit(full.subarray(0, full.length - 5)))).toBe('malformed-kexinit')
  })
  it('keeps a name-list with empty names and records the anomaly (OpenSSH connects to such servers)', () => {
    const k = parseKexinit(kexinitPayload(['a,,b', LISTS[1], 'aes128-ctr,aes256-ctr,', ...LISTS.slice(3)]))
    expect(k.kex).toEqual(['a', 'b'])
    expect(k.ciphersClientToServer).toEqual(['aes128-ctr', 'aes256-ctr'])
    expect(k.anomalies).toEqual([
      'kex_algorithms contains an empty name (entry 2 of 3; RFC 4251 §5 forbids empty names)',
      'encryption_algorithms_client_to_server contains an empty name (entry 3 of 3; RFC 4251 §5 forbids empty names)',
    ])
    expect(parseKexinit(kexinitPayload()).anomalies).toEqual([])
  })
  it('rejects a wrong message type and control bytes', () => {
    const p = kexinitPayload()
    p[0] = 21
    expect(code(() => parseKexinit(p))).toBe('malformed-kexinit')
    expect(code(() => parseKexinit(kexinitPayload(['a\u0000b', ...LISTS.slice(1)])))).toBe('malformed-kexinit')
  })
})

describe('public key blobs', () => {
  it('measures RSA moduli and computes the OpenSSH fingerprint', () => {
    const n = Buffer.concat([Buffer.from([0x00, 0xc0]), Buffer.alloc(255, 1)]) // 2048 bits with a leading 0
    const blob = Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(n)])
    const d = describePublicKey(blob)
    expect(d).toMatchObject({type: 'ssh-rsa', bits: 2048})
    expect(d.fingerprint).toBe(opensshFingerprint(blob))
    expect(d.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })
  it('describes ECDSA, Ed25519, DSA and unknown types; rejects truncation', () => {
    const ec = Buffer.concat([sshString('ecdsa-sha2-nistp384'), sshString('nistp384'), sshString(Buffer.alloc(97, 4))])
    expect(describePublicKey(ec)).toMatchObject({type: 'ecdsa-sha2-nistp384', bits: 384, curve: 'nistp384'})
    expect(describePublicKey(Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(32))]))).toMatchObject({bits: 256})
    const p = Buffer.concat([Buffer.from([0x80]), Buffer.alloc(127)])
    expect(describePublicKey(Buffer.concat([sshString('ssh-dss'), sshString(p)]))).toMatchObject({type: 'ssh-dss', bits: 1024})
    expect(describePublicKey(sshString('x-unknown'))).toMatchObject({type: 'x-unknown'})
    expect(code(() => describePublicKey(Buffer.concat([sshString('ssh-rsa'), u32(9)])))).toBe('malformed-key')
  })
  it('bitLength ignores leading zero bytes', () => {
    expect(bitLength(Buffer.from([0, 0, 1]))).toBe(1)
    expect(bitLength(Buffer.from([0xff, 0]))).toBe(16)
    expect(bitLength(Buffer.alloc(3))).toBe(0)
  })
})
