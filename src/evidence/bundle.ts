/**
 * Evidence bundles: one directory a lab or certification body can archive, hand over and re-verify.
 *
 *   report.json                               the native report (exactly what `report convert --format json` writes)
 *   artifacts/<observation id>/<i>-<kind>.<ext> each observation artifact, its stored `content` string as UTF-8
 *   report.sarif, report.csv, report.md, report.junit.xml   the writers' renderings of report.json
 *   signer.json                               (signed bundles) algorithm, public key, optional X.509 chain
 *   manifest.json                             every file above with sha256 and size, sorted by path
 *   manifest.sig                              (signed bundles) base64 signature over the exact manifest.json bytes
 *
 * Artifact files hold the artifact's `content` exactly as stored in the report (PEM text, hex digits, base64
 * text or UTF-8 text), not decoded bytes: the sha256 recorded in the report is of that stored string, so the file
 * re-verifies against it byte for byte. Extensions: pem → .pem, hex → .hex, base64 → .b64, utf8 → .txt.
 *
 * signer.json is listed in the manifest, so the signature also covers the signer identity (its certificate
 * chain cannot be swapped for another one carrying the same key).
 *
 * Deterministic: the same report and options give byte-identical files. createdAt is the report's
 * run.finishedAt, not the clock. A signed manifest records signedAt (the clock unless given): the signature
 * covers it, and the verifier checks the signer's certificates were valid then. Besides signedAt, only an ECDSA
 * manifest.sig differs between runs (ECDSA signatures are randomized; Ed25519 ones are not).
 */
import {existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {ConfigError} from '../profiles/errors.js'
import {csvWriter} from '../writers/csv.js'
import {jsonWriter} from '../writers/json.js'
import {junitWriter} from '../writers/junit.js'
import {mdWriter} from '../writers/md.js'
import {sarifWriter} from '../writers/sarif.js'
import type {Writer} from '../writers/types.js'
import {sha256Hex} from './ids.js'
import {signManifest, signerInfo, type Signer} from './sign.js'
import type {Artifact, Report, ToolInfo} from './types.js'
import {validateReport} from './validate.js'

/** 2: signedAt inside the signed manifest, canonical manifest bytes, observation ids binding artifacts. */
export const BUNDLE_VERSION = 2
export const MANIFEST_FILE = 'manifest.json'
export const SIGNATURE_FILE = 'manifest.sig'
export const SIGNER_FILE = 'signer.json'
export const REPORT_FILE = 'report.json'

/** Writer renderings included in a bundle (jsonl repeats report.json line by line; console is for terminals). */
export const BUNDLE_WRITERS: ReadonlyArray<{path: string; writer: Writer}> = [
  {path: 'report.sarif', writer: sarifWriter},
  {path: 'report.csv', writer: csvWriter},
  {path: 'report.md', writer: mdWriter},
  {path: 'report.junit.xml', writer: junitWriter},
]

export interface LabInfo {
  name?: string
  operator?: string
  accreditationId?: string
}

export interface ManifestFile {
  path: string
  sha256: string
  bytes: number
}

export interface BundleManifest {
  bundleVersion: number
  createdAt: string
  tool: ToolInfo
  runId: string
  lab?: LabInfo
  profile: {id: string; version: string; sha256: string}
  commandLine: string
  /** When the manifest was signed (signed bundles only): inside the signed bytes, so it cannot be moved, and the
   *  time at which the signer's certificates must have been valid. */
  signedAt?: string
  files: ManifestFile[]
}

export interface BundleOptions {
  lab?: LabInfo
  /** A key (and chain) from loadSigner: the bundle gets signer.json and manifest.sig. */
  signer?: Signer
  /** The signing time recorded in the manifest (default: the clock). */
  signedAt?: Date
}

export interface BundleResult {
  dir: string
  manifest: BundleManifest
  signed: boolean
  /** Every file written, relative to dir, sorted. */
  files: string[]
}

const EXTENSIONS: Record<Artifact['encoding'], string> = {pem: 'pem', hex: 'hex', base64: 'b64', utf8: 'txt'}

/** One path segment from an id or kind: only [A-Za-z0-9._-], never empty, never starting with a dot. */
export function safeSegment(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)
  return cleaned === '' || cleaned.startsWith('.') ? `_${cleaned}` : cleaned
}

export interface PlannedArtifact {
  path: string
  artifact: Artifact
  /** Where the artifact sits in the report, for messages: devices[0].observations[1].artifacts[0]. */
  pointer: string
}

/**
 * Where each artifact of the report goes in a bundle. Shared by writer and verifier, so both derive the
 * same names. Observation ids that collide once made path-safe (or repeat across devices) get `~2`, `~3` … .
 */
export function planArtifacts(report: Report): PlannedArtifact[] {
  const out: PlannedArtifact[] = []
  const usedDirs = new Set<string>()
  report.devices.forEach((device, d) => {
    device.observations.forEach((observation, o) => {
      if (observation.artifacts.length === 0) return
      const base = safeSegment(observation.id)
      let dir = base
      for (let n = 2; usedDirs.has(dir); n++) dir = `${base}~${n}`
      usedDirs.add(dir)
      observation.artifacts.forEach((artifact, i) => {
        const ext = EXTENSIONS[artifact.encoding] ?? 'txt'
        out.push({
          path: `artifacts/${dir}/${i}-${safeSegment(artifact.kind)}.${ext}`,
          artifact,
          pointer: `devices[${d}].observations[${o}].artifacts[${i}]`,
        })
      })
    })
  })
  return out
}

