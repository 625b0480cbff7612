/**
 * Provenance: which build judged, with which data. Recorded in every report so a second lab (or a court, years
 * later) can tell whether two reports are comparable and can resolve dataset row ids (`snmp-common-1`,
 * `dc-…`) against the exact dataset bytes.
 *
 * - tool: version (package.json), the git commit when run from a git checkout (read from .git/HEAD and the refs,
 *   never by spawning git: this runs on every scan), or the package integrity npm recorded when installed as a
 *   package; the Node version. Uncommitted changes in a checkout cannot be seen without git: the commit names the
 *   base of the build, not a guarantee it was clean.
 * - run.data: every data file of the build (data/**, SOURCE.md and LICENSE files aside) with its SHA-256 and,
 *   for a JSON dataset with a top-level string `id`, that dataset name. All of them, not only those a run read:
 *   checks and probes read data lazily, and the set is small (~1 MB hashed once per process).
 * - run.inputs: the user's own public files that change results (--ca, --inventory), by flag and SHA-256.
 *   Files holding secrets (--credentials, --communities, --snmp-v3-credentials, inventory credentialsRef/loginsRef)
 *   are never digested into a report: a plain SHA-256 of a short secret list can be reversed by guessing. A batch
 *   pins them in DIR/run.json with secretDigest (scrypt, a salt per run) so --resume can refuse changed ones.
 */
import {scryptSync} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, isAbsolute, join, relative, sep} from 'node:path'

import {projectPath, projectRoot} from '../util/paths.js'
import {sha256Hex} from './ids.js'
import type {DataFileRef, InputFileRef, ToolInfo} from './types.js'
import {TOOL_NAME, toolVersion} from './version.js'

let tool: ToolInfo | undefined
let data: DataFileRef[] | undefined

export function toolInfo(): ToolInfo {
  if (tool) return tool
  const root = projectRoot()
  const commit = gitCommit(root)
  const integrity = commit ? undefined : packageIntegrity(root)
  tool = {name: TOOL_NAME, version: toolVersion(), ...(commit ? {commit} : {}), ...(integrity ? {packageIntegrity: integrity} : {}), node: process.version}
  return tool
}

/** Every data file of the build, sorted by path. */
export function dataFiles(): DataFileRef[] {
  if (data) return data
  const root = projectPath('data')
  const out: DataFileRef[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && !/^(SOURCE\.md|LICENSE.*|README.*)$/i.test(entry.name)) {
        const bytes = readFileSync(path)
        const file = relative(projectRoot(), path).split(sep).join('/')
        const sha256 = sha256Hex(bytes)
        out.push({file, ...datasetName(file, bytes, sha256), sha256})
      }
    }
  }
  try {
    walk(root)
  } catch {
    // A build without data/ judges without data: nothing to record.
  }
  data = out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return data
}

/** Dataset names the build read (scripts/build-data-index.mjs), by the SHA-256 of the file's bytes; null for
 *  a JSON file without one. Parsing every dataset (~1 MB of JSON) only for its `id` was most of dataFiles(). */
let datasetIndex: Record<string, string | null> | undefined

function datasetName(file: string, bytes: Buffer, sha256: string): {dataset?: string} {
  if (!file.endsWith('.json')) return {}
  if (datasetIndex === undefined) {
    try {
      datasetIndex = JSON.parse(readFileSync(projectPath('dist', 'data-datasets.json'), 'utf8')) as Record<string, string | null>
    } catch {
      datasetIndex = {} // running without a build: parse each file
    }
  }
  const known = datasetIndex[sha256]
  if (known !== undefined) return known === null ? {} : {dataset: known}
  try {
    const id = (JSON.parse(bytes.toString('utf8')) as {id?: unknown}).id
    return typeof id === 'string' ? {dataset: id} : {}
  } catch {
    return {}
  }
}

/** The user's files that change results, by flag and digest (unreadable ones are left out: loading them fails first). */
export function inputFiles(files: Array<{flag: string; path: string | undefined}>): InputFileRef[] {
  const out: InputFileRef[] = []
  for (const {flag, path} of files) {
    if (!path) continue
    try {
      out.push({flag, sha256: sha256Hex(readFileSync(path))})
    } catch {
      /* reported by the loader of that flag */
    }
  }
  return out
}

/** The commit of a git checkout at `root` (a worktree's `.git` file included), from HEAD and the refs. */
export function gitCommit(root: string): string | undefined {
  try {
    let gitDir = join(root, '.git')
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1]?.trim()
      if (!pointer) return undefined
      gitDir = isAbsolute(pointer) ? pointer : join(root, pointer)
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim()
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)) return head
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1]
    if (!ref) return undefined
    // A worktree keeps HEAD itself but shares refs with the main repository (commondir).
    let common = gitDir
    try {
      const c = readFileSync(join(gitDir, 'commondir'), 'utf8').trim()
      common = isAbsolute(c) ? c : join(gitDir, c)
    } catch {
      /* not a worktree */
    }
    for (const dir of [gitDir, common]) {
      try {
        const value = readFileSync(join(dir, ...ref.split('/')), 'utf8').trim()
        if (/^[0-9a-f]{40,64}$/.test(value)) return value
      } catch {
        /* try packed-refs */
      }
    }
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8')
    for (const line of packed.split('\n')) {
      const [sha, name] = line.split(' ')
      if (name === ref && sha && /^[0-9a-f]{40,64}$/.test(sha)) return sha
    }
  } catch {
    /* not a checkout */
  }
  return undefined
}

/** The integrity npm recorded for this package when it was installed into node_modules (npm ≥ 7 lockfile). */
function packageIntegrity(root: string): string | undefined {
  const parts = root.split(sep)
  const at = parts.lastIndexOf('node_modules')
  if (at === -1) return undefined
  const modules = parts.slice(0, at + 1).join(sep)
  const key = relative(dirname(modules), root).split(sep).join('/')
  try {
    const lock = JSON.parse(readFileSync(join(modules, '.package-lock.json'), 'utf8')) as {packages?: Record<string, {integrity?: string}>}
    return lock.packages?.[key]?.integrity
  } catch {
    return undefined
  }
}

/** run.inputs of a scan: the caller's files (credentials, communities, SNMPv3 users, inventory) and every --ca file. */
export function runInputs(o: {inputs?: InputFileRef[]; caFiles?: string[]}): InputFileRef[] {
  return [...(o.inputs ?? []), ...inputFiles((o.caFiles ?? []).map((path) => ({flag: '--ca', path})))]
}

/** A digest of secret-bearing text that resists guessing (scrypt, N=2^14, per-run salt): only for comparing
 *  the same file across sessions of one run, never for publishing. */
export function secretDigest(text: string | Buffer, salt: string): string {
  return scryptSync(text, salt, 32, {N: 1 << 14, r: 8, p: 1}).toString('hex')
}
