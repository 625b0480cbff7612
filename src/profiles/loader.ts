import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'

import {ALL_CHECKS, checkById} from '../../checks/index.js'
import type {AnyCheck} from '../checks/types.js'
import {sha256Hex} from '../evidence/ids.js'
import type {Reference, Severity} from '../evidence/types.js'
import {projectPath} from '../util/paths.js'
import {compareLikeLocale} from '../util/collate.js'
import {schemaErrorMessage, schemaValidator} from '../util/schema.js'
import {ConfigError} from './errors.js'
import {requirementProblems} from './requirements.js'
import type {RequirementDef} from '../requirements/types.js'
import {DEFAULT_THRESHOLDS, type Thresholds} from './thresholds.js'
import {precompiledProfile} from './precompiled.js'
import {parseLocatedYaml} from './yaml-locations.js'

export const DEFAULT_PROFILE_ID = 'itu-t-x1352-baseline'

export interface SelectedCheck {
  check: AnyCheck
  severity: Severity
  /** The check's own references followed by the profile's additions (deduplicated). */
  references: Reference[]
  /** Severity per check condition set by the profile (`checks[].conditions`); see CheckMeta.conditions. */
  conditionSeverities?: Record<string, Severity>
}

export interface Profile {
  id: string
  version: string
  title: string
  description: string
  /** SHA-256 of the profile file's bytes: the report records which exact policy judged the device. */
  sha256: string
  source: string
  intrusive: boolean
  thresholds: Thresholds
  checks: SelectedCheck[]
  /** The standard the profile's requirements belong to (whole-standard profiles). */
  standard?: {name: string; version?: string; source: string}
  /** Every requirement of that standard, in the standard's order; empty for check-only profiles. */
  requirements: RequirementDef[]
}

interface RawCheckEntry {
  id?: string
  family?: string
  severity?: Severity
  enabled?: boolean
  references?: Reference[]
  conditions?: Record<string, Severity>
}

interface RawProfile {
  id: string
  version: string
  title: string
  description: string
  intrusive?: boolean
  thresholds?: Partial<Thresholds>
  checks: RawCheckEntry[]
  standard?: {name: string; version?: string; source: string}
  requirements?: Array<Omit<RequirementDef, 'standard' | 'checks' | 'declaration'> & {checks?: string[]; declaration?: string[]}>
}

export function builtInProfileDir(): string {
  return projectPath('profiles')
}

export function listBuiltInProfiles(): Profile[] {
  return readdirSync(builtInProfileDir())
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => loadProfileFile(join(builtInProfileDir(), f)))
}

/** A built-in profile id, or a path to a YAML file. */
export function resolveProfile(idOrPath: string = DEFAULT_PROFILE_ID): Profile {
  const builtIn = join(builtInProfileDir(), `${idOrPath}.yaml`)
  if (/^[a-z0-9][a-z0-9.-]*$/.test(idOrPath) && existsSync(builtIn)) return loadProfileFile(builtIn)
  if (existsSync(idOrPath)) return loadProfileFile(idOrPath)
  const known = readdirSync(builtInProfileDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
  throw new ConfigError(`unknown profile '${idOrPath}': not a built-in profile (${known.join(', ')}) and no such file`)
}

export function loadProfileFile(file: string): Profile {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    throw new ConfigError(`cannot read profile ${file}: ${(error as Error).message}`)
  }
  return parseProfile(bytes, file)
}

