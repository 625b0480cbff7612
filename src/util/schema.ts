import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

import type {ErrorObject, ValidateFunction} from 'ajv/dist/2020.js'

import {projectPath} from './paths.js'

// ajv and ajv-formats are CommonJS: required on demand, synchronously, so a command that validates nothing, or
// finds a validator precompiled by scripts/build-validators.mjs, never loads ajv's compiler.
const require = createRequire(import.meta.url)

export type SchemaName = 'report' | 'profile' | 'inventory' | 'report-diff' | 'declaration'

const cache = new Map<string, ValidateFunction>()

/** SHA-256 of a schema's text as it is on disk: what the build's precompiled validators and profiles record. */
export function schemaSha256(name: SchemaName): string {
  return createHash('sha256').update(readFileSync(projectPath('schemas', `${name}.schema.json`), 'utf8')).digest('hex')
}

/** Compiled validator for one of the project's schemas (schemas/<name>.schema.json). */
export function schemaValidator(name: SchemaName, options: {checkSchema?: boolean} = {}): ValidateFunction {
  const key = `${name}:${options.checkSchema ?? false}`
  let validate = cache.get(key)
  if (!validate) {
    const text = readFileSync(projectPath('schemas', `${name}.schema.json`), 'utf8')
    validate = (options.checkSchema ? undefined : precompiled(name, text)) ?? compile(text, options.checkSchema ?? false)
    cache.set(key, validate)
  }
  return validate
}

/** The build's standalone validator (dist/validators/<name>.cjs) if it was compiled from this very schema text. */
function precompiled(name: SchemaName, text: string): ValidateFunction | undefined {
  let mod: ValidateFunction & {schemaSha256?: string}
  try {
    mod = require(projectPath('dist', 'validators', `${name}.cjs`)) as ValidateFunction & {schemaSha256?: string}
  } catch {
    return undefined // running from src/ (tests) or a tsc-only build: compile at run time
  }
  return mod.schemaSha256 === createHash('sha256').update(text).digest('hex') ? mod : undefined
}

function compile(text: string, checkSchema: boolean): ValidateFunction {
  const {default: Ajv2020} = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
  const {default: addFormats} = require('ajv-formats') as typeof import('ajv-formats')
  // Checking our own schema against the 2020-12 meta-schema costs ~70 ms per start; tests do it once
  // (checkSchema) so the scanner can skip it.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    validateSchema: checkSchema,
  })
  addFormats(ajv)
  return ajv.compile(JSON.parse(text) as object)
}

/** "must be integer", "must NOT have additional properties ('foo')", … */
export function schemaErrorMessage(e: ErrorObject): string {
  return `${e.message ?? 'is invalid'}${describeParams(e)}`
}

export function formatSchemaErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'}: ${schemaErrorMessage(e)}`)
}

function describeParams(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>
  if (typeof p.additionalProperty === 'string') return ` ('${p.additionalProperty}')`
  if (Array.isArray(p.allowedValues)) return ` (one of: ${p.allowedValues.join(', ')})`
  return ''
}
