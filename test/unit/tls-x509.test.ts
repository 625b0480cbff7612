import {execFileSync} from 'node:child_process'
import {createHash, X509Certificate} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {
  CertificateParseError,
  derToPem,
  formatIpBytes,
  parseCertificate,
  pemToDers,
  signatureAlgorithmName,
} from '../../src/probes/tls/x509.js'
import {CERT_DIR, fixture, forgeCertificate, forgeRsaKeys} from '../helpers/cert-context.js'

const der = (name: string): Buffer => pemToDers(fixture(name))[0]!

/** SHA-256 of the SPKI as the openssl CLI exports it: an independent check of spkiSha256. */
function opensslSpkiSha256(pemFile: string): string {
  const pub = execFileSync('openssl', ['x509', '-in', pemFile, '-noout', '-pubkey'])
  const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], {input: pub})
  return createHash('sha256').update(spki).digest('hex')
}

describe('parseCertificate: RSA certificates built with node-forge', () => {
  const keys1024 = forgeRsaKeys(1024)
  const subject = [
    {shortName: 'C', value: 'DE'},
    {shortName: 'O', value: 'Legacy Devices'},
    {shortName: 'CN', value: 'old.example.test'},
  ]

  it('reads a 1024-bit SHA-1 self-signed certificate', () => {
    const cert = forgeCertificate({
      subject,
      keys: keys1024,
      digest: 'sha1',
      serial: '00c0ffee',
      ca: false,
      altNames: [
        {type: 2, value: 'old.example.test'},
        {type: 7, ip: '192.0.2.10'},
        {type: 7, ip: '2001:db8:0:0:0:0:0:1'},
        {type: 1, value: 'admin@example.test'},
        {type: 6, value: 'https://old.example.test/'},
      ],
    })
    const info = parseCertificate(cert)
    expect(info).toMatchObject({
      subject: 'CN=old.example.test,O=Legacy Devices,C=DE',
      issuer: 'CN=old.example.test,O=Legacy Devices,C=DE',
      serialNumber: 'c0ffee',
      notBefore: '2024-01-01T00:00:00.000Z',
      notAfter: '2034-01-01T00:00:00.000Z',
      keyType: 'RSA',
      keyBits: 1024,
      signatureAlgorithm: 'sha1WithRSAEncryption',
      selfSigned: true,
      isCA: false,
    })
    expect(info.curve).toBeUndefined()
    expect(info.san).toEqual([
      'DNS:old.example.test',
      'IP:192.0.2.10',
      'IP:2001:db8::1',
      'email:admin@example.test',
      'URI:https://old.example.test/',
    ])
    expect(info.sha256).toBe(createHash('sha256').update(cert).digest('hex'))
    expect(info.sha256).toBe(new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase())
  })

  it('names an MD5 signature', () => {
    const info = parseCertificate(forgeCertificate({subject, keys: keys1024, digest: 'md5'}))
    expect(info.signatureAlgorithm).toBe('md5WithRSAEncryption')
    expect(info.keyBits).toBe(1024)
  })

  it('reads a 2048-bit SHA-256 CA certificate and gives one spkiSha256 for one key', () => {
    const keys = forgeRsaKeys(2048)
    const a = parseCertificate(forgeCertificate({subject, keys, ca: true, serial: '01'}))
    const b = parseCertificate(forgeCertificate({subject: [{shortName: 'CN', value: 'other'}], keys, serial: '02'}))
    expect(a).toMatchObject({keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption', isCA: true})
    expect(a.spkiSha256).toBe(b.spkiSha256)
    expect(a.sha256).not.toBe(b.sha256)
  })
})

describe('parseCertificate: EC and Ed25519 certificates made by openssl (test/fixtures/certs)', () => {
  it('reads an EC P-256 leaf issued by a P-384 CA', () => {
    const info = parseCertificate(der('leaf-ip.pem'))
    expect(info).toMatchObject({
      subject: 'CN=127.0.0.1,O=sg17scan test',
      issuer: 'CN=sg17scan test CA,O=sg17scan test',
      serialNumber: '3003',
      san: ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost'],
      keyType: 'EC',
      keyBits: 256,
      curve: 'P-256',
      signatureAlgorithm: 'ecdsa-with-SHA384',
      selfSigned: false,
      isCA: false,
    })
    expect(info.notBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
    expect(new Date(info.notAfter).getTime()).toBeGreaterThan(new Date(info.notBefore).getTime())
    expect(info.spkiSha256).toBe(opensslSpkiSha256(join(CERT_DIR, 'leaf-ip.pem')))
  })

  it('reads the P-384 self-signed CA', () => {
    const info = parseCertificate(der('ca.pem'))
    expect(info).toMatchObject({keyType: 'EC', keyBits: 384, curve: 'P-384', selfSigned: true, isCA: true, san: []})
    expect(info.subject).toBe(info.issuer)
  })

  it('escapes RFC 4514 specials and orders the DN most specific first', () => {
    const info = parseCertificate(der('leaf-dns.pem'))
    expect(info.subject).toBe('CN=device.example.test,O=sg17scan test\\, Inc.,C=CH')
    expect(info.signatureAlgorithm).toBe('ecdsa-with-SHA256')
    // Same key as leaf-ip.pem: one SPKI hash.
    expect(info.spkiSha256).toBe(parseCertificate(der('leaf-ip.pem')).spkiSha256)
  })

  it('reads an Ed25519 certificate', () => {
    const info = parseCertificate(der('ed25519.pem'))
    expect(info).toMatchObject({keyType: 'Ed25519', keyBits: 256, signatureAlgorithm: 'Ed25519', selfSigned: true})
    expect(info.curve).toBeUndefined()
    expect(info.spkiSha256).toBe(opensslSpkiSha256(join(CERT_DIR, 'ed25519.pem')))
  })

  describe('curves generated on the fly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17-x509-'))
    afterAll(() => rmSync(dir, {recursive: true, force: true}))
    const make = (curve: string): Buffer => {
      const out = join(dir, `${curve}.pem`)
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-nodes',
        '-keyout', join(dir, `${curve}.key`), '-subj', `/CN=${curve}.example.test`, '-days', '2', '-sha512', '-out', out,
      ], {stdio: 'ignore'})
      return pemToDers(readFileSync(out, 'utf8'))[0]!
    }

    it('maps secp521r1 to P-521', () => {
      expect(parseCertificate(make('P-521'))).toMatchObject({curve: 'P-521', keyBits: 521, signatureAlgorithm: 'ecdsa-with-SHA512'})
    })

    it('keeps other curve names as OpenSSL gives them', () => {
      expect(parseCertificate(make('brainpoolP256r1'))).toMatchObject({keyType: 'EC', curve: 'brainpoolP256r1', keyBits: 256})
    })
  })
})

