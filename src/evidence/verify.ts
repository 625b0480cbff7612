/**
 * Verifying an evidence bundle (see bundle.ts): nothing changed, nothing missing, nothing added, and — when
 * signed — the manifest signature holds; with trust anchors, the signer's certificate chain leads to one.
 *
 * Every problem is one line starting with the file it concerns, saying what differs:
 *   artifacts/obs-…/0-certificate.pem: sha256 mismatch (manifest 1a2b…, file 3c4d…)
 *   manifest.json: signature does not verify (manifest.sig, key in signer.json)
 *   extra file: notes.txt
 *
 * Not checked: that report.sarif/.csv/.md/.junit.xml are what this build's writers would render from report.json
 * (they are covered by the manifest and signature, but writers may change between versions); certificate validity
 * dates (as in src/probes/tls/trust.ts, anchors are trusted as given).
 */
import {createPublicKey, type KeyObject, X509Certificate} from 'node:crypto'
import {existsSync, lstatSync, readdirSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {ConfigError} from '../profiles/errors.js'
import {verifyChain} from '../probes/tls/trust.js'
import {
  BUNDLE_VERSION,
  type BundleManifest,
  comparePaths,
  MANIFEST_FILE,
  planArtifacts,
  REPORT_FILE,
  SIGNATURE_FILE,
  SIGNER_FILE,
} from './bundle.js'
import {sha256Hex} from './ids.js'
import {algorithmOf, keyFingerprint, oneLine, safeVerify, SIGNATURE_ALGORITHMS, type SignatureAlgorithm, verifyManifestSignature} from './sign.js'
import type {Report} from './types.js'
import {validateReport} from './validate.js'

export interface VerifyOptions {
  /** Trust anchors, PEM texts (bundles allowed). When given, the bundle must be signed by a certificate chaining to one. */
  trust?: string[]
}

export interface VerifiedSigner {
  algorithm: string
  keyFingerprint: string
  /** Leaf certificate subject, when signer.json carries a chain. */
  subject?: string
  issuer?: string
  /** Set when trust anchors were given: whether the chain validated to one. */
  trusted?: boolean
}

export interface VerifyResult {
  ok: boolean
  problems: string[]
  signed: boolean
  signer?: VerifiedSigner
  manifest?: {runId: string; createdAt: string; lab?: BundleManifest['lab']; files: number}
}

const UNLISTED_ALLOWED = new Set([MANIFEST_FILE, SIGNATURE_FILE, SIGNER_FILE])
const SHA256 = /^[0-9a-f]{64}$/

const short = (hex: string) => `${hex.slice(0, 16)}…`

/** Verifies the bundle in `dir`. Throws ConfigError only when `dir` is not a directory (a usage error). */
export function verifyBundle(dir: string, options: VerifyOptions = {}): VerifyResult {
  const root = resolve(dir)
  if (!existsSync(root) || !lstatSync(root).isDirectory()) throw new ConfigError(`${dir}: not a bundle directory`)
  const problems: string[] = []
  const onDisk = listFiles(root, problems)
  const read = (path: string): Buffer | undefined => (onDisk.has(path) ? readFileSync(join(root, path)) : undefined)

  const manifestBytes = read(MANIFEST_FILE)
  if (!manifestBytes) {
    problems.push(`${MANIFEST_FILE}: missing`)
    return {ok: false, problems, signed: onDisk.has(SIGNATURE_FILE)}
  }

  // Signature first: it speaks for the manifest as a whole.
  const {signed, signer} = checkSignature(manifestBytes, read(SIGNATURE_FILE), read(SIGNER_FILE), options, problems)

  let manifest: BundleManifest | undefined
  try {
    const parsed: unknown = JSON.parse(manifestBytes.toString('utf8'))
    const shape = manifestShapeProblems(parsed)
    if (shape.length > 0) problems.push(...shape.map((p) => `${MANIFEST_FILE}: ${p}`))
    else manifest = parsed as BundleManifest
  } catch (error) {
    problems.push(`${MANIFEST_FILE}: not valid JSON (${(error as Error).message})`)
  }
  if (!manifest) return {ok: false, problems, signed, ...(signer ? {signer} : {})}

  // Listed files: present, same size, same hash.
  const listed = new Map<string, {sha256: string; bytes: number}>()
  for (const entry of manifest.files) {
    const unsafe = unsafePath(entry.path)
    if (unsafe) {
      problems.push(`${MANIFEST_FILE}: unsafe path ${JSON.stringify(entry.path)} (${unsafe})`)
      continue
    }
    if (listed.has(entry.path)) {
      problems.push(`${MANIFEST_FILE}: ${entry.path} listed twice`)
      continue
    }
    listed.set(entry.path, entry)
    const bytes = read(entry.path)
    if (!bytes) {
      problems.push(`${entry.path}: missing (listed in ${MANIFEST_FILE})`)
      continue
    }
    const actual = sha256Hex(bytes)
    if (bytes.length !== entry.bytes) {
      problems.push(`${entry.path}: size and sha256 mismatch (manifest ${entry.bytes} bytes ${short(entry.sha256)}, file ${bytes.length} bytes ${short(actual)})`)
    } else if (actual !== entry.sha256) {
      problems.push(`${entry.path}: sha256 mismatch (manifest ${short(entry.sha256)}, file ${short(actual)})`)
    }
  }
  for (const path of [...onDisk].sort(comparePaths)) if (!listed.has(path) && !UNLISTED_ALLOWED.has(path)) problems.push(`extra file: ${path}`)
  if (signed && onDisk.has(SIGNER_FILE) && !listed.has(SIGNER_FILE)) problems.push(`${MANIFEST_FILE}: ${SIGNER_FILE} is not listed (the signature must cover the signer identity)`)
  if (!listed.has(REPORT_FILE)) problems.push(`${MANIFEST_FILE}: ${REPORT_FILE} is not listed`)

  checkReport(read(REPORT_FILE), manifest, listed, read, problems)

  return {
    ok: problems.length === 0,
    problems,
    signed,
    ...(signer ? {signer} : {}),
    manifest: {runId: manifest.runId, createdAt: manifest.createdAt, ...(manifest.lab ? {lab: manifest.lab} : {}), files: manifest.files.length},
  }
}

/** Every regular file under root, relative with '/' separators. Anything else (symlink, device …) is a problem. */
function listFiles(root: string, problems: string[]): Set<string> {
  const out = new Set<string>()
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(root, rel), {withFileTypes: true})) {
      const path = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) out.add(path)
      else problems.push(`${path}: not a regular file`)
    }
  }
  walk('')
  return out
}

