/**
 * Signing evidence bundles: Ed25519 or ECDSA P-256 (SHA-256) over the exact bytes of manifest.json.
 *
 * The signature file holds the base64 of the raw signature: for Ed25519 the 64-byte signature, for ECDSA the
 * DER (ASN.1 SEQUENCE of r, s) form that `openssl dgst -sha256 -verify` reads. So a bundle can be checked
 * without sg17scan:
 *
 *   jq -r .publicKeySpki signer.json | base64 -d > pub.der
 *   base64 -d manifest.sig > sig.bin
 *   openssl pkeyutl -verify -pubin -keyform DER -inkey pub.der -rawin -in manifest.json -sigfile sig.bin   # Ed25519
 *   openssl dgst -sha256 -keyform DER -verify pub.der -signature sig.bin manifest.json                     # ECDSA
 *
 * then `sha256sum` each file against manifest.json.
 */
import {createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify, X509Certificate} from 'node:crypto'

import {ConfigError} from '../profiles/errors.js'

export const SIGNATURE_ALGORITHMS = ['Ed25519', 'ECDSA-P256-SHA256'] as const
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number]

/** A loaded signing key with its (checked) certificate chain. */
export interface Signer {
  algorithm: SignatureAlgorithm
  privateKey: KeyObject
  /** SubjectPublicKeyInfo of the key, DER. */
  spki: Buffer
  /** Leaf first, each as PEM; empty when no certificate was given. */
  chainPem: string[]
}

/** signer.json */
export interface SignerInfo {
  algorithm: SignatureAlgorithm
  /** base64 of the SubjectPublicKeyInfo DER. */
  publicKeySpki: string
  /** Leaf first, PEM each. */
  certificateChain?: string[]
  /** sha256 of the SubjectPublicKeyInfo DER, hex. */
  keyFingerprint: string
}

/** The signature algorithm for a key, or a sentence saying why the key cannot sign bundles. */
export function algorithmOf(key: KeyObject): SignatureAlgorithm | {unsupported: string} {
  const type = key.asymmetricKeyType
  if (type === 'ed25519') return 'Ed25519'
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    if (curve === 'prime256v1') return 'ECDSA-P256-SHA256'
    return {unsupported: `an EC key on curve ${curve ?? 'unknown'} (only P-256 / prime256v1 is supported)`}
  }
  return {unsupported: `a${type === 'rsa' || type === 'rsa-pss' ? 'n' : ''} ${type ?? 'unknown'} key`}
}

export function keyFingerprint(spki: Buffer): string {
  return createHash('sha256').update(spki).digest('hex')
}

function spkiOf(key: KeyObject): Buffer {
  return key.export({type: 'spki', format: 'der'})
}

/** Every CERTIFICATE block of a PEM text, in order, parsed. Throws ConfigError naming `source` on a bad one. */
export function parseCertificates(pem: string, source: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0) throw new ConfigError(`${source}: no PEM certificate (-----BEGIN CERTIFICATE-----) found`)
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block)
    } catch (error) {
      throw new ConfigError(`${source}: certificate ${i + 1} cannot be read: ${(error as Error).message}`)
    }
  })
}

/**
 * Loads a signing key (PEM: PKCS#8, or SEC1 for EC keys; not encrypted) and, optionally, its X.509 chain (PEM,
 * leaf first). Checks that the key is Ed25519 or ECDSA P-256, that the leaf certificate carries the key, and
 * that each certificate is issued and signed by the next one. Problems throw ConfigError (exit 2 in the CLI).
 */
export function loadSigner(input: {keyPem: string; certPem?: string; keySource?: string; certSource?: string}): Signer {
  const keySource = input.keySource ?? 'signing key'
  const certSource = input.certSource ?? 'signing certificate'
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({key: input.keyPem, format: 'pem'})
  } catch (error) {
    const message = (error as Error).message
    if (/passphrase|encrypted/i.test(message) || /ENCRYPTED/.test(input.keyPem)) {
      throw new ConfigError(`${keySource}: encrypted private keys are not supported; give an unencrypted PKCS#8 PEM key`)
    }
    throw new ConfigError(`${keySource}: not a PEM private key (PKCS#8 expected): ${message}`)
  }
  const algorithm = algorithmOf(privateKey)
  if (typeof algorithm !== 'string') {
    throw new ConfigError(`${keySource}: cannot sign with ${algorithm.unsupported}; use an Ed25519 or ECDSA P-256 private key`)
  }
  const spki = spkiOf(createPublicKey(privateKey))
  const chainPem: string[] = []
  if (input.certPem !== undefined) {
    const chain = parseCertificates(input.certPem, certSource)
    const leaf = chain[0]!
    const leafSpki = spkiOf(leaf.publicKey)
    if (!leafSpki.equals(spki)) {
      throw new ConfigError(
        `${certSource}: the certificate (subject ${oneLine(leaf.subject)}) does not match the signing key ` +
          `(key fingerprint ${keyFingerprint(spki)}, certificate key fingerprint ${keyFingerprint(leafSpki)})`,
      )
    }
    for (let i = 0; i + 1 < chain.length; i++) {
      const child = chain[i]!
      const issuer = chain[i + 1]!
      if (!child.checkIssued(issuer) || !safeVerify(child, issuer.publicKey)) {
        throw new ConfigError(
          `${certSource}: certificate ${i + 1} (subject ${oneLine(child.subject)}) is not issued by certificate ${i + 2} ` +
            `(subject ${oneLine(issuer.subject)}): give the chain leaf first, each certificate followed by its issuer`,
        )
      }
    }
    chainPem.push(...chain.map((c) => c.toString()))
  }
  return {algorithm, privateKey, spki, chainPem}
}

export function safeVerify(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.verify(key)
  } catch {
    return false
  }
}

export function oneLine(name: string): string {
  return name.split('\n').join(', ')
}

export function signerInfo(signer: Signer): SignerInfo {
  return {
    algorithm: signer.algorithm,
    publicKeySpki: signer.spki.toString('base64'),
    ...(signer.chainPem.length > 0 ? {certificateChain: [...signer.chainPem]} : {}),
    keyFingerprint: keyFingerprint(signer.spki),
  }
}

export function signManifest(signer: Signer, manifest: Buffer): Buffer {
  if (signer.algorithm === 'Ed25519') return sign(null, manifest, signer.privateKey)
  return sign('sha256', manifest, {key: signer.privateKey, dsaEncoding: 'der'})
}

/** Whether `signature` over `manifest` verifies with `publicKey` (never throws). */
export function verifyManifestSignature(algorithm: SignatureAlgorithm, publicKey: KeyObject, manifest: Buffer, signature: Buffer): boolean {
  try {
    if (algorithm === 'Ed25519') return verify(null, manifest, publicKey, signature)
    return verify('sha256', manifest, {key: publicKey, dsaEncoding: 'der'}, signature)
  } catch {
    return false
  }
}
