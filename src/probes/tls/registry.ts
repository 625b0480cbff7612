/**
 * Cipher-suite and named-group registry, built at runtime from the IANA CSV exports in data/iana-tls/
 * (CC0, see data/iana-tls/SOURCE.md). Properties (key exchange, authentication, cipher, strength, mode, MAC,
 * export, anonymous, forward secrecy) are derived from the IANA names.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {CipherSuiteInfo} from './types.js'

export interface NamedGroupInfo {
  /** IANA code point (decimal in the registry), e.g. 23 for secp256r1, 0x11ec for X25519MLKEM768. */
  code: number
  /** IANA name, e.g. secp256r1, x25519, ffdhe2048, X25519MLKEM768. */
  name: string
  /** Strength class in bits: EC field size (x25519 → 256), FF prime size, classical part for hybrids. */
  bits: number
  kind: 'ec' | 'ff' | 'hybrid' | 'pq' | 'other'
  /** Contains a post-quantum KEM (ML-KEM / Kyber). */
  postQuantum: boolean
  /** IANA "Recommended" column (Y, N, D) or empty. */
  recommended: string
}

// ---------------------------------------------------------------------------------------------------------
// Locating and parsing the data files

let dataDirCache: string | undefined

/** data/iana-tls, found by walking up from this module (works from src/ and from dist/src/). */
export function ianaDataDir(): string {
  if (dataDirCache) return dataDirCache
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data', 'iana-tls'))) {
      dataDirCache = join(dir, 'data', 'iana-tls')
      return dataDirCache
    }
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  // Fallback: the layout relative to the compiled module (dist/src/probes/tls → ../../../../data).
  dataDirCache = fileURLToPath(new URL('../../../../data/iana-tls/', import.meta.url))
  return dataDirCache
}

