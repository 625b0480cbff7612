import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {sha256Hex} from '../../src/evidence/ids.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {parseProfile} from '../../src/profiles/loader.js'
import {precompiledProfile, precompiledProfilePath} from '../../src/profiles/precompiled.js'
import {parseLocatedYaml} from '../../src/profiles/yaml-locations.js'
import {projectPath} from '../../src/util/paths.js'

// The build (scripts/build-profiles.mjs, run by npm run build / pretest) writes each built-in profile as JSON.
const dir = projectPath('profiles')
const builtIns = readdirSync(dir).filter((f) => f.endsWith('.yaml'))

describe('built-in profiles precompiled at build', () => {
  it.each(builtIns)('%s: the JSON holds what the YAML parses to, and positions still come from the YAML', (name) => {
    const file = join(dir, name)
    const bytes = readFileSync(file)
    const pre = precompiledProfile(bytes, file)
    expect(pre, 'dist/profiles/ missing: run npm run build').toBeDefined()
    const yaml = parseLocatedYaml(bytes.toString('utf8'), file)
    expect(pre!.value).toEqual(yaml.value)
    // Validated by the build against the schema on disk: the loader need not load the validator.
    expect(pre!.schemaValid).toBe(true)
    expect(pre!.locate('/checks/0')).toBe(yaml.locate('/checks/0'))
  })

  it('is not used for other bytes (an edited copy of a built-in profile is parsed as YAML)', () => {
    const file = join(dir, builtIns[0]!)
    const edited = Buffer.concat([readFileSync(file), Buffer.from('\n# edited\n')])
    expect(precompiledProfile(edited, file)).toBeUndefined()
  })

  it('is validated again when the schema changed since the build (the recorded schema digest differs)', () => {
    const file = join(dir, builtIns[0]!)
    const bytes = Buffer.concat([readFileSync(file), Buffer.from('\n# stale-schema test\n')])
    // Not a valid profile: an unknown top-level field.
    const value = {...(parseLocatedYaml(bytes.toString('utf8'), file).value as object), unknownField: true}
    const stored = precompiledProfilePath(sha256Hex(bytes))
    writeFileSync(stored, JSON.stringify({schemaSha256: '0'.repeat(64), value}))
    try {
      expect(precompiledProfile(bytes, file)?.schemaValid).toBe(false)
      expect(() => parseProfile(bytes, file)).toThrow(ConfigError)
      expect(() => parseProfile(bytes, file)).toThrow(/invalid profile/)
    } finally {
      rmSync(stored, {force: true})
    }
  })
})
