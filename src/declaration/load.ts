/**
 * Reads a manufacturer's declaration (YAML or JSON; schemas/declaration.schema.json). Every problem is a
 * ConfigError naming file:line:col and the field (exit 2). A field that would hold a secret is refused with a
 * message that never repeats its value; claims must name a requirement of a built-in whole-standard profile.
 */
import {readFileSync} from 'node:fs'

import {sha256Hex} from '../evidence/ids.js'
import {ConfigError} from '../profiles/errors.js'
import {parseLocatedYaml} from '../profiles/yaml-locations.js'
import {schemaErrorMessage, schemaValidator} from '../util/schema.js'
import type {Declaration, RecordedDeclaration} from './types.js'

/** Names that would hold a secret in clear (compared without case, `_` and `-`). */
const SECRET_NAMES = /^(password|passwd|pass|passphrase|secret|token|apikey|privatekey|key|psk|community|communities|authkey|privkey|credentials?)$/

/** Requirement ids per standard name, from the built-in profiles (claims are checked against them). */
export type KnownRequirements = ReadonlyMap<string, ReadonlySet<string>>

export function loadDeclarationFile(file: string, known?: KnownRequirements): RecordedDeclaration {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    throw new ConfigError(`--declaration ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  return {...parseDeclaration(bytes.toString('utf8'), file, known), source: file, sha256: sha256Hex(bytes)}
}

export function parseDeclaration(text: string, file: string, known?: KnownRequirements): Declaration {
  const located = parseLocatedYaml(text, file)
  const secrets = secretFields(located.value, '')
  if (secrets.length > 0) {
    throw new ConfigError(
      `${file}: secrets are never declared inline`,
      secrets.map((p) => `${located.locate(p)} ${p}: a declaration holds no passwords, keys or communities (give logins to the scan with --credentials or an inventory loginsRef)`),
    )
  }
  const validate = schemaValidator('declaration')
  if (!validate(located.value)) {
    throw new ConfigError(
      `${file}: not a valid declaration`,
      [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => {
        const p = e.params as {additionalProperty?: string; missingProperty?: string}
        const field = p.additionalProperty ?? p.missingProperty
        return `${located.locate(e.instancePath)} ${e.instancePath || ''}${field ? `/${field}` : e.instancePath ? '' : '/'}: ${schemaErrorMessage(e)}`
      }))],
    )
  }
  const declaration = located.value as Declaration
  if (known) {
    const problems: string[] = []
    declaration.claims?.forEach((c, i) => {
      const ids = known.get(c.standard)
      if (!ids) problems.push(`${located.locate(`/claims/${i}/standard`)} /claims/${i}/standard: unknown standard '${c.standard}' (one of: ${[...known.keys()].join(', ')})`)
      else if (!ids.has(c.requirement)) problems.push(`${located.locate(`/claims/${i}/requirement`)} /claims/${i}/requirement: ${c.standard} has no requirement '${c.requirement}' in sg17scan's profile`)
    })
    if (problems.length > 0) throw new ConfigError(`${file}: not a valid declaration`, problems)
  }
  return declaration
}

function secretFields(value: unknown, pointer: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretFields(v, `${pointer}/${i}`))
  if (!value || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => {
    const here = `${pointer}/${k}`
    return SECRET_NAMES.test(k.toLowerCase().replace(/[-_]/g, '')) ? [here] : secretFields(v, here)
  })
}
