import {listBuiltInProfiles, type Profile} from '../profiles/loader.js'

/** Requirement ids per standard name, from the built-in whole-standard profiles (and any extra profile given):
 *  a declaration's claims must name one of them. */
export function knownRequirements(extra: readonly Profile[] = []): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>()
  for (const p of [...listBuiltInProfiles(), ...extra]) {
    for (const r of p.requirements) {
      let ids = known.get(r.standard)
      if (!ids) known.set(r.standard, (ids = new Set()))
      ids.add(r.id)
    }
  }
  return known
}
