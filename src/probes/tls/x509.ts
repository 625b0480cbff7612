/**
 * X.509 certificate parsing for the tls.certificates observation.
 *
 * node:crypto's X509Certificate (OpenSSL) handles every key type the server may present (RSA, EC, Ed25519,
 * Ed448, DSA); node-forge's certificate parser throws on non-RSA keys, so forge is only used for its ASN.1
 * DER reader: the outer Certificate structure is walked here to read what X509Certificate does not expose
 * in a usable form (signature algorithm OIDs, names as RFC 4514 strings, raw SAN entries, basic constraints,
 * validity as dates, the DER SubjectPublicKeyInfo).
 */
import {createHash, X509Certificate, type KeyObject} from 'node:crypto'

import type forge from 'node-forge'
import asn1 from 'node-forge/lib/asn1.js'

import type {CertificateInfo} from './types.js'

type Asn1 = forge.asn1.Asn1

/** Raised when bytes the server sent are not a certificate we can read. */
export class CertificateParseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CertificateParseError'
  }
}

const UNIVERSAL = 0x00
const CONTEXT = 0x80

const T_BOOLEAN = 1
const T_INTEGER = 2
const T_BITSTRING = 3
const T_OCTETSTRING = 4
const T_OID = 6
const T_UTF8 = 12
const T_SEQUENCE = 16
const T_SET = 17
const T_UTCTIME = 23
const T_GENERALIZEDTIME = 24
const T_UNIVERSALSTRING = 28
const T_BMPSTRING = 30

/** Signature algorithm OIDs → the names OpenSSL prints (the names checks compare against). */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.3': 'md4WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSA',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '2.16.840.1.101.3.4.3.10': 'ecdsa-with-SHA3-256',
  '2.16.840.1.101.3.4.3.11': 'ecdsa-with-SHA3-384',
  '2.16.840.1.101.3.4.3.12': 'ecdsa-with-SHA3-512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '2.16.840.1.101.3.4.3.1': 'dsa-with-sha224',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-sha256',
  '1.2.643.2.2.3': 'GOST R 34.11-94 with GOST R 34.10-2001',
  '1.2.156.10197.1.501': 'SM2-with-SM3',
}

/** SubjectPublicKeyInfo algorithm OIDs → key type, used only when OpenSSL cannot load the key. */
const KEY_ALGORITHMS: Record<string, CertificateInfo['keyType']> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
}

/** Named-curve OIDs (SPKI parameters) → OpenSSL curve names, used only when OpenSSL cannot load the key. */
const CURVE_OIDS: Record<string, string> = {
  '1.2.840.10045.3.1.1': 'prime192v1',
  '1.3.132.0.33': 'secp224r1',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
}

const NIST_CURVES: Record<string, string> = {
  prime192v1: 'P-192',
  secp192r1: 'P-192',
  secp224r1: 'P-224',
  prime256v1: 'P-256',
  secp256r1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
}

/** Attribute types with the short names of RFC 4514 §3, then the names OpenSSL uses for the rest. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
}

const OID_SAN = '2.5.29.17'
const OID_BASIC_CONSTRAINTS = '2.5.29.19'

/** What is read straight from the DER structure. */
export interface DerDetails {
  /** 1, 2 or 3. */
  version: number
  serialHex: string
  /** signatureAlgorithm of the outer Certificate. */
  signatureOid: string
  /** signature inside tbsCertificate (must equal signatureOid). */
  tbsSignatureOid: string
  subject: string
  issuer: string
  /** DER of the subject / issuer Name, as binary strings: equal ⇒ self-issued. */
  subjectDer: string
  issuerDer: string
  notBefore: Date | null
  notAfter: Date | null
  spkiDer: Buffer
  spkiAlgorithmOid: string
  /** Named curve OID from the EC SPKI parameters. */
  spkiCurveOid?: string
  san: string[]
  basicConstraints?: {ca: boolean; pathLen?: number}
}

