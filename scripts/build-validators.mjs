#!/usr/bin/env node
/**
 * Compiles the JSON schemas (schemas/*.schema.json) to standalone validator modules, dist/validators/<name>.cjs,
 * at build time (npm run build), so a command never loads ajv's compiler nor compiles a schema at start-up
 * (~150 ms of a scan: importing ajv + compiling the profile schema). Each module records the sha256 of the schema
 * text it was compiled from; src/util/schema.ts uses it only when that matches the schema on disk, and compiles
 * at run time otherwise (a tsc-only build, a schema edited since).
 * Same Ajv options as src/util/schema.ts, plus validateSchema: the build checks each schema against 2020-12.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const require = createRequire(import.meta.url)
const Ajv2020 = require('ajv/dist/2020.js').default
const addFormats = require('ajv-formats').default
const standaloneCode = require('ajv/dist/standalone').default

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const NAMES = ['report', 'profile', 'inventory', 'report-diff', 'declaration']
const out = join(ROOT, 'dist', 'validators')
mkdirSync(out, {recursive: true})
for (const name of NAMES) {
  const text = readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')
  const ajv = new Ajv2020({allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateSchema: true, code: {source: true}})
  addFormats(ajv)
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(text)))
  const sha256 = createHash('sha256').update(text).digest('hex')
  writeFileSync(join(out, `${name}.cjs`), `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256)};\n`)
}
console.log(`wrote ${NAMES.length} validators to dist/validators/`)