function unsafePath(path: string): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute'
  if (path.includes('\\')) return 'backslash'
  if (path.includes('\0')) return 'NUL byte'
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'empty, . or .. segment'
  if (path === MANIFEST_FILE || path === SIGNATURE_FILE) return 'the manifest cannot list itself or its signature'
  return undefined
}

function manifestShapeProblems(value: unknown): string[] {
  if (!isObject(value)) return ['not a JSON object']
  const problems: string[] = []
  if (value.bundleVersion !== BUNDLE_VERSION) problems.push(`bundleVersion ${JSON.stringify(value.bundleVersion)} is not supported (this sg17scan reads ${BUNDLE_VERSION})`)
  for (const key of ['createdAt', 'runId', 'commandLine'] as const) if (typeof value[key] !== 'string') problems.push(`${key} must be a string`)
  if (!isObject(value.tool) || typeof value.tool.name !== 'string' || typeof value.tool.version !== 'string') problems.push('tool must be {name, version}')
  const profile = value.profile
  if (!isObject(profile) || typeof profile.id !== 'string' || typeof profile.version !== 'string' || typeof profile.sha256 !== 'string') {
    problems.push('profile must be {id, version, sha256}')
  }
  if (value.lab !== undefined && (!isObject(value.lab) || Object.values(value.lab).some((v) => typeof v !== 'string'))) problems.push('lab must be an object of strings')
  if (!Array.isArray(value.files)) problems.push('files must be an array')
  else {
    value.files.forEach((f: unknown, i) => {
      if (!isObject(f) || typeof f.path !== 'string') problems.push(`files[${i}].path must be a string`)
      else if (typeof f.sha256 !== 'string' || !SHA256.test(f.sha256)) problems.push(`files[${i}] (${f.path}): sha256 must be 64 lowercase hex digits`)
      else if (typeof f.bytes !== 'number' || !Number.isSafeInteger(f.bytes) || f.bytes < 0) problems.push(`files[${i}] (${f.path}): bytes must be a non-negative integer`)
    })
  }
  return problems
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkSignature(
  manifestBytes: Buffer,
  sigBytes: Buffer | undefined,
  signerBytes: Buffer | undefined,
  options: VerifyOptions,
  problems: string[],
): {signed: boolean; signer?: VerifiedSigner} {
  const trustGiven = (options.trust?.length ?? 0) > 0
  if (!sigBytes && !signerBytes) {
    if (trustGiven) problems.push(`${MANIFEST_FILE}: the bundle is not signed (no ${SIGNATURE_FILE}, no ${SIGNER_FILE}) but trust anchors were given`)
    return {signed: false}
  }
  if (!sigBytes) {
    problems.push(`${SIGNATURE_FILE}: missing (${SIGNER_FILE} is present)`)
    return {signed: true}
  }
  if (!signerBytes) {
    problems.push(`${SIGNER_FILE}: missing (${SIGNATURE_FILE} is present)`)
    return {signed: true}
  }

  let info: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(signerBytes.toString('utf8'))
    if (!isObject(parsed)) throw new Error('not a JSON object')
    info = parsed
  } catch (error) {
    problems.push(`${SIGNER_FILE}: not valid JSON (${(error as Error).message})`)
    return {signed: true}
  }
  const algorithm = info.algorithm
  if (typeof algorithm !== 'string' || !(SIGNATURE_ALGORITHMS as readonly string[]).includes(algorithm)) {
    problems.push(`${SIGNER_FILE}: algorithm ${JSON.stringify(algorithm)} is not one of ${SIGNATURE_ALGORITHMS.join(', ')}`)
    return {signed: true}
  }
  const spki = typeof info.publicKeySpki === 'string' ? strictBase64(info.publicKeySpki) : undefined
  let publicKey: KeyObject | undefined
  if (spki) {
    try {
      publicKey = createPublicKey({key: spki, format: 'der', type: 'spki'})
    } catch {
      /* reported below */
    }
  }
  if (!spki || !publicKey) {
    problems.push(`${SIGNER_FILE}: publicKeySpki is not a base64 SubjectPublicKeyInfo`)
    return {signed: true}
  }
  const fingerprint = keyFingerprint(spki)
  const signer: VerifiedSigner = {algorithm, keyFingerprint: fingerprint}
  if (info.keyFingerprint !== fingerprint) {
    problems.push(`${SIGNER_FILE}: keyFingerprint ${JSON.stringify(info.keyFingerprint)} does not match publicKeySpki (sha256 ${fingerprint})`)
  }
  const keyAlgorithm = algorithmOf(publicKey)
  if (keyAlgorithm !== algorithm) {
    problems.push(`${SIGNER_FILE}: algorithm ${algorithm} does not match the public key (${typeof keyAlgorithm === 'string' ? keyAlgorithm : keyAlgorithm.unsupported})`)
  }

  const sigText = sigBytes.toString('latin1').replace(/\n$/, '')
  const signature = strictBase64(sigText)
  if (!signature) problems.push(`${SIGNATURE_FILE}: not a base64 signature`)
  else if (!verifyManifestSignature(algorithm as SignatureAlgorithm, publicKey, manifestBytes, signature)) {
    problems.push(`${MANIFEST_FILE}: signature does not verify (${SIGNATURE_FILE}, key in ${SIGNER_FILE})`)
  }

  const chain = readChain(info.certificateChain, spki, problems)
  if (chain && chain.length > 0) {
    signer.subject = oneLine(chain[0]!.subject)
    signer.issuer = oneLine(chain[0]!.issuer)
  }
  if (trustGiven) {
    signer.trusted = false
    if (!chain) {
      if (info.certificateChain === undefined) problems.push(`${SIGNER_FILE}: no certificateChain, so the signer cannot be checked against the trust anchors`)
    } else {
      const result = verifyChain(
        chain.map((c) => Buffer.from(c.raw)),
        {anchors: options.trust, systemStore: false},
      )
      if (result.trusted) signer.trusted = true
      else problems.push(`${SIGNER_FILE}: certificate chain (leaf ${signer.subject ?? '?'}) does not lead to a trust anchor (${result.error ?? 'untrusted'})`)
    }
  }
  return {signed: true, signer}
}