function fromDer(bytes: string): Asn1 {
  // decodeBitStrings:false keeps BIT STRINGs (signature, public key) as raw bytes instead of guessing.
  const parse = asn1.fromDer as unknown as (b: string, o: object) => Asn1
  return parse(bytes, {strict: true, parseAllBytes: true, decodeBitStrings: false})
}

function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new CertificateParseError(`${what}: expected a constructed value`)
  return node.value
}

function bytesOf(node: Asn1 | undefined, what: string): string {
  if (!node || typeof node.value !== 'string') throw new CertificateParseError(`${what}: expected a primitive value`)
  return node.value
}

function isUniversal(node: Asn1 | undefined, type: number): boolean {
  return node !== undefined && node.tagClass === UNIVERSAL && node.type === type
}

function oidOf(node: Asn1 | undefined, what: string): string {
  if (!isUniversal(node, T_OID)) throw new CertificateParseError(`${what}: expected an OID`)
  return asn1.derToOid(bytesOf(node, what))
}

function hex(binary: string): string {
  return Buffer.from(binary, 'binary').toString('hex')
}

function algorithmOid(node: Asn1 | undefined, what: string): string {
  return oidOf(children(node, what)[0], what)
}

/** Decodes a directory string value to text; undefined when the type is not a string type. */
function decodeString(node: Asn1): string | undefined {
  if (node.tagClass !== UNIVERSAL || typeof node.value !== 'string') return undefined
  const raw = Buffer.from(node.value, 'binary')
  switch (node.type as number) {
    case T_UTF8:
      return raw.toString('utf8')
    case T_BMPSTRING: {
      const swapped = Buffer.from(raw)
      if (swapped.length % 2 === 0) swapped.swap16()
      return swapped.toString('utf16le')
    }
    case T_UNIVERSALSTRING: {
      let out = ''
      for (let i = 0; i + 3 < raw.length; i += 4) {
        const cp = raw.readUInt32BE(i)
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd'
      }
      return out
    }
    case 18: // NumericString
    case 19: // PrintableString
    case 20: // TeletexString (treated as Latin-1, as most software does)
    case 22: // IA5String
    case 26: // VisibleString
    case 27: // GeneralString
      return raw.toString('latin1')
    default:
      return undefined
  }
}

/** RFC 4514 §2.4 escaping of an attribute value. */
function escapeValue(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    if (ch === '\0') out += '\\00'
    else if ('"+,;<>\\'.includes(ch)) out += `\\${ch}`
    else if (i === 0 && (ch === '#' || ch === ' ')) out += `\\${ch}`
    else if (i === value.length - 1 && ch === ' ') out += '\\ '
    else out += ch
  }
  return out
}

/** RFC 4514 string of a Name: last RDN first ("CN=…,O=…,C=…"), multi-valued RDNs joined by "+". */
export function nameToString(name: Asn1): string {
  const rdns = children(name, 'Name').map((rdn) =>
    children(rdn, 'RDN')
      .map((atv) => {
        const [typeNode, valueNode] = children(atv, 'AttributeTypeAndValue')
        const oid = oidOf(typeNode, 'attribute type')
        const key = ATTRIBUTE_NAMES[oid] ?? oid
        if (!valueNode) throw new CertificateParseError('attribute value missing')
        const text = decodeString(valueNode)
        // Values of unknown syntax: "#" + hex of their BER encoding (RFC 4514 §2.4).
        const value = text === undefined ? `#${hex(asn1.toDer(valueNode).getBytes())}` : escapeValue(text)
        return `${key}=${value}`
      })
      .join('+'),
  )
  return rdns.reverse().join(',')
}

function parseTime(node: Asn1 | undefined): Date | null {
  if (!node || typeof node.value !== 'string') return null
  try {
    const date =
      node.type === T_UTCTIME
        ? asn1.utcTimeToDate(node.value)
        : node.type === T_GENERALIZEDTIME
          ? asn1.generalizedTimeToDate(node.value)
          : null
    return date && !Number.isNaN(date.getTime()) ? date : null
  } catch {
    return null
  }
}

