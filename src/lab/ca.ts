/**
 * Certificates for the virtual lab: one lab CA per process and leaf certificates it issues (or self-signed
 * ones for devices that model bad practice). Keys come from node:crypto (fast, native) and are cached per
 * process by purpose, so starting the lab several times in one test run generates each key once.
 */
import {createHash, generateKeyPairSync, randomBytes} from 'node:crypto'

import forge from 'node-forge'

const {pki} = forge

export interface LabKeyPair {
  privateKeyPem: string
  publicKeyPem: string
}

export interface LabCertificate {
  /** PEM of the certificate. */
  certPem: string
  /** PEM (PKCS#8) of its private key. */
  keyPem: string
  /** SHA-256 of the DER certificate, hex. */
  sha256: string
}

export interface LabCa extends LabCertificate {
  cert: forge.pki.Certificate
  key: forge.pki.rsa.PrivateKey
}

const keyCache = new Map<string, LabKeyPair>()

/** An RSA key pair for `purpose`, generated on first use and cached for the life of the process. */
export function labRsaKey(purpose: string, bits: number): LabKeyPair {
  const cacheKey = `${purpose}/${bits}`
  let pair = keyCache.get(cacheKey)
  if (pair === undefined) {
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {
      modulusLength: bits,
      publicExponent: 0x10001,
      privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
      publicKeyEncoding: {type: 'spki', format: 'pem'},
    })
    pair = {privateKeyPem: privateKey, publicKeyPem: publicKey}
    keyCache.set(cacheKey, pair)
  }
  return pair
}

const DAY_MS = 24 * 60 * 60 * 1000

function serialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f // positive INTEGER
  if (bytes[0] === 0) bytes[0] = 1 // no leading zero octet
  return bytes.toString('hex')
}

function certSha256(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(pki.certificateToAsn1(cert)).getBytes()
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex')
}

function validity(cert: forge.pki.Certificate, days: number, now: Date): void {
  // Back-date by an hour so clock skew between processes never makes a fresh certificate "not yet valid".
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000)
  cert.validity.notBefore = notBefore
  cert.validity.notAfter = new Date(notBefore.getTime() + days * DAY_MS)
}

type Md = forge.md.MessageDigest

let cachedCa: LabCa | undefined

/** The lab CA (RSA-2048, SHA-256, 5 years), created once per process. */
export function labCa(): LabCa {
  if (cachedCa !== undefined) return cachedCa
  const keys = labRsaKey('lab-ca', 2048)
  const key = pki.privateKeyFromPem(keys.privateKeyPem) as forge.pki.rsa.PrivateKey
  const cert = pki.createCertificate()
  cert.publicKey = pki.publicKeyFromPem(keys.publicKeyPem)
  cert.serialNumber = serialNumber()
  validity(cert, 5 * 365, new Date())
  const name = [
    {shortName: 'CN', value: 'sg17scan lab CA'},
    {shortName: 'O', value: 'sg17scan lab'},
  ]
  cert.setSubject(name)
  cert.setIssuer(name)
  cert.setExtensions([
    {name: 'basicConstraints', cA: true, critical: true},
    {name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
    {name: 'subjectKeyIdentifier'},
  ])
  cert.sign(key, forge.md.sha256.create())
  cachedCa = {cert, key, certPem: pki.certificateToPem(cert), keyPem: keys.privateKeyPem, sha256: certSha256(cert)}
  return cachedCa
}

export interface LeafOptions {
  /** Key cache purpose, usually the device name. */
  purpose: string
  commonName: string
  keyBits?: number
  /** Validity period in days. */
  days: number
  /** Signature digest; default SHA-256. */
  md?: 'sha256' | 'sha1'
  /** Issue from the lab CA (default) or sign with the leaf's own key. */
  selfSigned?: boolean
  /** IP SANs; default ["127.0.0.1"]. */
  ips?: string[]
  /** DNS SANs; default ["localhost"]. */
  dnsNames?: string[]
  now?: Date
}

/** A TLS server certificate with SAN IP:127.0.0.1 + DNS:localhost, issued by the lab CA or self-signed. */
export function issueLeaf(options: LeafOptions): LabCertificate {
  const keys = labRsaKey(options.purpose, options.keyBits ?? 2048)
  const cert = pki.createCertificate()
  cert.publicKey = pki.publicKeyFromPem(keys.publicKeyPem)
  cert.serialNumber = serialNumber()
  validity(cert, options.days, options.now ?? new Date())
  const subject = [
    {shortName: 'CN', value: options.commonName},
    {shortName: 'O', value: 'sg17scan lab'},
  ]
  cert.setSubject(subject)
  const altNames = [
    ...(options.ips ?? ['127.0.0.1']).map((ip) => ({type: 7, ip})),
    ...(options.dnsNames ?? ['localhost']).map((value) => ({type: 2, value})),
  ]
  let signingKey: forge.pki.rsa.PrivateKey
  const extensions: object[] = [
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
    {name: 'extKeyUsage', serverAuth: true},
    {name: 'subjectAltName', altNames},
    {name: 'subjectKeyIdentifier'},
  ]
  if (options.selfSigned === true) {
    cert.setIssuer(subject)
    signingKey = pki.privateKeyFromPem(keys.privateKeyPem) as forge.pki.rsa.PrivateKey
  } else {
    const ca = labCa()
    cert.setIssuer(ca.cert.subject.attributes)
    extensions.push({name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes()})
    signingKey = ca.key
  }
  cert.setExtensions(extensions)
  const md: Md = options.md === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create()
  cert.sign(signingKey, md)
  return {certPem: pki.certificateToPem(cert), keyPem: keys.privateKeyPem, sha256: certSha256(cert)}
}