describe('x509 helpers', () => {
  it('round-trips PEM and DER, bundles included', () => {
    const a = der('ca.pem')
    const b = der('int.pem')
    expect(pemToDers(derToPem(a) + derToPem(b))).toEqual([a, b])
    expect(derToPem(a)).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/)
    expect(pemToDers('no certificate here')).toEqual([])
  })

  it('formats IP SAN bytes (RFC 5952 for IPv6)', () => {
    expect(formatIpBytes(Buffer.from([10, 0, 0, 1]))).toBe('10.0.0.1')
    expect(formatIpBytes(Buffer.from('20010db8000000000001000000000001', 'hex'))).toBe('2001:db8::1:0:0:1')
    expect(formatIpBytes(Buffer.from('00000000000000000000ffffc0000201', 'hex'))).toBe('::ffff:c000:201')
    expect(formatIpBytes(Buffer.from('20010db8000100010001000100010001', 'hex'))).toBe('2001:db8:1:1:1:1:1:1')
  })

  it('names signature algorithms by OID, unknown ones as the OID', () => {
    expect(signatureAlgorithmName('1.2.840.113549.1.1.10')).toBe('RSASSA-PSS')
    expect(signatureAlgorithmName('1.2.840.10040.4.3')).toBe('dsa-with-sha1')
    expect(signatureAlgorithmName('1.2.840.10045.4.1')).toBe('ecdsa-with-SHA1')
    expect(signatureAlgorithmName('1.2.3.4')).toBe('1.2.3.4')
  })

  it('rejects bytes that are not a certificate with CertificateParseError', () => {
    expect(() => parseCertificate(Buffer.from('not a certificate'))).toThrow(CertificateParseError)
    expect(() => parseCertificate(Buffer.alloc(0))).toThrow(CertificateParseError)
    const truncated = der('leaf-ip.pem').subarray(0, 200)
    expect(() => parseCertificate(truncated)).toThrow(CertificateParseError)
  })
})

describe('rsaModulusBits (fallback when OpenSSL cannot load a key)', () => {
  it('reads the modulus size from the SPKI DER', async () => {
    const {generateKeyPairSync} = await import('node:crypto')
    const {rsaModulusBits} = await import('../../src/probes/tls/x509.js')
    for (const bits of [1024, 2048, 1023]) {
      const {publicKey} = generateKeyPairSync('rsa', {modulusLength: bits})
      expect(rsaModulusBits(publicKey.export({type: 'spki', format: 'der'}))).toBe(bits)
    }
  })
})