/** Text form of an IP address from its 4 or 16 SAN bytes (IPv6 per RFC 5952: lower case, longest zero run "::"). */
export function formatIpBytes(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.')
  if (bytes.length !== 16) return `#${bytes.toString('hex')}`
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i))
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const text = groups.map((g) => g.toString(16))
  if (bestLen < 2) return text.join(':')
  return `${text.slice(0, bestStart).join(':')}::${text.slice(bestStart + bestLen).join(':')}`
}

function parseSan(extnValue: string): string[] {
  const names = children(fromDer(extnValue), 'GeneralNames')
  const out: string[] = []
  for (const gn of names) {
    if (gn.tagClass !== CONTEXT) continue
    const raw = typeof gn.value === 'string' ? Buffer.from(gn.value, 'binary') : undefined
    switch (gn.type) {
      case 0: {
        const parts = Array.isArray(gn.value) ? gn.value : []
        let oid = 'unknown'
        try {
          oid = oidOf(parts[0], 'otherName')
        } catch {
          /* keep "unknown" */
        }
        out.push(`othername:${oid}`)
        break
      }
      case 1:
        if (raw) out.push(`email:${raw.toString('utf8')}`)
        break
      case 2:
        if (raw) out.push(`DNS:${raw.toString('utf8')}`)
        break
      case 4: {
        const inner = Array.isArray(gn.value) ? gn.value[0] : undefined
        if (inner) out.push(`DirName:${nameToString(inner)}`)
        break
      }
      case 6:
        if (raw) out.push(`URI:${raw.toString('utf8')}`)
        break
      case 7:
        if (raw) out.push(`IP:${formatIpBytes(raw)}`)
        break
      case 8:
        if (raw) out.push(`RID:${asn1.derToOid(gn.value as string)}`)
        break
      default:
        break
    }
  }
  return out
}

function parseBasicConstraints(extnValue: string): {ca: boolean; pathLen?: number} {
  const fields = children(fromDer(extnValue), 'BasicConstraints')
  let ca = false
  let pathLen: number | undefined
  for (const field of fields) {
    if (isUniversal(field, T_BOOLEAN)) ca = bytesOf(field, 'cA').charCodeAt(0) !== 0
    else if (isUniversal(field, T_INTEGER)) {
      const value = asn1.derToInteger(bytesOf(field, 'pathLenConstraint'))
      pathLen = value < 0 ? 0 : value
    }
  }
  return pathLen === undefined ? {ca} : {ca, pathLen}
}

/** Reads the structure of one DER certificate. Throws CertificateParseError on malformed input. */
export function readDerDetails(der: Buffer): DerDetails {
  try {
    return readStructure(der)
  } catch (err) {
    if (err instanceof CertificateParseError) throw err
    throw new CertificateParseError(`malformed certificate: ${(err as Error).message}`)
  }
}