/** The chain in signer.json, checked: readable, leaf carries publicKeySpki, each issued and signed by the next. */
function readChain(value: unknown, spki: Buffer, problems: string[]): X509Certificate[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    problems.push(`${SIGNER_FILE}: certificateChain must be a non-empty array of PEM certificates`)
    return undefined
  }
  const chain: X509Certificate[] = []
  for (const [i, pem] of (value as string[]).entries()) {
    try {
      chain.push(new X509Certificate(pem))
    } catch (error) {
      problems.push(`${SIGNER_FILE}: certificateChain[${i}] cannot be read (${(error as Error).message})`)
      return undefined
    }
  }
  let ok = true
  if (!chain[0]!.publicKey.export({type: 'spki', format: 'der'}).equals(spki)) {
    problems.push(`${SIGNER_FILE}: certificateChain[0] does not carry the key in publicKeySpki`)
    ok = false
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i]!.checkIssued(chain[i + 1]!) || !safeVerify(chain[i]!, chain[i + 1]!.publicKey)) {
      problems.push(`${SIGNER_FILE}: certificateChain[${i}] is not issued and signed by certificateChain[${i + 1}]`)
      ok = false
    }
  }
  return ok ? chain : undefined
}

/** Base64 decoded only when canonical (so a changed character is never silently skipped). */
function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64') === text ? bytes : undefined
}

