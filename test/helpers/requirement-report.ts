import type {Report} from '../../src/evidence/types.js'
import {LAB_DECLARATIONS} from '../../src/lab/declarations.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import {withRequirements} from '../../src/requirements/assess.js'

/** The lab report with the requirement tables of `profile` derived from its findings (and a declaration on the
 *  devices the lab declares), as a whole-standard scan would write it. */
export function withRequirementTables(base: Report, profile = 'etsi-en-303-645'): Report {
  const report = JSON.parse(JSON.stringify(base)) as Report
  const defs = resolveProfile(profile).requirements
  report.devices = report.devices.map((d) => {
    const build = LAB_DECLARATIONS[d.name ?? d.id]
    const declared = build ? {...d, declaration: {...build(d.services.map((s) => s.id)), source: `lab:${d.id}`, sha256: 'a'.repeat(64)}} : d
    return withRequirements(declared, defs, report.batch ? {summary: report.batch, devices: report.devices.length} : undefined)
  })
  return report
}