export function parseProfile(bytes: Buffer, file: string): Profile {
  const precompiled = precompiledProfile(bytes, file)
  const located = precompiled ?? parseLocatedYaml(bytes.toString('utf8'), file)
  // A built-in profile the build already validated against this very schema skips loading the validator (~4 ms).
  const validate = precompiled?.schemaValid ? undefined : schemaValidator('profile')
  if (validate && !validate(located.value)) {
    const details = (validate.errors ?? []).map((e) => {
      // A missing property is reported at its object's line, named as the field that is missing.
      const missing = (e.params as {missingProperty?: string}).missingProperty
      return `${located.locate(e.instancePath)} ${e.instancePath || ''}${missing ? `/${missing}` : e.instancePath ? '' : '/'}: ${schemaErrorMessage(e)}`
    })
    throw new ConfigError(`${file}: invalid profile`, dedupe(details))
  }
  const raw = located.value as RawProfile
  const problems: string[] = []
  const selected = new Map<string, SelectedCheck>()
  raw.checks.forEach((entry, index) => {
    const targets = entry.id ? [checkById(entry.id)] : ALL_CHECKS.filter((c) => c.family === entry.family)
    if (entry.id && !targets[0]) {
      problems.push(`${located.locate(`/checks/${index}`)} /checks/${index}/id: unknown check '${entry.id}' (see 'sg17scan checks list')`)
      return
    }
    // Every condition named must be one a selected check reports: a typo would silently change nothing.
    for (const name of Object.keys(entry.conditions ?? {})) {
      if (!targets.some((c) => c?.conditions?.[name])) {
        const known = [...new Set(targets.flatMap((c) => Object.keys(c?.conditions ?? {})))].sort()
        const path = `/checks/${index}/conditions/${name}`
        problems.push(`${located.locate(path)} ${path}: no condition '${name}' on ${entry.id ? `check ${entry.id}` : `family ${entry.family}`} (known: ${known.join(', ') || 'none'})`)
      }
    }
    for (const check of targets) {
      if (!check) continue
      if (entry.enabled === false) {
        selected.delete(check.id)
        continue
      }
      const previous = selected.get(check.id)
      const own = Object.entries(entry.conditions ?? {}).filter(([name]) => check.conditions?.[name])
      const conditionSeverities = {...previous?.conditionSeverities, ...Object.fromEntries(own)}
      selected.set(check.id, {
        check,
        severity: entry.severity ?? previous?.severity ?? check.defaultSeverity,
        references: mergeReferences(previous?.references ?? [...check.references], entry.references ?? []),
        ...(Object.keys(conditionSeverities).length ? {conditionSeverities} : {}),
      })
    }
  })
  const requirements: RequirementDef[] = (raw.requirements ?? []).map((r) => ({
    standard: raw.standard?.name ?? raw.id,
    id: r.id,
    title: r.title,
    ...(r.level ? {level: r.level} : {}),
    checks: r.checks ?? [],
    declaration: r.declaration ?? [],
    rule: r.rule,
    ...(r.note ? {note: r.note} : {}),
    ...(r.notRemote ? {notRemote: r.notRemote} : {}),
    ...(r.testCases?.length ? {testCases: r.testCases.map((t) => ({id: t.id, kind: t.kind, units: [...t.units]}))} : {}),
  }))
  problems.push(...requirementProblems(requirements, new Set(selected.keys()), (i, field) => located.locate(`/requirements/${i}${field ? `/${field}` : ''}`), raw.standard !== undefined))
  if (problems.length > 0) throw new ConfigError(`${file}: invalid profile`, problems)
  return {
    id: raw.id,
    version: raw.version,
    title: raw.title,
    description: raw.description.trim(),
    sha256: sha256Hex(bytes),
    source: file,
    intrusive: raw.intrusive ?? false,
    thresholds: {
      ...DEFAULT_THRESHOLDS,
      ...raw.thresholds,
      cipherSuites: {...DEFAULT_THRESHOLDS.cipherSuites, ...raw.thresholds?.cipherSuites},
      credentials: {...DEFAULT_THRESHOLDS.credentials, ...raw.thresholds?.credentials},
    },
    checks: [...selected.values()].sort((a, b) => compareLikeLocale(a.check.id, b.check.id)),
    ...(raw.standard ? {standard: raw.standard} : {}),
    requirements,
  }
}

function mergeReferences(base: Reference[], extra: Reference[]): Reference[] {
  const seen = new Set(base.map(refKey))
  const out = [...base]
  for (const r of extra) {
    if (!seen.has(refKey(r))) {
      seen.add(refKey(r))
      out.push(r)
    }
  }
  return out
}

const refKey = (r: Reference) => `${r.framework}|${r.id}|${r.clause ?? ''}`
const dedupe = (items: string[]) => [...new Set(items)]
