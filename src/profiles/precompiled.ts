import {readFileSync} from 'node:fs'

import {sha256Hex} from '../evidence/ids.js'
import {projectPath} from '../util/paths.js'
import {parseLocatedYaml, type LocatedYaml} from './yaml-locations.js'

/** Where the build (scripts/build-profiles.mjs) writes each built-in profile's parsed YAML, named by the SHA-256 of
 *  the YAML bytes: a file is found only for those exact bytes, so an edited or stale profile is never read from it. */
export function precompiledProfilePath(sha256: string): string {
  return projectPath('dist', 'profiles', `${sha256}.json`)
}

/**
 * The profile's YAML as the build parsed it, if the build parsed these very bytes (a built-in profile, or a copy of
 * one): reading JSON instead of parsing YAML keeps the YAML parser out of a scan with a built-in profile. Positions
 * are not stored: `locate` (used only to report a problem) parses the YAML then.
 */
export function precompiledProfile(bytes: Buffer, file: string): LocatedYaml | undefined {
  let text: string
  try {
    text = readFileSync(precompiledProfilePath(sha256Hex(bytes)), 'utf8')
  } catch {
    return undefined // not a built-in profile, or running without a build
  }
  let located: LocatedYaml | undefined
  return {
    value: JSON.parse(text) as unknown,
    locate: (pointer) => (located ??= parseLocatedYaml(bytes.toString('utf8'), file)).locate(pointer),
  }
}
