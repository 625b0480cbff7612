import {readFileSync} from 'node:fs'

import {sha256Hex} from '../evidence/ids.js'
import {projectPath} from '../util/paths.js'
import {schemaSha256} from '../util/schema.js'
import {parseLocatedYaml, type LocatedYaml} from './yaml-locations.js'

/** Where the build (scripts/build-profiles.mjs) writes each built-in profile's parsed YAML, named by the SHA-256 of
 *  the YAML bytes: a file is found only for those exact bytes, so an edited or stale profile is never read from it. */
export function precompiledProfilePath(sha256: string): string {
  return projectPath('dist', 'profiles', `${sha256}.json`)
}

/** What the build writes for one built-in profile: its parsed YAML, and the schema it was validated against. */
export interface PrecompiledProfileFile {
  /** SHA-256 of schemas/profile.schema.json when the build validated the profile (scripts/build-profiles.mjs). */
  schemaSha256: string
  value: unknown
}

/**
 * The profile's YAML as the build parsed it, if the build parsed these very bytes (a built-in profile, or a copy of
 * one): reading JSON instead of parsing YAML keeps the YAML parser out of a scan with a built-in profile. Positions
 * are not stored: `locate` (used only to report a problem) parses the YAML then. `schemaValid` says the build
 * validated these bytes against the schema as it is now on disk, so the loader need not load the validator again.
 */
export function precompiledProfile(bytes: Buffer, file: string): (LocatedYaml & {schemaValid: boolean}) | undefined {
  let text: string
  try {
    text = readFileSync(precompiledProfilePath(sha256Hex(bytes)), 'utf8')
  } catch {
    return undefined // not a built-in profile, or running without a build
  }
  const stored = JSON.parse(text) as Partial<PrecompiledProfileFile>
  if (typeof stored.schemaSha256 !== 'string' || !('value' in stored)) return undefined // another build's format
  let located: LocatedYaml | undefined
  return {
    value: stored.value,
    schemaValid: stored.schemaSha256 === schemaSha256('profile'),
    locate: (pointer) => (located ??= parseLocatedYaml(bytes.toString('utf8'), file)).locate(pointer),
  }
}
