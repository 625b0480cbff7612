/**
 * Certificates for fleet devices, fast enough for thousands: node-forge only assembles the TBSCertificate (its
 * key slot temporarily holds the CA's RSA key, then the device's SubjectPublicKeyInfo from node:crypto — e.g.
 * EC P-256 — is put in its place) and node:crypto signs natively with the lab CA key.
 */
import {createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject} from 'node:crypto'

import forge from 'node-forge'

import {labCa} from '../ca.js'

const {pki, asn1} = forge

export interface FleetCertOptions {
  /** The device's public key (any type node:crypto exports as SPKI). */
  publicKey: KeyObject
  subject: Array<{shortName: string; value: string}>
  days: number
  md: 'sha256' | 'sha1'
  now: Date
}

let caPrivate: KeyObject | undefined

/** The subject every fleet device's certificate carries: its id and the maker and model it shows. */
export function fleetSubject(plan: {id: string; shown: {vendor: string; model: string}}): FleetCertOptions['subject'] {
  return [
    {shortName: 'CN', value: `${plan.id}.fleet.lab`},
    {shortName: 'O', value: plan.shown.vendor},
    {shortName: 'OU', value: plan.shown.model},
  ]
}

export function issueFleetCert(o: FleetCertOptions): string {
  const ca = labCa()
  caPrivate ??= createPrivateKey(ca.keyPem)
  const cert = pki.createCertificate()
  cert.publicKey = ca.cert.publicKey
  const serial = randomBytes(12)
  serial[0] = (serial[0]! & 0x7f) | 0x01
  cert.serialNumber = serial.toString('hex')
  cert.validity.notBefore = new Date(o.now.getTime() - 24 * 3600_000)
  cert.validity.notAfter = new Date(o.now.getTime() + o.days * 24 * 3600_000)
  cert.setSubject(o.subject)
  cert.setIssuer(ca.cert.subject.attributes)
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', digitalSignature: true, critical: true},
    {name: 'extKeyUsage', serverAuth: true},
    {name: 'subjectAltName', altNames: [{type: 7, ip: '127.0.0.1'}, {type: 2, value: 'localhost'}]},
  ])
  const sigOid = o.md === 'sha1' ? pki.oids.sha1WithRSAEncryption! : pki.oids.sha256WithRSAEncryption!
  const mutable = cert as unknown as {siginfo: {algorithmOid: string}; signatureOid: string}
  mutable.siginfo.algorithmOid = sigOid
  mutable.signatureOid = sigOid
  const tbs = (pki as unknown as {getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1}).getTBSCertificate(cert)
  // TBSCertificate: [0]version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, [3]extensions
  const spkiDer = (o.publicKey.type === 'public' ? o.publicKey : createPublicKey(o.publicKey)).export({type: 'spki', format: 'der'})
  ;(tbs.value as forge.asn1.Asn1[])[6] = asn1.fromDer(forge.util.createBuffer(spkiDer.toString('binary')))
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary')
  const signature = sign(o.md, tbsDer, caPrivate)
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(sigOid).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
  ])
  const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary')
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
}
