import Ajv2020, {type ErrorObject, type ValidateFunction} from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {readFileSync} from 'node:fs'

import {projectPath} from './paths.js'

const cache = new Map<string, ValidateFunction>()

/** Compiled validator for one of the project's schemas (schemas/<name>.schema.json). */
export function schemaValidator(name: 'report' | 'profile' | 'inventory' | 'report-diff' | 'declaration', options: {checkSchema?: boolean} = {}): ValidateFunction {
  const key = `${name}:${options.checkSchema ?? false}`
  let validate = cache.get(key)
  if (!validate) {
    // Checking our own schema against the 2020-12 meta-schema costs ~70 ms per start; tests do it once
    // (checkSchema) so the scanner can skip it.
    const ajv = new Ajv2020.default({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      validateSchema: options.checkSchema ?? false,
    })
    addFormats.default(ajv)
    const schema = JSON.parse(readFileSync(projectPath('schemas', `${name}.schema.json`), 'utf8')) as object
    validate = ajv.compile(schema)
    cache.set(key, validate)
  }
  return validate
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