function checkReport(
  bytes: Buffer | undefined,
  manifest: BundleManifest,
  listed: Map<string, {sha256: string; bytes: number}>,
  read: (path: string) => Buffer | undefined,
  problems: string[],
): void {
  if (!bytes) return // reported as missing (or unlisted) already
  let report: Report
  try {
    report = JSON.parse(bytes.toString('utf8')) as Report
  } catch (error) {
    problems.push(`${REPORT_FILE}: not valid JSON (${(error as Error).message})`)
    return
  }
  const invalid = validateReport(report)
  if (invalid.length > 0) {
    problems.push(...invalid.map((p) => `${REPORT_FILE}: does not match schemas/report.schema.json: ${p}`))
    return
  }

  const mismatch = (field: string, manifestValue: unknown, reportField: string, reportValue: unknown): void => {
    if (JSON.stringify(manifestValue) !== JSON.stringify(reportValue)) {
      problems.push(`${MANIFEST_FILE}: ${field} ${JSON.stringify(manifestValue)} does not match ${REPORT_FILE} ${reportField} ${JSON.stringify(reportValue)}`)
    }
  }
  mismatch('runId', manifest.runId, 'run.id', report.run.id)
  mismatch('createdAt', manifest.createdAt, 'run.finishedAt', report.run.finishedAt)
  mismatch('commandLine', manifest.commandLine, 'run.commandLine', report.run.commandLine)
  mismatch('tool', [manifest.tool.name, manifest.tool.version], 'tool', [report.tool.name, report.tool.version])
  mismatch(
    'profile',
    [manifest.profile.id, manifest.profile.version, manifest.profile.sha256],
    'run.profile',
    [report.run.profile.id, report.run.profile.version, report.run.profile.sha256],
  )

  const expected = new Set<string>()
  for (const planned of planArtifacts(report)) {
    const {path, artifact, pointer} = planned
    expected.add(path)
    const contentSha = sha256Hex(artifact.content)
    if (contentSha !== artifact.sha256) {
      problems.push(`${REPORT_FILE}: ${pointer} records sha256 ${short(artifact.sha256)} but its content hashes to ${short(contentSha)}`)
    }
    if (!listed.has(path)) problems.push(`${path}: artifact ${pointer} of ${REPORT_FILE} is not listed in ${MANIFEST_FILE}`)
    const file = read(path)
    if (!file) {
      if (listed.has(path)) continue // "missing (listed in manifest.json)" already
      problems.push(`${path}: missing (artifact ${pointer} of ${REPORT_FILE})`)
      continue
    }
    const fileSha = sha256Hex(file)
    if (fileSha !== artifact.sha256) problems.push(`${path}: sha256 mismatch (${REPORT_FILE} ${pointer} records ${short(artifact.sha256)}, file ${short(fileSha)})`)
  }
  for (const path of listed.keys()) {
    if (path.startsWith('artifacts/') && !expected.has(path)) problems.push(`${path}: listed in ${MANIFEST_FILE} but not an artifact of ${REPORT_FILE}`)
  }
}