/** Minimal RFC 4180 CSV parser (quoted fields may contain commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '')
}

// ---------------------------------------------------------------------------------------------------------
// Deriving suite properties from names

const OPENSSL_NAMES: Record<number, string> = {
  0x0001: 'NULL-MD5', 0x0002: 'NULL-SHA', 0x0003: 'EXP-RC4-MD5', 0x0004: 'RC4-MD5', 0x0005: 'RC4-SHA',
  0x0006: 'EXP-RC2-CBC-MD5', 0x0007: 'IDEA-CBC-SHA', 0x0008: 'EXP-DES-CBC-SHA', 0x0009: 'DES-CBC-SHA',
  0x000a: 'DES-CBC3-SHA', 0x000b: 'EXP-DH-DSS-DES-CBC-SHA', 0x000c: 'DH-DSS-DES-CBC-SHA',
  0x000d: 'DH-DSS-DES-CBC3-SHA', 0x000e: 'EXP-DH-RSA-DES-CBC-SHA', 0x000f: 'DH-RSA-DES-CBC-SHA',
  0x0010: 'DH-RSA-DES-CBC3-SHA', 0x0011: 'EXP-EDH-DSS-DES-CBC-SHA', 0x0012: 'EDH-DSS-DES-CBC-SHA',
  0x0013: 'EDH-DSS-DES-CBC3-SHA', 0x0014: 'EXP-EDH-RSA-DES-CBC-SHA', 0x0015: 'EDH-RSA-DES-CBC-SHA',
  0x0016: 'EDH-RSA-DES-CBC3-SHA', 0x0017: 'EXP-ADH-RC4-MD5', 0x0018: 'ADH-RC4-MD5',
  0x0019: 'EXP-ADH-DES-CBC-SHA', 0x001a: 'ADH-DES-CBC-SHA', 0x001b: 'ADH-DES-CBC3-SHA',
  0x002f: 'AES128-SHA', 0x0030: 'DH-DSS-AES128-SHA', 0x0031: 'DH-RSA-AES128-SHA', 0x0032: 'DHE-DSS-AES128-SHA',
  0x0033: 'DHE-RSA-AES128-SHA', 0x0034: 'ADH-AES128-SHA', 0x0035: 'AES256-SHA', 0x0036: 'DH-DSS-AES256-SHA',
  0x0037: 'DH-RSA-AES256-SHA', 0x0038: 'DHE-DSS-AES256-SHA', 0x0039: 'DHE-RSA-AES256-SHA',
  0x003a: 'ADH-AES256-SHA', 0x003b: 'NULL-SHA256', 0x003c: 'AES128-SHA256', 0x003d: 'AES256-SHA256',
  0x003e: 'DH-DSS-AES128-SHA256', 0x003f: 'DH-RSA-AES128-SHA256', 0x0040: 'DHE-DSS-AES128-SHA256',
  0x0041: 'CAMELLIA128-SHA', 0x0044: 'DHE-DSS-CAMELLIA128-SHA', 0x0045: 'DHE-RSA-CAMELLIA128-SHA',
  0x0046: 'ADH-CAMELLIA128-SHA', 0x0067: 'DHE-RSA-AES128-SHA256', 0x0068: 'DH-DSS-AES256-SHA256',
  0x0069: 'DH-RSA-AES256-SHA256', 0x006a: 'DHE-DSS-AES256-SHA256', 0x006b: 'DHE-RSA-AES256-SHA256',
  0x006c: 'ADH-AES128-SHA256', 0x006d: 'ADH-AES256-SHA256', 0x0084: 'CAMELLIA256-SHA',
  0x0087: 'DHE-DSS-CAMELLIA256-SHA', 0x0088: 'DHE-RSA-CAMELLIA256-SHA', 0x0089: 'ADH-CAMELLIA256-SHA',
  0x008a: 'PSK-RC4-SHA', 0x008b: 'PSK-3DES-EDE-CBC-SHA', 0x008c: 'PSK-AES128-CBC-SHA',
  0x008d: 'PSK-AES256-CBC-SHA', 0x0096: 'SEED-SHA', 0x0099: 'DHE-DSS-SEED-SHA', 0x009a: 'DHE-RSA-SEED-SHA',
  0x009b: 'ADH-SEED-SHA', 0x009c: 'AES128-GCM-SHA256', 0x009d: 'AES256-GCM-SHA384',
  0x009e: 'DHE-RSA-AES128-GCM-SHA256', 0x009f: 'DHE-RSA-AES256-GCM-SHA384', 0x00a0: 'DH-RSA-AES128-GCM-SHA256',
  0x00a1: 'DH-RSA-AES256-GCM-SHA384', 0x00a2: 'DHE-DSS-AES128-GCM-SHA256', 0x00a3: 'DHE-DSS-AES256-GCM-SHA384',
  0x00a4: 'DH-DSS-AES128-GCM-SHA256', 0x00a5: 'DH-DSS-AES256-GCM-SHA384', 0x00a6: 'ADH-AES128-GCM-SHA256',
  0x00a7: 'ADH-AES256-GCM-SHA384', 0x00a8: 'PSK-AES128-GCM-SHA256', 0x00a9: 'PSK-AES256-GCM-SHA384',
  0x00ba: 'CAMELLIA128-SHA256', 0x00be: 'DHE-RSA-CAMELLIA128-SHA256', 0x00c0: 'CAMELLIA256-SHA256',
  0x00c4: 'DHE-RSA-CAMELLIA256-SHA256',
  0x1301: 'TLS_AES_128_GCM_SHA256', 0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256', 0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0xc001: 'ECDH-ECDSA-NULL-SHA', 0xc002: 'ECDH-ECDSA-RC4-SHA', 0xc003: 'ECDH-ECDSA-DES-CBC3-SHA',
  0xc004: 'ECDH-ECDSA-AES128-SHA', 0xc005: 'ECDH-ECDSA-AES256-SHA', 0xc006: 'ECDHE-ECDSA-NULL-SHA',
  0xc007: 'ECDHE-ECDSA-RC4-SHA', 0xc008: 'ECDHE-ECDSA-DES-CBC3-SHA', 0xc009: 'ECDHE-ECDSA-AES128-SHA',
  0xc00a: 'ECDHE-ECDSA-AES256-SHA', 0xc00b: 'ECDH-RSA-NULL-SHA', 0xc00c: 'ECDH-RSA-RC4-SHA',
  0xc00d: 'ECDH-RSA-DES-CBC3-SHA', 0xc00e: 'ECDH-RSA-AES128-SHA', 0xc00f: 'ECDH-RSA-AES256-SHA',
  0xc010: 'ECDHE-RSA-NULL-SHA', 0xc011: 'ECDHE-RSA-RC4-SHA', 0xc012: 'ECDHE-RSA-DES-CBC3-SHA',
  0xc013: 'ECDHE-RSA-AES128-SHA', 0xc014: 'ECDHE-RSA-AES256-SHA', 0xc015: 'AECDH-NULL-SHA',
  0xc016: 'AECDH-RC4-SHA', 0xc017: 'AECDH-DES-CBC3-SHA', 0xc018: 'AECDH-AES128-SHA', 0xc019: 'AECDH-AES256-SHA',
  0xc01a: 'SRP-3DES-EDE-CBC-SHA', 0xc01b: 'SRP-RSA-3DES-EDE-CBC-SHA', 0xc01c: 'SRP-DSS-3DES-EDE-CBC-SHA',
  0xc01d: 'SRP-AES-128-CBC-SHA', 0xc01e: 'SRP-RSA-AES-128-CBC-SHA', 0xc01f: 'SRP-DSS-AES-128-CBC-SHA',
  0xc020: 'SRP-AES-256-CBC-SHA', 0xc021: 'SRP-RSA-AES-256-CBC-SHA', 0xc022: 'SRP-DSS-AES-256-CBC-SHA',
  0xc023: 'ECDHE-ECDSA-AES128-SHA256', 0xc024: 'ECDHE-ECDSA-AES256-SHA384', 0xc025: 'ECDH-ECDSA-AES128-SHA256',
  0xc026: 'ECDH-ECDSA-AES256-SHA384', 0xc027: 'ECDHE-RSA-AES128-SHA256', 0xc028: 'ECDHE-RSA-AES256-SHA384',
  0xc029: 'ECDH-RSA-AES128-SHA256', 0xc02a: 'ECDH-RSA-AES256-SHA384', 0xc02b: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  0xc02c: 'ECDHE-ECDSA-AES256-GCM-SHA384', 0xc02d: 'ECDH-ECDSA-AES128-GCM-SHA256',
  0xc02e: 'ECDH-ECDSA-AES256-GCM-SHA384', 0xc02f: 'ECDHE-RSA-AES128-GCM-SHA256',
  0xc030: 'ECDHE-RSA-AES256-GCM-SHA384', 0xc031: 'ECDH-RSA-AES128-GCM-SHA256', 0xc032: 'ECDH-RSA-AES256-GCM-SHA384',
  0xc050: 'ARIA128-GCM-SHA256', 0xc051: 'ARIA256-GCM-SHA384', 0xc052: 'DHE-RSA-ARIA128-GCM-SHA256',
  0xc053: 'DHE-RSA-ARIA256-GCM-SHA384', 0xc05c: 'ECDHE-ECDSA-ARIA128-GCM-SHA256',
  0xc05d: 'ECDHE-ECDSA-ARIA256-GCM-SHA384', 0xc060: 'ECDHE-ARIA128-GCM-SHA256', 0xc061: 'ECDHE-ARIA256-GCM-SHA384',
  0xc072: 'ECDHE-ECDSA-CAMELLIA128-SHA256', 0xc073: 'ECDHE-ECDSA-CAMELLIA256-SHA384',
  0xc076: 'ECDHE-RSA-CAMELLIA128-SHA256', 0xc077: 'ECDHE-RSA-CAMELLIA256-SHA384',
  0xc09c: 'AES128-CCM', 0xc09d: 'AES256-CCM', 0xc09e: 'DHE-RSA-AES128-CCM', 0xc09f: 'DHE-RSA-AES256-CCM',
  0xc0a0: 'AES128-CCM8', 0xc0a1: 'AES256-CCM8', 0xc0a2: 'DHE-RSA-AES128-CCM8', 0xc0a3: 'DHE-RSA-AES256-CCM8',
  0xc0ac: 'ECDHE-ECDSA-AES128-CCM', 0xc0ad: 'ECDHE-ECDSA-AES256-CCM', 0xc0ae: 'ECDHE-ECDSA-AES128-CCM8',
  0xc0af: 'ECDHE-ECDSA-AES256-CCM8', 0xcca8: 'ECDHE-RSA-CHACHA20-POLY1305',
  0xcca9: 'ECDHE-ECDSA-CHACHA20-POLY1305', 0xccaa: 'DHE-RSA-CHACHA20-POLY1305', 0xccab: 'PSK-CHACHA20-POLY1305',
  0xccac: 'ECDHE-PSK-CHACHA20-POLY1305', 0xccad: 'DHE-PSK-CHACHA20-POLY1305', 0xccae: 'RSA-PSK-CHACHA20-POLY1305',
}

/** SSLv2 cipher kinds (three-byte codes, SSLv2 draft appendix). */
const SSLV2_KINDS: Array<[number, string, string, string, number, boolean, CipherSuiteInfo['mode']]> = [
  // code, name, openssl, cipher, bits, export, mode
  [0x010080, 'SSL_CK_RC4_128_WITH_MD5', 'RC4-MD5', 'RC4_128', 128, false, 'stream'],
  [0x020080, 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', 'EXP-RC4-MD5', 'RC4_40', 40, true, 'stream'],
  [0x030080, 'SSL_CK_RC2_128_CBC_WITH_MD5', 'RC2-CBC-MD5', 'RC2_CBC_128', 128, false, 'CBC'],
  [0x040080, 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', 'EXP-RC2-CBC-MD5', 'RC2_CBC_40', 40, true, 'CBC'],
  [0x050080, 'SSL_CK_IDEA_128_CBC_WITH_MD5', 'IDEA-CBC-MD5', 'IDEA_CBC', 128, false, 'CBC'],
  [0x060040, 'SSL_CK_DES_64_CBC_WITH_MD5', 'DES-CBC-MD5', 'DES_CBC', 56, false, 'CBC'],
  [0x0700c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', 'DES-CBC3-MD5', '3DES_EDE_CBC', 112, false, 'CBC'],
]

const MAC_TOKENS = new Set(['MD5', 'SHA', 'SHA256', 'SHA384', 'SHA512', 'SM3', 'ASCONHASH256', 'NULL'])

/** Symmetric strength of a cipher as named in the registry. */
export function cipherStrength(cipher: string): number {
  if (cipher === 'NULL') return 0
  if (/(^|_)40(_|$)|DES40|_40$/.test(cipher) || cipher.includes('EXPORT40')) return 40
  if (cipher.startsWith('3DES')) return 112
  if (/^DES(_CBC|_64)/.test(cipher)) return 56
  if (cipher.startsWith('CHACHA20')) return 256
  if (/KUZNYECHIK|MAGMA|28147/.test(cipher)) return 256
  if (cipher.startsWith('AEGIS_256')) return 256
  if (cipher.startsWith('AEGIS_128')) return 128
  if (cipher.startsWith('ASCONAEAD128')) return 128
  if (/^(IDEA|SEED|SM4)/.test(cipher)) return 128
  const m = /_(128|192|256)(_|$)/.exec(cipher)
  if (m) return Number(m[1])
  return 0
}

function cipherMode(cipher: string): CipherSuiteInfo['mode'] {
  if (cipher === 'NULL') return 'none'
  if (/GCM|CCM|POLY1305|MGM|AEGIS|ASCONAEAD/.test(cipher)) return 'AEAD'
  if (/CBC/.test(cipher)) return 'CBC'
  if (/RC4|CTR|CNT/.test(cipher)) return 'stream'
  return 'none'
}

/** Key exchange and authentication from the part of a TLS ≤1.2 name before "_WITH_". */
function kexAuth(prefix: string): {kex: string; auth: string; exp: boolean} {
  let p = prefix
  let exp = false
  if (p.endsWith('_EXPORT')) {
    exp = true
    p = p.slice(0, -'_EXPORT'.length)
  }
  if (p === 'PSK_DHE') p = 'DHE_PSK'
  switch (p) {
    case 'NULL':
      return {kex: 'NULL', auth: 'NULL', exp}
    case 'RSA':
    case 'KRB5':
    case 'PSK':
    case 'ECCPWD':
      return {kex: p, auth: p, exp}
    case 'DHE_PSK':
    case 'RSA_PSK':
    case 'ECDHE_PSK':
      return {kex: p, auth: 'PSK', exp}
    case 'DH_anon':
      return {kex: 'DHE', auth: 'anon', exp}
    case 'ECDH_anon':
      return {kex: 'ECDHE', auth: 'anon', exp}
    case 'SRP_SHA':
      return {kex: 'SRP', auth: 'SRP', exp}
    case 'SRP_SHA_RSA':
      return {kex: 'SRP', auth: 'RSA', exp}
    case 'SRP_SHA_DSS':
      return {kex: 'SRP', auth: 'DSS', exp}
    case 'GOSTR341112_256':
      return {kex: 'GOST', auth: 'GOST', exp}
  }
  const m = /^(DH|DHE|ECDH|ECDHE)_(RSA|DSS|ECDSA)$/.exec(p)
  if (m) return {kex: m[1], auth: m[2], exp}
  return {kex: p, auth: p, exp}
}

const FS_KEX = new Set(['DHE', 'ECDHE', 'DHE_PSK', 'ECDHE_PSK', 'ECCPWD', 'TLS13'])

/** Derives a registry row from an IANA name; undefined for signalling values and unparseable names. */
export function deriveSuite(code: number, name: string): CipherSuiteInfo | undefined {
  if (!name.startsWith('TLS_') || name.endsWith('_SCSV')) return undefined
  const body = name.slice(4)
  const withIdx = body.indexOf('_WITH_')
  // GOST R 34.12 MGM suites and names without _WITH_ are TLS 1.3 suites (RFC 8446 §B.4, RFC 9367, 8998, 9150 …)
  const gost13 = /^GOSTR341112_256_WITH_.*_MGM_[LS]$/.test(body)
  if (withIdx < 0 || gost13) {
    let cipher: string
    let mac: string
    if (gost13) {
      cipher = body.slice(body.indexOf('_WITH_') + 6)
      mac = 'GOSTR341112_256'
    } else {
      const parts = body.split('_')
      mac = parts[parts.length - 1]
      cipher = parts.slice(0, -1).join('_')
      // Integrity-only suites TLS_SHA256_SHA256 / TLS_SHA384_SHA384 (RFC 9150)
      if (/^SHA(256|384)$/.test(cipher)) cipher = 'NULL'
    }
    const cipherBits = cipherStrength(cipher)
    return {
      code,
      name,
      openssl: OPENSSL_NAMES[code],
      kex: 'TLS13',
      auth: 'TLS13',
      cipher,
      cipherBits,
      mode: cipherMode(cipher),
      mac,
      export: false,
      anonymous: false,
      forwardSecrecy: true,
      tls13: true,
    }
  }
  const {kex, auth, exp} = kexAuth(body.slice(0, withIdx))
  const rest = body.slice(withIdx + 6)
  let mac: string
  let cipher: string
  const goost = /^(.*)_(OMAC|IMIT)$/.exec(rest)
  const toks = rest.split('_')
  const last = toks[toks.length - 1]
  if (goost) {
    cipher = goost[1]
    mac = goost[2]
  } else if (MAC_TOKENS.has(last) && toks.length > 1) {
    mac = last
    cipher = toks.slice(0, -1).join('_')
  } else {
    // AES_128_CCM, AES_256_CCM_8 …: AEAD with the default SHA-256 PRF.
    cipher = rest
    mac = 'SHA256'
  }
  const isExport = exp || cipher.includes('_40') || cipher.includes('DES40')
  const anonymous = auth === 'anon' || kex === 'NULL'
  return {
    code,
    name,
    openssl: OPENSSL_NAMES[code],
    kex,
    auth,
    cipher,
    cipherBits: cipherStrength(cipher),
    mode: cipherMode(cipher),
    mac,
    export: isExport,
    anonymous,
    forwardSecrecy: FS_KEX.has(kex),
    tls13: false,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Loading

interface SuiteTables {
  all: CipherSuiteInfo[]
  byCode: Map<number, CipherSuiteInfo>
  byName: Map<string, CipherSuiteInfo>
}

let suites: SuiteTables | undefined

function loadSuites(): SuiteTables {
  if (suites) return suites
  const rows = parseCsv(readFileSync(join(ianaDataDir(), 'tls-parameters-4.csv'), 'utf8'))
  const all: CipherSuiteInfo[] = []
  for (const row of rows.slice(1)) {
    const m = /^0x([0-9A-Fa-f]{2}),0x([0-9A-Fa-f]{2})$/.exec((row[0] ?? '').trim())
    if (!m) continue // ranges
    const name = (row[1] ?? '').trim()
    if (!name.startsWith('TLS_')) continue // Reserved, Unassigned
    const info = deriveSuite((parseInt(m[1], 16) << 8) | parseInt(m[2], 16), name)
    if (info) all.push(info)
  }
  for (const [code, name, openssl, cipher, bits, exp, mode] of SSLV2_KINDS) {
    all.push({
      code,
      name,
      openssl,
      kex: 'RSA',
      auth: 'RSA',
      cipher,
      cipherBits: bits,
      mode,
      mac: 'MD5',
      export: exp,
      anonymous: false,
      forwardSecrecy: false,
      tls13: false,
    })
  }
  const byCode = new Map<number, CipherSuiteInfo>()
  const byName = new Map<string, CipherSuiteInfo>()
  for (const s of all) {
    byCode.set(s.code, s)
    byName.set(s.name.toUpperCase(), s)
    if (s.name.startsWith('TLS_')) byName.set('SSL_' + s.name.slice(4).toUpperCase(), s)
  }
  // OpenSSL names last, never shadowing IANA names (the TLS 1.3 ones are identical).
  for (const s of all) {
    if (s.openssl && !byName.has(s.openssl.toUpperCase())) byName.set(s.openssl.toUpperCase(), s)
  }
  suites = {all, byCode, byName}
  return suites
}

/** Looks up a suite by IANA name, SSL_-prefixed legacy name or OpenSSL name (case-insensitive). */
export function cipherSuiteByName(name: string): CipherSuiteInfo | undefined {
  return loadSuites().byName.get(name.trim().toUpperCase())
}

/** Looks up by two-byte code (or three-byte SSLv2 cipher kind). */
export function cipherSuiteByCode(code: number): CipherSuiteInfo | undefined {
  return loadSuites().byCode.get(code)
}

/** Every assigned suite (no reserved/unassigned ranges, no SCSVs), plus the SSLv2 cipher kinds (code > 0xffff). */
export function allCipherSuites(): CipherSuiteInfo[] {
  return loadSuites().all.slice()
}

/** TLS ≤1.2 suites (two-byte codes, not TLS 1.3-only). */
export function tls12CipherSuites(): CipherSuiteInfo[] {
  return loadSuites().all.filter((s) => s.code <= 0xffff && !s.tls13)
}

/** TLS 1.3 suites. */
export function tls13CipherSuites(): CipherSuiteInfo[] {
  return loadSuites().all.filter((s) => s.tls13)
}

/** SSLv2 cipher kinds. */
export function sslv2CipherKinds(): CipherSuiteInfo[] {
  return loadSuites().all.filter((s) => s.code > 0xffff)
}

/** Human label for a code that may be unassigned. */
export function cipherSuiteName(code: number): string {
  return cipherSuiteByCode(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`
}

// ---------------------------------------------------------------------------------------------------------
// Named groups

interface GroupTables {
  all: NamedGroupInfo[]
  byCode: Map<number, NamedGroupInfo>
  byName: Map<string, NamedGroupInfo>
}

let groups: GroupTables | undefined

function groupProps(name: string): Pick<NamedGroupInfo, 'bits' | 'kind' | 'postQuantum'> {
  let m: RegExpExecArray | null
  if ((m = /^ffdhe(\d+)$/.exec(name))) return {bits: Number(m[1]), kind: 'ff', postQuantum: false}
  if (name === 'x25519') return {bits: 256, kind: 'ec', postQuantum: false}
  if (name === 'x448') return {bits: 448, kind: 'ec', postQuantum: false}
  if (name === 'curveSM2') return {bits: 256, kind: 'ec', postQuantum: false}
  if (/MLKEM|Kyber/i.test(name)) {
    if (/^X25519/i.test(name)) return {bits: 256, kind: 'hybrid', postQuantum: true}
    if ((m = /^SecP(\d+)r1/i.exec(name))) return {bits: Number(m[1]), kind: 'hybrid', postQuantum: true}
    // Pure ML-KEM: the strength class of a comparable elliptic curve (NIST categories 1/3/5).
    if ((m = /^MLKEM(\d+)$/.exec(name))) {
      const k = Number(m[1])
      return {bits: k === 512 ? 256 : k === 768 ? 384 : 512, kind: 'pq', postQuantum: true}
    }
  }
  if ((m = /^(?:sec[pt]|brainpoolP)(\d+)/.exec(name))) return {bits: Number(m[1]), kind: 'ec', postQuantum: false}
  if ((m = /^GC(\d+)/.exec(name))) return {bits: Number(m[1]), kind: 'ec', postQuantum: false}
  return {bits: 0, kind: 'other', postQuantum: false}
}

function loadGroups(): GroupTables {
  if (groups) return groups
  const rows = parseCsv(readFileSync(join(ianaDataDir(), 'tls-parameters-8.csv'), 'utf8'))
  const all: NamedGroupInfo[] = []
  for (const row of rows.slice(1)) {
    const v = (row[0] ?? '').trim()
    if (!/^\d+$/.test(v)) continue
    let name = (row[1] ?? '').trim()
    if (!name || /^(Reserved|Unassigned)/.test(name)) continue
    name = name.replace(/\s*\(OBSOLETE\)\s*$/i, '')
    all.push({code: Number(v), name, recommended: (row[3] ?? '').trim(), ...groupProps(name)})
  }
  const byCode = new Map(all.map((g) => [g.code, g] as const))
  const byName = new Map(all.map((g) => [g.name.toLowerCase(), g] as const))
  // Common aliases
  const alias: Record<string, string> = {'p-256': 'secp256r1', 'p-384': 'secp384r1', 'p-521': 'secp521r1',
    prime256v1: 'secp256r1', x25519: 'x25519', 'x25519mlkem768': 'X25519MLKEM768'}
  for (const [a, n] of Object.entries(alias)) {
    const g = byName.get(n.toLowerCase())
    if (g && !byName.has(a)) byName.set(a, g)
  }
  groups = {all, byCode, byName}
  return groups
}

export function namedGroupByCode(code: number): NamedGroupInfo | undefined {
  return loadGroups().byCode.get(code)
}

/** By IANA name (case-insensitive) or common alias (prime256v1, P-256). */
export function namedGroupByName(name: string): NamedGroupInfo | undefined {
  return loadGroups().byName.get(name.trim().toLowerCase())
}

export function allNamedGroups(): NamedGroupInfo[] {
  return loadGroups().all.slice()
}

export function namedGroupName(code: number): string {
  return namedGroupByCode(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`
}
