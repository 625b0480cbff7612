import {expect} from 'vitest'

import {validateReport} from '../../src/evidence/validate.js'
import type {Device, Finding, Report} from '../../src/evidence/types.js'

/** Every report a test produces is validated against schemas/report.schema.json. */
export function expectValidReport(report: unknown): asserts report is Report {
  expect(validateReport(report)).toEqual([])
}

export function findingsOf(device: Device, outcome?: Finding['outcome']): Record<string, Finding> {
  return Object.fromEntries(device.findings.filter((f) => !outcome || f.outcome === outcome).map((f) => [f.check, f]))
}

export function deviceNamed(report: Report, name: string): Device {
  const device = report.devices.find((d) => d.name === name)
  if (!device) throw new Error(`no device ${name} in report`)
  return device
}
