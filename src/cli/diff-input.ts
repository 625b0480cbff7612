/**
 * One side of `report diff`: a native JSON report file, a batch output directory (its report.json) or an evidence
 * bundle directory (manifest.json present), which is verified first with the bundle verifier — a bundle that
 * does not verify is not diffed (exit 2, its problems listed).
 */
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'

import type {DiffInput} from '../evidence/diff/index.js'
import {MANIFEST_FILE, REPORT_FILE} from '../evidence/bundle.js'
import {verifyBundle, type VerifyOptions} from '../evidence/verify.js'
import {ConfigError} from '../profiles/errors.js'
import {readReportFile} from './report-file.js'

export function loadDiffInput(path: string, verifyOptions: VerifyOptions = {}): DiffInput {
  if (path !== '-' && existsSync(path) && statSync(path).isDirectory()) {
    if (existsSync(join(path, MANIFEST_FILE))) {
      const result = verifyBundle(path, verifyOptions)
      if (!result.ok) throw new ConfigError(`${path}: the bundle does not verify ('sg17scan report verify ${path}'); not diffing it`, result.problems)
      const signer = result.signer ? (result.signer.subject ?? `key ${result.signer.keyFingerprint}`) : undefined
      return {report: readReportFile(join(path, REPORT_FILE)), source: path, kind: 'bundle', bundle: {signed: result.signed, ...(signer ? {signer} : {})}}
    }
    const report = join(path, REPORT_FILE)
    if (!existsSync(report)) throw new ConfigError(`${path}: a directory without ${MANIFEST_FILE} (bundle) or ${REPORT_FILE} (batch output)`)
    return {report: readReportFile(report), source: path, kind: 'report'}
  }
  return {report: readReportFile(path), source: path, kind: 'report'}
}