function readStructure(der: Buffer): DerDetails {
  let root: Asn1
  try {
    root = fromDer(der.toString('binary'))
  } catch (err) {
    throw new CertificateParseError(`not a DER certificate: ${(err as Error).message}`)
  }
  const [tbs, sigAlg] = children(root, 'Certificate')
  const tbsFields = children(tbs, 'TBSCertificate')
  let i = 0
  let version = 1
  const first = tbsFields[0]
  if (first && first.tagClass === CONTEXT && first.type === 0) {
    const v = children(first, 'version')[0]
    version = asn1.derToInteger(bytesOf(v, 'version')) + 1
    i++
  }
  const serialNode = tbsFields[i++]
  if (!isUniversal(serialNode, T_INTEGER)) throw new CertificateParseError('serialNumber: expected an INTEGER')
  const serialHex = hex(bytesOf(serialNode, 'serialNumber')).replace(/^(00)+(?=..)/, '') || '00'
  const tbsSignatureOid = algorithmOid(tbsFields[i++], 'signature')
  const issuerNode = tbsFields[i++]
  const validity = children(tbsFields[i++], 'Validity')
  const subjectNode = tbsFields[i++]
  const spkiNode = tbsFields[i++]
  if (!issuerNode || !subjectNode || !spkiNode) throw new CertificateParseError('TBSCertificate truncated')
  const spkiFields = children(spkiNode, 'SubjectPublicKeyInfo')
  const spkiAlg = children(spkiFields[0], 'AlgorithmIdentifier')
  const spkiAlgorithmOid = oidOf(spkiAlg[0], 'SPKI algorithm')
  const spkiCurveOid = isUniversal(spkiAlg[1], T_OID) ? oidOf(spkiAlg[1], 'curve') : undefined
  if (!isUniversal(spkiFields[1], T_BITSTRING)) throw new CertificateParseError('subjectPublicKey: expected a BIT STRING')

  const details: DerDetails = {
    version,
    serialHex,
    signatureOid: algorithmOid(sigAlg, 'signatureAlgorithm'),
    tbsSignatureOid,
    subject: nameToString(subjectNode),
    issuer: nameToString(issuerNode),
    subjectDer: asn1.toDer(subjectNode).getBytes(),
    issuerDer: asn1.toDer(issuerNode).getBytes(),
    notBefore: parseTime(validity[0]),
    notAfter: parseTime(validity[1]),
    spkiDer: Buffer.from(asn1.toDer(spkiNode).getBytes(), 'binary'),
    spkiAlgorithmOid,
    san: [],
  }
  if (spkiCurveOid) details.spkiCurveOid = spkiCurveOid

  for (const field of tbsFields.slice(i)) {
    if (field.tagClass !== CONTEXT || field.type !== 3) continue
    for (const ext of children(children(field, 'extensions')[0], 'Extensions')) {
      const parts = children(ext, 'Extension')
      const oid = oidOf(parts[0], 'extnID')
      const valueNode = parts[parts.length - 1]
      if (!isUniversal(valueNode, T_OCTETSTRING)) throw new CertificateParseError(`extension ${oid}: bad value`)
      const value = bytesOf(valueNode, 'extnValue')
      // A malformed extension value leaves the field empty rather than hiding the whole certificate:
      // a SAN that cannot be read matches nothing, a basicConstraints that cannot be read makes no CA.
      try {
        if (oid === OID_SAN) details.san = parseSan(value)
        else if (oid === OID_BASIC_CONSTRAINTS) details.basicConstraints = parseBasicConstraints(value)
      } catch {
        /* see above */
      }
    }
  }
  return details
}

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oid
}

function curveBits(name: string): number {
  const nist = NIST_CURVES[name]
  const match = /(\d{3})/.exec(nist ?? name)
  return match ? Number(match[1]) : 0
}

interface KeyFacts {
  keyType: CertificateInfo['keyType']
  keyBits: number
  curve?: string
}

function keyFactsFromKeyObject(key: KeyObject): KeyFacts {
  const details = key.asymmetricKeyDetails ?? {}
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return {keyType: 'RSA', keyBits: details.modulusLength ?? 0}
    case 'dsa':
      return {keyType: 'DSA', keyBits: details.modulusLength ?? 0}
    case 'ec': {
      const raw = details.namedCurve ?? ''
      const facts: KeyFacts = {keyType: 'EC', keyBits: curveBits(raw)}
      if (raw) facts.curve = NIST_CURVES[raw] ?? raw
      return facts
    }
    case 'ed25519':
      return {keyType: 'Ed25519', keyBits: 256}
    case 'ed448':
      return {keyType: 'Ed448', keyBits: 456}
    default:
      return {keyType: 'unknown', keyBits: 0}
  }
}

/** Bits of the modulus in an RSA SubjectPublicKeyInfo: SEQUENCE { alg, BIT STRING { SEQUENCE { n, e } } }. */
export function rsaModulusBits(spkiDer: Buffer): number {
  const spki = fromDer(spkiDer.toString('binary'))
  const bitString = (spki.value as Asn1[])[1].value as string
  const rsaKey = fromDer(bitString.slice(1)) // skip the unused-bits byte
  const modulus = Buffer.from((rsaKey.value as Asn1[])[0].value as string, 'binary')
  let i = 0
  while (i < modulus.length - 1 && modulus[i] === 0) i++
  return (modulus.length - i - 1) * 8 + (32 - Math.clz32(modulus[i]))
}

