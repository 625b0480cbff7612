/**
 * A report that is schema-valid can still contradict itself: a summary that does not count its own devices, a
 * device verdict its findings do not give, a finding citing an observation the device does not have, an
 * artifact whose recorded SHA-256 is not that of its content. The store keeps none of those: each problem is
 * one line naming where it is.
 */
import {deviceVerdict, summarize, withBatch} from '../engine/verdict.js'
import {sha256Hex} from '../evidence/ids.js'
import type {Report} from '../evidence/types.js'

export function contradictions(report: Report): string[] {
  const problems: string[] = []
  const failOn = report.summary.failOn
  const ids = new Set<string>()
  report.devices.forEach((device, i) => {
    const where = `devices[${i}] (${device.id})`
    if (ids.has(device.id)) problems.push(`${where}: device id appears twice`)
    ids.add(device.id)
    const expected = deviceVerdict(device.findings, failOn)
    if (expected !== device.verdict) problems.push(`${where}: verdict ${device.verdict} but its findings give ${expected} (fail-on ${failOn})`)
    const observations = new Set(device.observations.map((o) => o.id))
    device.findings.forEach((finding, j) => {
      for (const id of finding.evidence) {
        if (!observations.has(id)) problems.push(`${where}.findings[${j}] (${finding.check}): evidence ${id} is not an observation of the device`)
      }
    })
    device.observations.forEach((observation, j) => {
      observation.artifacts.forEach((artifact, k) => {
        const actual = sha256Hex(artifact.content)
        if (actual !== artifact.sha256) {
          problems.push(`${where}.observations[${j}].artifacts[${k}]: records sha256 ${artifact.sha256.slice(0, 16)}… but its content hashes to ${actual.slice(0, 16)}…`)
        }
      })
    })
  })
  const recount = withBatch(summarize(report.devices, failOn), report.batch)
  for (const key of ['devices', 'verdicts', 'outcomes', 'failedBySeverity', 'exitCode'] as const) {
    const stated = JSON.stringify(report.summary[key])
    const counted = JSON.stringify(recount[key])
    if (stated !== counted) problems.push(`summary.${key} is ${stated} but the devices give ${counted}`)
  }
  return problems
}
