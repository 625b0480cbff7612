/**
 * Loader for the SSH algorithm policy database, data/ssh/algorithms.json: a level (fail / warn / info / ok)
 * per algorithm name per category (kex, hostKey, cipher, mac), with a reason and references. Names the file
 * does not list classify as 'unknown'. The file is validated on first use; a malformed file throws (a
 * packaging mistake, never a target condition).
 */
import {readFileSync} from 'node:fs'

import {FRAMEWORKS, SEVERITIES, type Reference, type Severity} from '../../evidence/types.js'
import {projectPath} from '../../util/paths.js'

export const ALGORITHM_CATEGORIES = ['kex', 'hostKey', 'cipher', 'mac'] as const
export type AlgorithmCategory = (typeof ALGORITHM_CATEGORIES)[number]

export const ALGORITHM_LEVELS = ['fail', 'warn', 'info', 'ok'] as const
export type AlgorithmLevel = (typeof ALGORITHM_LEVELS)[number] | 'unknown'

export interface AlgorithmClass {
  name: string
  category: AlgorithmCategory
  level: AlgorithmLevel
  reason: string
  references: Reference[]
  /** For fail entries: a severity above the check's default (e.g. arcfour → high). */
  severity?: Severity
  /** True for names that signal an extension rather than name an algorithm (ext-info-*, kex-strict-*). */
  pseudo: boolean
}

export interface SshPolicyDefaults {
  /** RSA host keys below this size are reported with severity high. */
  criticalRsaBits: number
  /** Methods that count as password-like for ssh.auth.password-only. */
  passwordLikeMethods: string[]
}

interface Entry {
  level: AlgorithmLevel
  reason: string
  references: string[]
  severity?: Severity
  pseudo?: boolean
}

export interface AlgorithmDatabase {
  version: string
  policy: SshPolicyDefaults
  references: Record<string, Reference>
  categories: Record<AlgorithmCategory, Map<string, Entry>>
  /** Wildcard entries per category, as [regexp, entry]. */
  patterns: Record<AlgorithmCategory, Array<[RegExp, string, Entry]>>
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function fail(msg: string): never {
  throw new Error(`data/ssh/algorithms.json: ${msg}`)
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
}

/** Validates and indexes the parsed JSON (exported for tests). */
export function buildDatabase(raw: unknown): AlgorithmDatabase {
  if (!isRecord(raw)) fail('not an object')
  const refs: Record<string, Reference> = {}
  if (!isRecord(raw.references)) fail('missing references')
  for (const [key, r] of Object.entries(raw.references)) {
    if (!isRecord(r) || typeof r.id !== 'string' || !FRAMEWORKS.includes(r.framework as never)) fail(`bad reference ${key}`)
    refs[key] =
      typeof r.clause === 'string'
        ? {framework: r.framework as Reference['framework'], id: r.id, clause: r.clause}
        : {framework: r.framework as Reference['framework'], id: r.id}
  }
  const policy = raw.policy
  if (
    !isRecord(policy) ||
    typeof policy.criticalRsaBits !== 'number' ||
    !Array.isArray(policy.passwordLikeMethods) ||
    !policy.passwordLikeMethods.every((m) => typeof m === 'string')
  ) {
    fail('bad policy')
  }
  const categories = {} as AlgorithmDatabase['categories']
  const patterns = {} as AlgorithmDatabase['patterns']
  for (const cat of ALGORITHM_CATEGORIES) {
    const section = raw[cat]
    if (!isRecord(section)) fail(`missing category ${cat}`)
    categories[cat] = new Map()
    patterns[cat] = []
    for (const [name, e] of Object.entries(section)) {
      if (!isRecord(e)) fail(`${cat}.${name}: not an object`)
      if (!ALGORITHM_LEVELS.includes(e.level as never)) fail(`${cat}.${name}: bad level ${String(e.level)}`)
      if (typeof e.reason !== 'string' || !e.reason) fail(`${cat}.${name}: missing reason`)
      if (!Array.isArray(e.references)) fail(`${cat}.${name}: missing references`)
      for (const r of e.references) if (typeof r !== 'string' || !refs[r]) fail(`${cat}.${name}: unknown reference ${String(r)}`)
      if (e.severity !== undefined && (!SEVERITIES.includes(e.severity as never) || e.level !== 'fail')) {
        fail(`${cat}.${name}: severity only on fail entries`)
      }
      const entry: Entry = {
        level: e.level as AlgorithmLevel,
        reason: e.reason,
        references: e.references as string[],
        pseudo: e.pseudo === true,
      }
      if (e.severity !== undefined) entry.severity = e.severity as Severity
      if (name.includes('*')) patterns[cat].push([wildcard(name), name, entry])
      else categories[cat].set(name, entry)
    }
  }
  return {
    version: typeof raw.version === 'string' ? raw.version : '0',
    policy: {criticalRsaBits: policy.criticalRsaBits as number, passwordLikeMethods: [...(policy.passwordLikeMethods as string[])]},
    references: refs,
    categories,
    patterns,
  }
}

let cache: AlgorithmDatabase | undefined

export function algorithmDatabase(): AlgorithmDatabase {
  cache ??= buildDatabase(JSON.parse(readFileSync(projectPath('data', 'ssh', 'algorithms.json'), 'utf8')))
  return cache
}

/** Classifies one algorithm name of a category; exact names win over wildcard entries. */
export function classifyAlgorithm(category: AlgorithmCategory, name: string, db: AlgorithmDatabase = algorithmDatabase()): AlgorithmClass {
  const entry = db.categories[category].get(name) ?? db.patterns[category].find(([re]) => re.test(name))?.[2]
  if (!entry) {
    return {name, category, level: 'unknown', reason: 'not in the sg17scan algorithm database', references: [], pseudo: false}
  }
  const out: AlgorithmClass = {
    name,
    category,
    level: entry.level,
    reason: entry.reason,
    references: entry.references.map((r) => db.references[r]),
    pseudo: entry.pseudo === true,
  }
  if (entry.severity) out.severity = entry.severity
  return out
}

export function sshPolicyDefaults(): SshPolicyDefaults {
  return algorithmDatabase().policy
}
