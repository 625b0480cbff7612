/**
 * Reports for the DB tests: a lab fleet (declared vendor/model/firmware, clone groups sharing keys) scanned
 * once per test file, and variants of it derived without breaking its internal consistency.
 */
import {scanDevices} from '../../src/index.js'
import type {Report} from '../../src/evidence/types.js'
import {startFleet} from '../../src/lab/fleet/index.js'
import {expectValidReport} from './report.js'

const cache = new Map<string, Promise<Report>>()

/** The lab fleet of `count` devices (seed fixed), scanned with its declared identities and the lab CA trusted. */
export function fleetReport(count = 16, seed = 7): Promise<Report> {
  const key = `${count}:${seed}`
  let p = cache.get(key)
  if (!p) {
    p = (async () => {
      const fleet = await startFleet({count, seed})
      try {
        const report = await scanDevices(
          fleet.devices.map((d) => ({id: d.id, name: d.id, targets: d.targets, declared: d.declared, tags: d.tags})),
          {caCertificates: [fleet.caPem], commandLine: `sg17scan scan --inventory fleet-${seed}.csv`},
        )
        expectValidReport(report)
        return report
      } finally {
        await fleet.stop()
      }
    })()
    cache.set(key, p)
  }
  return p
}

/** The same scan presented as another run: new run id and dates, every declared firmware replaced. Still
 *  self-consistent (verdicts and summary are untouched), so ingest accepts it as a distinct report. */
export function asLaterRun(report: Report, runId: string, finishedAt: string, firmware: (old: string | undefined) => string): Report {
  const copy = structuredClone(report)
  copy.run.id = runId
  copy.run.startedAt = finishedAt
  copy.run.finishedAt = finishedAt
  for (const d of copy.devices) d.declared = {...d.declared, firmware: firmware(d.declared?.firmware)}
  return copy
}
