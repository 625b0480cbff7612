/**
 * Verifying an evidence bundle (see bundle.ts) or a bare report.
 *
 * Bundle: nothing changed, nothing missing, nothing added; manifest.json in the exact form this version writes;
 * report.json consistent with itself (consistency.ts: evidence resolves, ids recompute, verdicts/summary/exit code
 * recompute); and — when signed — manifest.sig verifies over the exact bytes of manifest.json (no normalisation:
 * manifest.sig must be exactly the base64 signature and one newline), the signing time recorded inside the signed
 * manifest is plausible, every certificate of the signer's chain was valid at that time, and with trust anchors
 * the chain leads to one.
 *
 * Every problem is one line starting with the file it concerns, saying what differs:
 *   artifacts/obs-…/0-certificate.pem: sha256 mismatch (manifest 1a2b…, file 3c4d…)
 *   manifest.json: signature does not verify (manifest.sig, key in signer.json)
 *   extra file: notes.txt
 *
 * The outcome (VERIFY_EXIT, documented in docs/evidence.md):
 *   trusted        no problem, signed, the signer's chain leads to a --trust anchor          exit 0
 *   consistent     a bare report with no contradiction (it claims no origin)                 exit 0
 *   signer-unknown no problem, the signature verifies, but no anchor says who the signer is  exit 4
 *   unsigned       no problem, but nothing proves manifest.json (only internal consistency)  exit 5 (0 with allowUnsigned)
 *   failed         at least one problem                                                       exit 1
 *
 * Not checked: that report.sarif/.csv/.md/.junit.xml are what this build's writers would render from report.json
 * (they are covered by the manifest and signature, but writers may change between versions); revocation of the
 * signer's certificates; anchors' own validity dates (anchors are trusted as given, as in src/probes/tls/trust.ts).
 */
import {createPublicKey, type KeyObject, X509Certificate} from 'node:crypto'
import {existsSync, lstatSync, readdirSync, readFileSync, statSync} from 'node:fs'
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
  serializeManifest,
  SIGNER_FILE,
} from './bundle.js'
import {reportContradictions} from './consistency.js'
import {canonicalJson, sha256Hex} from './ids.js'
import {algorithmOf, keyFingerprint, oneLine, safeVerify, SIGNATURE_ALGORITHMS, type SignatureAlgorithm, verifyManifestSignature} from './sign.js'
import type {Report} from './types.js'
import {validateReport} from './validate.js'

export interface VerifyOptions {
  /** Trust anchors, PEM texts (bundles allowed). When given, the bundle must be signed by a certificate chaining to one. */
  trust?: string[]
  /** Accept an unsigned bundle (exit 0) although only its internal consistency could be checked. */
  allowUnsigned?: boolean
  /** "Now" for the signing-time plausibility check (tests). */
  now?: Date
}

export type VerifyStatus = 'trusted' | 'consistent' | 'signer-unknown' | 'unsigned' | 'failed'

/** Exit codes of `report verify` (docs/evidence.md). */
export const VERIFY_EXIT = {verified: 0, problem: 1, usage: 2, signerUnknown: 4, unsigned: 5} as const

/** Signing time may lie at most this far past the verifier's clock (clock skew between machines). */
const FUTURE_SKEW_MS = 5 * 60_000

export interface VerifiedSigner {
  algorithm: string
  keyFingerprint: string
  /** Leaf certificate subject, when signer.json carries a chain. */
  subject?: string
  issuer?: string
  /** Set when trust anchors were given: whether the chain validated to one. */
  trusted?: boolean
}

/** The outcome and exit code from what was found. */
function outcome(problems: string[], signed: boolean, signer: VerifiedSigner | undefined, options: VerifyOptions): Pick<VerifyResult, 'ok' | 'status' | 'exitCode'> {
  if (problems.length > 0) return {ok: false, status: 'failed', exitCode: VERIFY_EXIT.problem}
  if (!signed) return {ok: true, status: 'unsigned', exitCode: options.allowUnsigned ? VERIFY_EXIT.verified : VERIFY_EXIT.unsigned}
  if (signer?.trusted) return {ok: true, status: 'trusted', exitCode: VERIFY_EXIT.verified}
  return {ok: true, status: 'signer-unknown', exitCode: VERIFY_EXIT.signerUnknown}
}

export interface VerifyResult {
  /** No problem was found (integrity and consistency); see status for what that proves. */
  ok: boolean
  status: VerifyStatus
  exitCode: number
  problems: string[]
  /** What was and was not checked, for the reader (e.g. "only internal consistency was checked"). */
  notes: string[]
  signed: boolean
  signer?: VerifiedSigner
  manifest?: {runId: string; createdAt: string; signedAt?: string; lab?: BundleManifest['lab']; files: number}
}

const UNLISTED_ALLOWED = new Set([MANIFEST_FILE, SIGNATURE_FILE, SIGNER_FILE])
const SHA256 = /^[0-9a-f]{64}$/

const short = (hex: string) => `${hex.slice(0, 16)}…`

