/**
 * An ECDSA (P-256) leaf certificate issued by the lab CA. node-forge builds only RSA certificates, so the
 * certificate is built with a placeholder RSA key, then its SubjectPublicKeyInfo is swapped for the EC key's and
 * the TBSCertificate signed again with the CA key (SHA-256, or SHA-1 for a device modelling bad practice).
 */
import {createHash, generateKeyPairSync, randomBytes} from 'node:crypto'

import forge from 'node-forge'

import {type LabCertificate, labCa, labRsaKey} from './ca.js'

const {pki, asn1} = forge
const ecKeys = new Map<string, {privateKeyPem: string; spkiDer: Buffer}>()

function ecKey(purpose: string): {privateKeyPem: string; spkiDer: Buffer} {
  let key = ecKeys.get(purpose)
  if (key === undefined) {
    const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'})
    key = {
      privateKeyPem: privateKey.export({type: 'pkcs8', format: 'pem'}).toString(),
      spkiDer: publicKey.export({type: 'spki', format: 'der'}),
    }
    ecKeys.set(purpose, key)
  }
  return key
}

export function issueEcLeaf(o: {purpose: string; commonName: string; days: number; md?: 'sha256' | 'sha1'}): LabCertificate {
  const ca = labCa()
  const key = ecKey(o.purpose)
  const cert = pki.createCertificate()
  cert.publicKey = pki.publicKeyFromPem(labRsaKey('ec-leaf-placeholder', 1024).publicKeyPem)
  const serial = randomBytes(16)
  serial[0] = (serial[0]! & 0x7f) | 0x01
  cert.serialNumber = serial.toString('hex')
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000)
  cert.validity.notAfter = new Date(cert.validity.notBefore.getTime() + o.days * 24 * 60 * 60 * 1000)
  cert.setSubject([
    {shortName: 'CN', value: o.commonName},
    {shortName: 'O', value: 'sg17scan lab'},
  ])
  cert.setIssuer(ca.cert.subject.attributes)
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', digitalSignature: true, critical: true},
    {name: 'extKeyUsage', serverAuth: true},
    {name: 'subjectAltName', altNames: [{type: 7, ip: '127.0.0.1'}, {type: 2, value: 'localhost'}]},
    {name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes()},
  ])
  const md = () => (o.md === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create())
  cert.sign(ca.key, md())
  // Swap in the EC SubjectPublicKeyInfo (7th TBSCertificate field, after version) and sign again.
  const tbs = (cert as unknown as {tbsCertificate: forge.asn1.Asn1}).tbsCertificate
  ;(tbs.value as forge.asn1.Asn1[])[6] = asn1.fromDer(forge.util.createBuffer(key.spkiDer.toString('binary')))
  const digest = md()
  digest.update(asn1.toDer(tbs).getBytes())
  cert.signature = ca.key.sign(digest)
  const der = Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary')
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
  return {certPem, keyPem: key.privateKeyPem, sha256: createHash('sha256').update(der).digest('hex')}
}
