import forge from 'node-forge'
import {describe, expect, it} from 'vitest'

import {verifyChain} from '../../src/probes/tls/trust.js'
import {parseCertificate} from '../../src/probes/tls/x509.js'
import {forgeRsaKeys} from '../helpers/cert-context.js'

/** The typical device certificate: self-signed leaf, keyUsage without keyCertSign, no basicConstraints.
 *  OpenSSL's issuer check refuses it as its own issuer; it must still be recognised as self-signed. */
function deviceLeaf(): Buffer {
  const keys = forgeRsaKeys(1024)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = '0a'
  cert.validity.notBefore = new Date('2024-01-01T00:00:00Z')
  cert.validity.notAfter = new Date('2034-01-01T00:00:00Z')
  const name = [{name: 'commonName', value: 'camera.lab'}]
  cert.setSubject(name)
  cert.setIssuer(name)
  cert.setExtensions([
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true},
    {name: 'extKeyUsage', serverAuth: true},
    {name: 'subjectAltName', altNames: [{type: 7, ip: '127.0.0.1'}]},
  ])
  cert.sign(keys.privateKey, forge.md.sha1.create())
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')
}

describe('self-signed device leaf without keyCertSign', () => {
  const der = deviceLeaf()

  it('is reported selfSigned', () => {
    expect(parseCertificate(der)).toMatchObject({selfSigned: true, keyBits: 1024, signatureAlgorithm: 'sha1WithRSAEncryption'})
  })

  it('fails trust as self-signed, not as unknown issuer', () => {
    expect(verifyChain([der], {systemStore: false})).toEqual({trusted: false, error: 'self-signed'})
  })
})