/** Verifies the bundle in `dir`. Throws ConfigError only when `dir` is not a directory (a usage error). */
export function verifyBundle(dir: string, options: VerifyOptions = {}): VerifyResult {
  const root = resolve(dir)
  if (!existsSync(root) || !lstatSync(root).isDirectory()) throw new ConfigError(`${dir}: not a bundle directory`)
  const {files, problems} = readBundleFiles(root)
  return verifyBundleFiles(files, options, problems)
}

/** Every regular file of the bundle directory (relative path → bytes), read once: what is verified is what a
 *  caller keeps (the conformity store stores these very bytes). Anything else in it is a problem. */
export function readBundleFiles(dir: string): {files: Map<string, Buffer>; problems: string[]} {
  const root = resolve(dir)
  const problems: string[] = []
  const files = new Map<string, Buffer>()
  for (const path of listFiles(root, problems)) files.set(path, readFileSync(join(root, path)))
  return {files, problems}
}

/** Verifies a bundle given as its files (relative path → bytes); `problems` may hold listing problems already. */
export function verifyBundleFiles(onDisk: ReadonlyMap<string, Buffer>, options: VerifyOptions = {}, problems: string[] = []): VerifyResult {
  const notes: string[] = []
  const read = (path: string): Buffer | undefined => onDisk.get(path)
  const done = (signed: boolean, signer?: VerifiedSigner, manifest?: VerifyResult['manifest']): VerifyResult => {
    if (!signed) notes.push('not signed: nothing proves manifest.json (lab, operator, accreditation id); only the internal consistency of the bundle was checked')
    else if (signer && signer.trusted === undefined) notes.push('signer unknown: the signature verifies, but no --trust anchor was given to say who the signer is')
    return {...outcome(problems, signed, signer, options), problems, notes, signed, ...(signer ? {signer} : {}), ...(manifest ? {manifest} : {})}
  }

  const manifestBytes = read(MANIFEST_FILE)
  if (!manifestBytes) {
    problems.push(`${MANIFEST_FILE}: missing`)
    return done(onDisk.has(SIGNATURE_FILE))
  }

  // Signature first: it speaks for the manifest as a whole.
  const {signed, signer, chain} = checkSignature(manifestBytes, read(SIGNATURE_FILE), read(SIGNER_FILE), options, problems)

  let manifest: BundleManifest | undefined
  try {
    const parsed: unknown = JSON.parse(manifestBytes.toString('utf8'))
    const shape = manifestShapeProblems(parsed, signed)
    if (shape.length > 0) problems.push(...shape.map((p) => `${MANIFEST_FILE}: ${p}`))
    else manifest = parsed as BundleManifest
  } catch (error) {
    problems.push(`${MANIFEST_FILE}: not valid JSON (${(error as Error).message})`)
  }
  if (!manifest) return done(signed, signer)
  // The exact bytes this version writes: an unsigned manifest cannot hide an edit in whitespace or key order.
  if (!serializeManifest(manifest).equals(manifestBytes)) problems.push(`${MANIFEST_FILE}: not in the exact form sg17scan writes (whitespace, key order or escaping changed)`)
  if (signed && manifest.signedAt !== undefined) checkSigningTime(manifest.signedAt, chain, options.now ?? new Date(), problems)

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
  for (const path of [...onDisk.keys()].sort(comparePaths)) if (!listed.has(path) && !UNLISTED_ALLOWED.has(path)) problems.push(`extra file: ${path}`)
  if (signed && onDisk.has(SIGNER_FILE) && !listed.has(SIGNER_FILE)) problems.push(`${MANIFEST_FILE}: ${SIGNER_FILE} is not listed (the signature must cover the signer identity)`)
  if (!signed && listed.has(SIGNER_FILE)) problems.push(`${MANIFEST_FILE}: lists ${SIGNER_FILE}, but ${SIGNER_FILE} and ${SIGNATURE_FILE} are missing`)
  if (!listed.has(REPORT_FILE)) problems.push(`${MANIFEST_FILE}: ${REPORT_FILE} is not listed`)

  const report = checkReport(read(REPORT_FILE), manifest, listed, read, problems, notes)
  if (report && manifest.signedAt !== undefined && Date.parse(manifest.signedAt) < Date.parse(report.run.finishedAt)) {
    problems.push(`${MANIFEST_FILE}: signedAt ${manifest.signedAt} is before the run finished (${REPORT_FILE} run.finishedAt ${report.run.finishedAt})`)
  }

  return done(signed, signer, {
    runId: manifest.runId,
    createdAt: manifest.createdAt,
    ...(manifest.signedAt ? {signedAt: manifest.signedAt} : {}),
    ...(manifest.lab ? {lab: manifest.lab} : {}),
    files: manifest.files.length,
  })
}

