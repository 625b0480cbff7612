import {describe, expect, it} from 'vitest'

import {verifyChain} from '../../src/probes/tls/trust.js'
import {derToPem, pemToDers} from '../../src/probes/tls/x509.js'
import {fixture, forgeCertificate, forgeRsaKeys} from '../helpers/cert-context.js'

const der = (name: string): Buffer => pemToDers(fixture(name))[0]!
const CA = fixture('ca.pem')
const leafIp = der('leaf-ip.pem')
const leafDns = der('leaf-dns.pem')
const int = der('int.pem')

/** Flips a bit in the last byte of the signature (the DER's last byte). */
function tamper(cert: Buffer): Buffer {
  const copy = Buffer.from(cert)
  copy[copy.length - 1] = copy[copy.length - 1]! ^ 0x01
  return copy
}

describe('verifyChain', () => {
  it('trusts a leaf issued directly by a --ca anchor', () => {
    const result = verifyChain([leafIp], {anchors: [CA]})
    expect(result).toMatchObject({trusted: true})
    expect(result.error).toBeUndefined()
    expect(result.path).toHaveLength(2)
  })

  it('trusts leaf → intermediate → --ca anchor', () => {
    expect(verifyChain([leafDns, int], {anchors: [CA]})).toMatchObject({trusted: true, path: [expect.any(String), expect.any(String), expect.any(String)]})
  })

  it('trusts through an anchor given as a PEM bundle', () => {
    expect(verifyChain([leafDns, int], {anchors: [fixture('ed25519.pem') + CA]}).trusted).toBe(true)
  })

  it('reports "unknown issuer" for the same chain without the anchor (system store only)', () => {
    expect(verifyChain([leafIp], {})).toEqual({trusted: false, error: 'unknown issuer'})
    expect(verifyChain([leafDns, int], {})).toEqual({trusted: false, error: 'unknown issuer'})
  })

  it('reports "unknown issuer" when the server omits the intermediate', () => {
    expect(verifyChain([leafDns], {anchors: [CA]})).toEqual({trusted: false, error: 'unknown issuer'})
  })

  it('reports "untrusted root" when the server sends a root that is not an anchor', () => {
    expect(verifyChain([leafDns, int, der('ca.pem')], {systemStore: false})).toEqual({trusted: false, error: 'untrusted root'})
  })

  it('accepts a root sent by the server when it is also an anchor, and an intermediate anchor', () => {
    expect(verifyChain([leafDns, int, der('ca.pem')], {anchors: [CA]}).trusted).toBe(true)
    expect(verifyChain([leafDns], {anchors: [derToPem(int)], systemStore: false}).trusted).toBe(true)
  })

  it('ignores unrelated and unparseable certificates the server adds', () => {
    const junk = [Buffer.from('garbage'), der('ed25519.pem'), Buffer.alloc(0)]
    expect(verifyChain([leafDns, ...junk, int], {anchors: [CA]}).trusted).toBe(true)
  })

  it('reports "self-signed" for a self-signed leaf, and trusts it once pinned with --ca', () => {
    const selfSigned = der('ed25519.pem')
    expect(verifyChain([selfSigned], {})).toEqual({trusted: false, error: 'self-signed'})
    expect(verifyChain([selfSigned], {anchors: [fixture('ed25519.pem')]}).trusted).toBe(true)
  })

  it('reports "self-signed" for an RSA 1024/SHA-1 self-signed device certificate', () => {
    const keys = forgeRsaKeys(1024)
    const cert = forgeCertificate({subject: [{shortName: 'CN', value: 'cam.example.test'}], keys, digest: 'sha1'})
    expect(verifyChain([cert], {})).toEqual({trusted: false, error: 'self-signed'})
  })

  it('does not trust a tampered signature', () => {
    expect(verifyChain([tamper(leafIp)], {anchors: [CA]})).toEqual({trusted: false, error: 'bad signature'})
    expect(verifyChain([leafDns, tamper(int)], {anchors: [CA]})).toEqual({trusted: false, error: 'bad signature'})
    expect(verifyChain([tamper(der('ed25519.pem'))], {}).trusted).toBe(false)
  })

  it('handles empty and unparseable chains without throwing', () => {
    expect(verifyChain([], {})).toEqual({trusted: false, error: 'empty chain'})
    expect(verifyChain([Buffer.from('nope')], {anchors: [CA]})).toEqual({trusted: false, error: 'unparseable certificate'})
    expect(verifyChain([leafIp], {anchors: ['not pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----']}).trusted).toBe(false)
  })

  describe('RSA hierarchies built with node-forge (one key, many names)', () => {
    const keys = forgeRsaKeys(1024)
    const name = (cn: string) => [{shortName: 'CN', value: cn}]
    /** root → ca1 → … → caN → leaf, every certificate with the same key. */
    function hierarchy(n: number, pathLen?: (i: number) => number | undefined): {root: Buffer; chain: Buffer[]} {
      const root = forgeCertificate({subject: name('root'), keys, ca: true})
      const cas: Buffer[] = []
      let issuer = name('root')
      for (let i = 1; i <= n; i++) {
        const pl = pathLen?.(i)
        const opts: Parameters<typeof forgeCertificate>[0] = {subject: name(`ca${i}`), issuer: {subject: issuer, privateKey: keys.privateKey}, keys, ca: true, serial: `0${i}`}
        if (pl !== undefined) opts.pathLen = pl
        cas.unshift(forgeCertificate(opts))
        issuer = name(`ca${i}`)
      }
      const leaf = forgeCertificate({subject: name('leaf'), issuer: {subject: issuer, privateKey: keys.privateKey}, keys, ca: false, serial: '7f'})
      return {root, chain: [leaf, ...cas]}
    }

    it('trusts the longest path allowed: leaf, 8 intermediates, anchor', () => {
      const {root, chain} = hierarchy(8)
      expect(verifyChain(chain, {anchors: [derToPem(root)], systemStore: false}).trusted).toBe(true)
    })

    it('stops at "path too long" beyond 10 certificates', () => {
      const {root, chain} = hierarchy(9)
      expect(verifyChain(chain, {anchors: [derToPem(root)], systemStore: false})).toEqual({trusted: false, error: 'path too long'})
    })

    it('enforces pathLenConstraint', () => {
      const {root, chain} = hierarchy(3, (i) => (i === 1 ? 0 : undefined))
      expect(verifyChain(chain, {anchors: [derToPem(root)], systemStore: false})).toEqual({trusted: false, error: 'path length constraint exceeded'})
    })

    it('rejects an issuer that is not a CA', () => {
      const root = forgeCertificate({subject: name('root'), keys, ca: true})
      const notCa = forgeCertificate({subject: name('ee'), issuer: {subject: name('root'), privateKey: keys.privateKey}, keys, ca: false, serial: '05'})
      const leaf = forgeCertificate({subject: name('leaf'), issuer: {subject: name('ee'), privateKey: keys.privateKey}, keys, serial: '06'})
      expect(verifyChain([leaf, notCa], {anchors: [derToPem(root)], systemStore: false})).toEqual({trusted: false, error: 'issuer not a CA'})
    })

    it('terminates on a cycle of intermediates that never reaches an anchor', () => {
      const a = forgeCertificate({subject: name('A'), issuer: {subject: name('B'), privateKey: keys.privateKey}, keys, ca: true, serial: '0a'})
      const b = forgeCertificate({subject: name('B'), issuer: {subject: name('A'), privateKey: keys.privateKey}, keys, ca: true, serial: '0b'})
      const leaf = forgeCertificate({subject: name('leaf'), issuer: {subject: name('A'), privateKey: keys.privateKey}, keys, serial: '0c'})
      expect(verifyChain([leaf, a, b], {anchors: [CA]})).toEqual({trusted: false, error: 'unknown issuer'})
    })
  })
})

describe('robustness against mangled certificates', () => {
  it('never throws from verifyChain, and parseCertificate only throws CertificateParseError', async () => {
    const {parseCertificate, CertificateParseError} = await import('../../src/probes/tls/x509.js')
    let seed = 17
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let i = 0; i < 300; i++) {
      const copy = Buffer.from(i % 2 ? leafDns : int)
      for (let k = 0; k <= rand(3); k++) copy[rand(copy.length)] = rand(256)
      const cut = i % 7 === 0 ? copy.subarray(0, rand(copy.length)) : copy
      expect(() => verifyChain([cut, int], {anchors: [CA]})).not.toThrow()
      try {
        parseCertificate(cut)
      } catch (err) {
        expect(err).toBeInstanceOf(CertificateParseError)
      }
    }
  })
})
