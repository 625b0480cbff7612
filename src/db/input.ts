/**
 * What `db ingest` accepts — a native report file, an evidence bundle directory, or a batch output directory
 * (its report.json) — read and verified before anything is stored. A refused input comes back with every
 * reason; an accepted one with the exact bytes its digests are of.
 */
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {MANIFEST_FILE, REPORT_FILE, type LabInfo} from '../evidence/bundle.js'
import {sha256Hex} from '../evidence/ids.js'
import type {Report} from '../evidence/types.js'
import {reportContradictions} from '../evidence/consistency.js'
import {validateReport} from '../evidence/validate.js'
import {readBundleFiles, verifyBundleFiles} from '../evidence/verify.js'
import {jsonWriter} from '../writers/json.js'

export interface VerifiedInput {
  ok: true
  path: string
  kind: 'report' | 'bundle'
  report: Report
  /** SHA-256 of the raw report.json bytes. */
  reportSha256: string
  /** SHA-256 of the report re-serialised without whitespace: the run's key in the store (pretty-printed or compact,
   *  alone or in a bundle, the same report is one run). */
  reportKey: string
  /** Bundles: SHA-256 of manifest.json (the bytes the signature covers). */
  manifestSha256?: string
  signed: boolean
  signer?: {keyFingerprint: string; subject?: string}
  lab?: LabInfo
  /** The exact bytes verified, by path: every file of a bundle, or the report file as report.json. The store keeps
   *  them (content-addressed) so the dashboard can hand out the evidence it was given. */
  files?: ReadonlyMap<string, Buffer>
}

export interface RefusedInput {
  ok: false
  path: string
  problems: string[]
}

export type InputResult = VerifiedInput | RefusedInput

/** Reads and verifies one input path. Never throws for bad content: that is a refusal with reasons. */
export function readInput(path: string, options: {trust?: string[]} = {}): InputResult {
  if (!existsSync(path)) return {ok: false, path, problems: [`${path}: no such file or directory`]}
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, MANIFEST_FILE))) return readBundle(path, options)
    if (existsSync(join(path, REPORT_FILE))) return {...readReport(join(path, REPORT_FILE)), path}
    return {ok: false, path, problems: [`${path}: neither an evidence bundle (${MANIFEST_FILE}) nor a batch output directory (${REPORT_FILE})`]}
  }
  return readReport(path)
}

function readBundle(dir: string, options: {trust?: string[]}): InputResult {
  const read = readBundleFiles(dir)
  const verified = verifyBundleFiles(read.files, options.trust && options.trust.length > 0 ? {trust: options.trust} : {}, read.problems)
  if (!verified.ok) return {ok: false, path: dir, problems: verified.problems.map((p) => `bundle ${p}`)}
  const bytes = read.files.get(REPORT_FILE)!
  const parsed = parseReport(bytes, join(dir, REPORT_FILE))
  if (!parsed.ok) return {...parsed, path: dir}
  const manifestSha256 = sha256Hex(read.files.get(MANIFEST_FILE)!)
  return {
    ok: true,
    path: dir,
    kind: 'bundle',
    report: parsed.report,
    reportSha256: sha256Hex(bytes),
    reportKey: reportKey(parsed.report),
    manifestSha256,
    signed: verified.signed,
    ...(verified.signer ? {signer: {keyFingerprint: verified.signer.keyFingerprint, ...(verified.signer.subject ? {subject: verified.signer.subject} : {})}} : {}),
    ...(verified.manifest?.lab ? {lab: verified.manifest.lab} : {}),
    files: read.files,
  }
}

function readReport(file: string): InputResult {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    return {ok: false, path: file, problems: [`${file}: cannot read: ${(error as Error).message}`]}
  }
  const parsed = parseReport(bytes, file)
  if (!parsed.ok) return parsed
  return {ok: true, path: file, kind: 'report', report: parsed.report, reportSha256: sha256Hex(bytes), reportKey: reportKey(parsed.report), signed: false, files: new Map([[REPORT_FILE, bytes]])}
}

function parseReport(bytes: Buffer, file: string): {ok: true; report: Report} | RefusedInput {
  let data: unknown
  try {
    data = JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    return {ok: false, path: file, problems: [`${file}: not JSON (${(error as Error).message})`]}
  }
  const invalid = validateReport(data)
  if (invalid.length > 0) return {ok: false, path: file, problems: invalid.map((p) => `${file}: does not match schemas/report.schema.json: ${p}`)}
  const report = data as Report
  const contradicting = reportContradictions(report).problems
  if (contradicting.length > 0) return {ok: false, path: file, problems: contradicting.map((p) => `${file}: ${p}`)}
  return {ok: true, report}
}

/** The store's key of a report: SHA-256 of JSON.stringify of the parsed report (whitespace-independent; keys in
 *  the order written, which our writers fix). Sorting every key (canonicalJson) costs 3× as much on large reports. */
export function reportKey(report: Report): string {
  return sha256Hex(JSON.stringify(report))
}

/** A report produced in this process (`scan --db`): checked as a file would be; its digest is that of the bytes
 *  `-o report.json` writes. */
export function verifyReportObject(report: Report, source: string): InputResult {
  const text = jsonWriter.write(report)
  const invalid = validateReport(report)
  if (invalid.length > 0) return {ok: false, path: source, problems: invalid.map((p) => `${source}: does not match schemas/report.schema.json: ${p}`)}
  const contradicting = reportContradictions(report).problems
  if (contradicting.length > 0) return {ok: false, path: source, problems: contradicting.map((p) => `${source}: ${p}`)}
  return {ok: true, path: source, kind: 'report', report, reportSha256: sha256Hex(text), reportKey: reportKey(report), signed: false, files: new Map([[REPORT_FILE, Buffer.from(text)]])}
}
