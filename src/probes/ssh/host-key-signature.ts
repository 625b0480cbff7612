/**
 * Verifies the server's signature over the exchange hash H (RFC 4253 §8, RFC 5656 §4, RFC 8332, RFC 8709): the proof
 * that the server holds the private half of the host key it presented. A key obtained without that proof could be
 * anyone's (a relay, a broken stack): the observation says which it was. Pure; Node's crypto checks the signature.
 */
import {createPublicKey, verify, type KeyObject} from 'node:crypto'

import {derUnsignedInteger, tlv} from '../../util/der.js'
import {WireReader} from './parse.js'
import {mpintMagnitude} from './wire.js'

/** valid: the signature over H verifies; invalid: it does not, or it is of another algorithm than negotiated;
 *  unchecked: a key type this check does not know (the key is still recorded). */
export type HostKeySignature = {status: 'valid'} | {status: 'invalid' | 'unchecked'; reason: string}

const RSA_HASH: Readonly<Record<string, string>> = {'ssh-rsa': 'sha1', 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512'}
const EC_CURVES: Readonly<Record<string, {jwk: string; hash: string; bytes: number}>> = {
  nistp256: {jwk: 'P-256', hash: 'sha256', bytes: 32},
  nistp384: {jwk: 'P-384', hash: 'sha384', bytes: 48},
  nistp521: {jwk: 'P-521', hash: 'sha512', bytes: 66},
}

const b64u = (b: Buffer): string => b.toString('base64url')

function padTo(bytes: Buffer, length: number): Buffer {
  const m = mpintMagnitude(bytes)
  if (m.length > length) throw new Error(`signature integer of ${m.length} bytes exceeds ${length}`)
  return Buffer.concat([Buffer.alloc(length - m.length), m])
}

/** DER of a DSA SubjectPublicKeyInfo (Node's JWK has no DSA). */
function dsaSpki(p: Buffer, q: Buffer, g: Buffer, y: Buffer): Buffer {
  const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items))
  const dsaOid = Buffer.from('06072a8648ce380401', 'hex') // 1.2.840.10040.4.1
  const algorithm = seq(dsaOid, seq(derUnsignedInteger(p), derUnsignedInteger(q), derUnsignedInteger(g)))
  return seq(algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), derUnsignedInteger(y)])))
}

/**
 * `hostKeyAlgorithm` is the negotiated one: the signature must be of that algorithm (an RSA key signing rsa-sha2-512
 * when ssh-rsa was negotiated is as wrong as a bad signature).
 */
export function verifyHostKeySignature(hostKeyAlgorithm: string, hostKeyBlob: Buffer, signatureBlob: Buffer, exchangeHash: Buffer): HostKeySignature {
  let keyType: string
  let signatureAlgorithm: string
  let signature: Buffer
  // The key blob's fields after its type are read below, from the same cursor.
  const k = new WireReader(hostKeyBlob, 'public key blob', 'malformed-key')
  try {
    const sig = new WireReader(signatureBlob, 'host key signature', 'malformed-signature')
    signatureAlgorithm = sig.string('signature algorithm').toString('latin1')
    signature = sig.string('signature')
    keyType = k.string('key type').toString('latin1')
  } catch (err) {
    return {status: 'invalid', reason: (err as Error).message}
  }
  if (signatureAlgorithm !== hostKeyAlgorithm) {
    return {status: 'invalid', reason: `signature of ${signatureAlgorithm} where ${hostKeyAlgorithm} was negotiated`}
  }
  try {
    let key: KeyObject
    let ok: boolean
    if (keyType === 'ssh-ed25519') {
      key = createPublicKey({key: {kty: 'OKP', crv: 'Ed25519', x: b64u(k.string('public key'))}, format: 'jwk'})
      ok = verify(null, exchangeHash, key, signature)
    } else if (keyType === 'ssh-rsa' && RSA_HASH[signatureAlgorithm]) {
      const e = mpintMagnitude(k.string('e'))
      const n = mpintMagnitude(k.string('n'))
      key = createPublicKey({key: {kty: 'RSA', n: b64u(n), e: b64u(e)}, format: 'jwk'})
      ok = verify(RSA_HASH[signatureAlgorithm], exchangeHash, key, signature)
    } else if (keyType.startsWith('ecdsa-sha2-') && EC_CURVES[keyType.slice('ecdsa-sha2-'.length)]) {
      const curve = EC_CURVES[keyType.slice('ecdsa-sha2-'.length)]!
      k.string('curve')
      const q = k.string('Q')
      if (q[0] !== 4 || q.length !== 1 + 2 * curve.bytes) return {status: 'invalid', reason: 'EC point is not an uncompressed point of its curve'}
      key = createPublicKey({key: {kty: 'EC', crv: curve.jwk, x: b64u(q.subarray(1, 1 + curve.bytes)), y: b64u(q.subarray(1 + curve.bytes))}, format: 'jwk'})
      const rs = new WireReader(signature, 'ECDSA signature', 'malformed-signature')
      const p1363 = Buffer.concat([padTo(rs.string('r'), curve.bytes), padTo(rs.string('s'), curve.bytes)])
      ok = verify(curve.hash, exchangeHash, {key, dsaEncoding: 'ieee-p1363'}, p1363)
    } else if (keyType === 'ssh-dss') {
      key = createPublicKey({key: dsaSpki(k.string('p'), k.string('q'), k.string('g'), k.string('y')), format: 'der', type: 'spki'})
      if (signature.length !== 40) return {status: 'invalid', reason: `DSA signature of ${signature.length} bytes, not 40`}
      ok = verify('sha1', exchangeHash, {key, dsaEncoding: 'ieee-p1363'}, signature)
    } else {
      return {status: 'unchecked', reason: `no signature check for ${keyType} keys`}
    }
    return ok ? {status: 'valid'} : {status: 'invalid', reason: `the ${signatureAlgorithm} signature over the exchange hash does not verify with the presented key`}
  } catch (err) {
    return {status: 'invalid', reason: `unusable key or signature: ${(err as Error).message}`}
  }
}
