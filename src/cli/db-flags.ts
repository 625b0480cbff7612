import {Flags} from '@oclif/core'

import type {DeviceFilter} from '../db/filters.js'
import {defaultDbLocation} from '../db/open.js'

/** --db: where the store is (default $SG17SCAN_DB or ./sg17scan-db). */
export const dbFlag = {
  db: Flags.string({description: 'store: a directory (embedded PGlite store, created on first use) or postgres://user@host/db (default: $SG17SCAN_DB, else ./sg17scan-db)'}),
}

export const dbLocation = (flag: string | undefined): string => flag ?? defaultDbLocation()

/** The filters of `db query`, `db export` and the dashboard. */
export const filterFlags = {
  vendor: Flags.string({description: 'vendor (declared, else observed; case-insensitive)'}),
  model: Flags.string({description: 'model (case-insensitive)'}),
  firmware: Flags.string({description: 'firmware version (exact)'}),
  check: Flags.string({description: 'devices with a finding of this check id (its outcome is shown)'}),
  requirement: Flags.string({description: 'devices with a verdict on this requirement id'}),
  outcome: Flags.string({description: 'outcome of the --check finding, or verdict of the --requirement', options: ['pass', 'fail', 'error', 'not_tested', 'not_applicable', 'inconclusive', 'not_assessed_remotely']}),
  verdict: Flags.string({description: 'device verdict', options: ['pass', 'fail', 'incomplete']}),
  campaign: Flags.string({description: 'campaign name'}),
  lab: Flags.string({description: 'lab name'}),
  since: Flags.string({description: 'runs finished on or after (YYYY-MM-DD or ISO 8601)'}),
  until: Flags.string({description: 'runs finished on or before this day (YYYY-MM-DD) or before this instant'}),
  search: Flags.string({description: 'device name, vendor, model, firmware or serial contains this text'}),
}

export function filterOf(flags: Partial<Record<keyof typeof filterFlags, string | undefined>>): DeviceFilter {
  const filter: DeviceFilter = {}
  for (const key of Object.keys(filterFlags) as Array<keyof typeof filterFlags>) {
    const value = flags[key]
    if (value !== undefined && value !== '') filter[key] = value
  }
  return filter
}