/** The files of a bundle other than manifest.json and manifest.sig, as bytes, keyed by relative path. */
export function bundleContents(report: Report, signer?: Signer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  files.set(REPORT_FILE, Buffer.from(jsonWriter.write(report), 'utf8'))
  for (const planned of planArtifacts(report)) files.set(planned.path, Buffer.from(planned.artifact.content, 'utf8'))
  for (const {path, writer} of BUNDLE_WRITERS) files.set(path, Buffer.from(writer.write(report), 'utf8'))
  if (signer) files.set(SIGNER_FILE, Buffer.from(`${JSON.stringify(signerInfo(signer), null, 2)}\n`, 'utf8'))
  return files
}

export function buildManifest(report: Report, files: Map<string, Buffer>, lab?: LabInfo, signedAt?: Date): BundleManifest {
  const labInfo = cleanLab(lab)
  return {
    bundleVersion: BUNDLE_VERSION,
    createdAt: report.run.finishedAt,
    tool: structuredClone(report.tool),
    runId: report.run.id,
    ...(labInfo ? {lab: labInfo} : {}),
    profile: {id: report.run.profile.id, version: report.run.profile.version, sha256: report.run.profile.sha256},
    commandLine: report.run.commandLine,
    ...(signedAt ? {signedAt: signedAt.toISOString()} : {}),
    files: [...files.entries()]
      .map(([path, bytes]) => ({path, sha256: sha256Hex(bytes), bytes: bytes.length}))
      .sort((a, b) => comparePaths(a.path, b.path)),
  }
}

/** Byte order of the paths (not locale order): the same on every machine. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function cleanLab(lab: LabInfo | undefined): LabInfo | undefined {
  if (!lab) return undefined
  const out: LabInfo = {}
  if (lab.name) out.name = lab.name
  if (lab.operator) out.operator = lab.operator
  if (lab.accreditationId) out.accreditationId = lab.accreditationId
  return Object.keys(out).length > 0 ? out : undefined
}

/** The exact bytes of a manifest: keys in this order, two-space indent, one final newline. Unknown keys are
 *  dropped, so re-serializing a parsed manifest reproduces the file only when it was written this way. */
export function serializeManifest(m: BundleManifest): Buffer {
  const ordered = {
    bundleVersion: m.bundleVersion,
    createdAt: m.createdAt,
    tool: {
      name: m.tool.name,
      version: m.tool.version,
      ...(m.tool.commit !== undefined ? {commit: m.tool.commit} : {}),
      ...(m.tool.packageIntegrity !== undefined ? {packageIntegrity: m.tool.packageIntegrity} : {}),
      ...(m.tool.node !== undefined ? {node: m.tool.node} : {}),
    },
    runId: m.runId,
    ...(m.lab ? {lab: {...(m.lab.name !== undefined ? {name: m.lab.name} : {}), ...(m.lab.operator !== undefined ? {operator: m.lab.operator} : {}), ...(m.lab.accreditationId !== undefined ? {accreditationId: m.lab.accreditationId} : {})}} : {}),
    profile: {id: m.profile.id, version: m.profile.version, sha256: m.profile.sha256},
    commandLine: m.commandLine,
    ...(m.signedAt !== undefined ? {signedAt: m.signedAt} : {}),
    files: m.files.map((f) => ({path: f.path, sha256: f.sha256, bytes: f.bytes})),
  }
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`, 'utf8')
}

/**
 * Writes the bundle for `report` into `dir` (created when missing; must be empty). Throws ConfigError for
 * an invalid report or a non-empty directory, before writing anything.
 */
export function writeBundle(report: Report, dir: string, options: BundleOptions = {}): BundleResult {
  const problems = validateReport(report)
  if (problems.length > 0) throw new ConfigError('cannot bundle: the report does not match schemas/report.schema.json', problems)
  const root = resolve(dir)
  if (existsSync(root)) {
    if (!lstatSync(root).isDirectory()) throw new ConfigError(`bundle directory ${root} exists and is not a directory`)
    if (readdirSync(root).length > 0) throw new ConfigError(`bundle directory ${root} is not empty: give a new or empty directory`)
  }
  const files = bundleContents(report, options.signer)
  const manifest = buildManifest(report, files, options.lab, options.signer ? (options.signedAt ?? new Date()) : undefined)
  const manifestBytes = serializeManifest(manifest)
  mkdirSync(root, {recursive: true})
  for (const [path, bytes] of files) {
    const target = join(root, path)
    mkdirSync(dirname(target), {recursive: true})
    writeFileSync(target, bytes)
  }
  writeFileSync(join(root, MANIFEST_FILE), manifestBytes)
  const written = [...files.keys(), MANIFEST_FILE]
  if (options.signer) {
    writeFileSync(join(root, SIGNATURE_FILE), `${signManifest(options.signer, manifestBytes).toString('base64')}\n`)
    written.push(SIGNATURE_FILE)
  }
  return {dir: root, manifest, signed: options.signer !== undefined, files: written.sort(comparePaths)}
}
