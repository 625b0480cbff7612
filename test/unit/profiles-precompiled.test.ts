import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {precompiledProfile} from '../../src/profiles/precompiled.js'
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
    expect(pre!.locate('/checks/0')).toBe(yaml.locate('/checks/0'))
  })

  it('is not used for other bytes (an edited copy of a built-in profile is parsed as YAML)', () => {
    const file = join(dir, builtIns[0]!)
    const edited = Buffer.concat([readFileSync(file), Buffer.from('\n# edited\n')])
    expect(precompiledProfile(edited, file)).toBeUndefined()
  })
})