/** Fallback when OpenSSL cannot load the key (unknown curve, explicit parameters, …): read the SPKI. */
function keyFactsFromSpki(details: DerDetails): KeyFacts {
  const keyType = KEY_ALGORITHMS[details.spkiAlgorithmOid] ?? 'unknown'
  const facts: KeyFacts = {keyType, keyBits: 0}
  if (keyType === 'RSA') {
    try {
      facts.keyBits = rsaModulusBits(details.spkiDer)
    } catch {
      /* keep 0 */
    }
  } else if (keyType === 'EC' && details.spkiCurveOid) {
    const raw = CURVE_OIDS[details.spkiCurveOid] ?? details.spkiCurveOid
    facts.curve = NIST_CURVES[raw] ?? raw
    facts.keyBits = curveBits(raw)
  } else if (keyType === 'Ed25519') facts.keyBits = 256
  else if (keyType === 'Ed448') facts.keyBits = 456
  return facts
}

/** OpenSSL's view of a certificate, or undefined when OpenSSL rejects the encoding. */
export function loadX509(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der)
  } catch {
    return undefined
  }
}

/** The certificate's public key as a KeyObject, or undefined when OpenSSL cannot load it. */
export function publicKeyOf(cert: X509Certificate): KeyObject | undefined {
  try {
    return cert.publicKey
  } catch {
    return undefined
  }
}

/** Whether `cert` names itself as issuer and its signature verifies with its own key. Deliberately not
 *  `checkIssued(cert)`: OpenSSL's issuer check also demands keyCertSign, which the self-signed leaf
 *  certificates typical of devices do not carry. */
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    const key = publicKeyOf(cert)
    return key !== undefined && cert.subject === cert.issuer && cert.verify(key)
  } catch {
    return false
  }
}

function isoDate(date: Date | null, fallback: string): string {
  if (date) return date.toISOString()
  const parsed = new Date(fallback)
  if (Number.isNaN(parsed.getTime())) throw new CertificateParseError(`unreadable validity date "${fallback}"`)
  return parsed.toISOString()
}

/** Parses one DER certificate. Throws CertificateParseError when the bytes are not a readable certificate. */
export function parseCertificate(der: Buffer): CertificateInfo {
  const details = readDerDetails(der)
  const cert = loadX509(der)
  if (!cert) throw new CertificateParseError('OpenSSL rejects the certificate encoding')
  const key = publicKeyOf(cert)
  let keyFacts = key ? keyFactsFromKeyObject(key) : keyFactsFromSpki(details)
  if (keyFacts.keyType === 'unknown') keyFacts = keyFactsFromSpki(details)
  let spki = details.spkiDer
  if (key) {
    try {
      spki = key.export({type: 'spki', format: 'der'})
    } catch {
      /* keep the bytes from the certificate */
    }
  }
  const info: CertificateInfo = {
    subject: details.subject,
    issuer: details.issuer,
    serialNumber: details.serialHex,
    notBefore: isoDate(details.notBefore, cert.validFrom),
    notAfter: isoDate(details.notAfter, cert.validTo),
    san: details.san,
    keyType: keyFacts.keyType,
    keyBits: keyFacts.keyBits,
    signatureAlgorithm: signatureAlgorithmName(details.signatureOid),
    sha256: createHash('sha256').update(der).digest('hex'),
    spkiSha256: createHash('sha256').update(spki).digest('hex'),
    selfSigned: isSelfSigned(cert),
    isCA: cert.ca,
  }
  if (keyFacts.curve) info.curve = keyFacts.curve
  return info
}

/** PEM encoding of one DER certificate. */
export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64')
  const lines = b64.match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

/** Every CERTIFICATE block of a PEM text (bundle) as DER. */
export function pemToDers(pem: string): Buffer[] {
  const out: Buffer[] = []
  const re = /-----BEGIN (?:X509 )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 )?CERTIFICATE-----/g
  for (const m of pem.matchAll(re)) {
    const der = Buffer.from((m[1] ?? '').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
    if (der.length > 0) out.push(der)
  }
  return out
}
