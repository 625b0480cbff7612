#!/usr/bin/env node
/**
 * Parses the built-in profiles (profiles/*.yaml) at build time (npm run build, after tsc) into
 * dist/profiles/<sha256 of the YAML bytes>.json, so a scan with a built-in profile reads JSON and never loads the
 * YAML parser (src/profiles/precompiled.ts) nor, while the schema is the one recorded in the file (its SHA-256), the
 * schema validator. Each profile is first loaded the way a scan loads it (schema, checks, requirements): a broken
 * built-in profile fails the build.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href)
const {parseProfile} = await dist('src/profiles/loader.js')
const {parseLocatedYaml} = await dist('src/profiles/yaml-locations.js')
const {precompiledProfilePath} = await dist('src/profiles/precompiled.js')
const {sha256Hex} = await dist('src/evidence/ids.js')
const {schemaSha256} = await dist('src/util/schema.js')

const dir = join(ROOT, 'profiles')
const names = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
mkdirSync(join(ROOT, 'dist', 'profiles'), {recursive: true})
for (const name of names) {
  const file = join(dir, name)
  const bytes = readFileSync(file)
  parseProfile(bytes, file) // validates (schema, checks, requirements): a broken built-in profile fails the build
  const value = parseLocatedYaml(bytes.toString('utf8'), file).value
  writeFileSync(precompiledProfilePath(sha256Hex(bytes)), JSON.stringify({schemaSha256: schemaSha256('profile'), value}))
}
console.log(`wrote ${names.length} built-in profiles to dist/profiles/`)