/** A bare report file: schema and internal consistency. It claims no origin, so consistent is as good as it gets. */
export function verifyReportFile(file: string): VerifyResult {
  const problems: string[] = []
  const notes = ['a bare report: internal consistency checked; nothing proves who wrote it (bundle and sign it for that)']
  let report: Report | undefined
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as Report
  } catch (error) {
    problems.push(`${file}: not readable JSON (${(error as Error).message})`)
  }
  if (report) {
    const invalid = validateReport(report)
    if (invalid.length > 0) problems.push(...invalid.map((p) => `${file}: does not match schemas/report.schema.json: ${p}`))
    else {
      const consistency = reportContradictions(report)
      problems.push(...consistency.problems.map((p) => `${file}: ${p}`))
      notes.push(...consistency.notes)
    }
  }
  const ok = problems.length === 0
  return {ok, status: ok ? 'consistent' : 'failed', exitCode: ok ? VERIFY_EXIT.verified : VERIFY_EXIT.problem, problems, notes, signed: false}
}

/** Whether `path` is a bundle directory (else it is read as a report file). */
export function isBundleDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

/** The signing time inside the signed manifest: a date, not in the future, and inside every chain certificate's validity. */
function checkSigningTime(signedAt: string, chain: X509Certificate[] | undefined, now: Date, problems: string[]): void {
  const at = Date.parse(signedAt)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(signedAt) || Number.isNaN(at)) {
    problems.push(`${MANIFEST_FILE}: signedAt ${JSON.stringify(signedAt)} is not an ISO 8601 UTC time`)
    return
  }
  if (at > now.getTime() + FUTURE_SKEW_MS) problems.push(`${MANIFEST_FILE}: signedAt ${signedAt} is in the future (verifier clock ${now.toISOString()})`)
  for (const [i, cert] of (chain ?? []).entries()) {
    const from = Date.parse(cert.validFrom)
    const to = Date.parse(cert.validTo)
    if (at < from || at > to) {
      problems.push(`${SIGNER_FILE}: certificateChain[${i}] (${oneLine(cert.subject)}) was not valid at signing time ${signedAt} (valid ${new Date(from).toISOString()} to ${new Date(to).toISOString()})`)
    }
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

function manifestShapeProblems(value: unknown, signed: boolean): string[] {
  if (!isObject(value)) return ['not a JSON object']
  const problems: string[] = []
  if (signed && typeof value.signedAt !== 'string') problems.push('signedAt must be a string: a signed manifest records its signing time')
  if (!signed && value.signedAt !== undefined) problems.push('signedAt is recorded but the bundle is not signed (manifest.sig and signer.json missing)')
  if (value.bundleVersion !== BUNDLE_VERSION) problems.push(`bundleVersion ${JSON.stringify(value.bundleVersion)} is not supported (this sg17scan reads ${BUNDLE_VERSION})`)
  for (const key of ['createdAt', 'runId', 'commandLine'] as const) if (typeof value[key] !== 'string') problems.push(`${key} must be a string`)
  if (!isObject(value.tool) || Object.values(value.tool).some((v) => typeof v !== 'string') || typeof value.tool.name !== 'string' || typeof value.tool.version !== 'string') {
    problems.push('tool must be {name, version, commit?, packageIntegrity?, node?} (strings)')
  }
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
): {signed: boolean; signer?: VerifiedSigner; chain?: X509Certificate[]} {
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

  // Exact bytes: the base64 signature and one newline, as written. Nothing is trimmed or normalised.
  const sigText = sigBytes.toString('latin1')
  const signature = sigText.endsWith('\n') ? strictBase64(sigText.slice(0, -1)) : undefined
  if (!signature) problems.push(`${SIGNATURE_FILE}: not exactly a base64 signature followed by one newline`)
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
  return {signed: true, signer, ...(chain ? {chain} : {})}
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
  notes: string[],
): Report | undefined {
  if (!bytes) return undefined // reported as missing (or unlisted) already
  let report: Report
  try {
    report = JSON.parse(bytes.toString('utf8')) as Report
  } catch (error) {
    problems.push(`${REPORT_FILE}: not valid JSON (${(error as Error).message})`)
    return undefined
  }
  const invalid = validateReport(report)
  if (invalid.length > 0) {
    problems.push(...invalid.map((p) => `${REPORT_FILE}: does not match schemas/report.schema.json: ${p}`))
    return undefined
  }
  const consistency = reportContradictions(report)
  problems.push(...consistency.problems.map((p) => `${REPORT_FILE}: ${p}`))
  notes.push(...consistency.notes)

  const mismatch = (field: string, manifestValue: unknown, reportField: string, reportValue: unknown): void => {
    if (JSON.stringify(manifestValue) !== JSON.stringify(reportValue)) {
      problems.push(`${MANIFEST_FILE}: ${field} ${JSON.stringify(manifestValue)} does not match ${REPORT_FILE} ${reportField} ${JSON.stringify(reportValue)}`)
    }
  }
  mismatch('runId', manifest.runId, 'run.id', report.run.id)
  mismatch('createdAt', manifest.createdAt, 'run.finishedAt', report.run.finishedAt)
  mismatch('commandLine', manifest.commandLine, 'run.commandLine', report.run.commandLine)
  mismatch('tool', canonicalJson(manifest.tool), 'tool', canonicalJson(report.tool))
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
    // A recorded sha256 that is not its content's is a contradiction reported by reportContradictions.
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
  return report
}
