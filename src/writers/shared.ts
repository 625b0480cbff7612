import {deviceCoverage} from '../engine/coverage.js'
import type {Device, DeviceCoverage, Finding, Reference, Report, Service, Severity} from '../evidence/types.js'

/**
 * "ITU-T X.1352 §8.2", "ETSI EN 303 645 5.5-1", "CWE-327", "RFC 9325 §4.1": framework, document id and clause;
 * the framework is left out when the id already starts with it.
 */
export function formatReference(ref: Reference): string {
  const doc = ref.id.startsWith(`${ref.framework}`) ? ref.id : `${ref.framework} ${ref.id}`
  return `${doc}${ref.clause ? ` ${ref.clause}` : ''}`
}

/** Code-unit order: unlike localeCompare it does not depend on the ICU data or locale of the machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The device's service a finding is about; undefined for device-level findings (e.g. scan.reachability names a host). */
export function serviceOf(device: Device, finding: Finding): Service | undefined {
  return device.services.find((s) => s.id === finding.service)
}

/** The device's coverage statement: as the report carries it, or derived for a report written before it did. */
export function coverageOf(device: Device): DeviceCoverage {
  return device.coverage ?? deviceCoverage(device)
}

/** One line per gap: "partial: tls.cipher.rc4 on tls://…: reason". */
export function coverageGaps(c: DeviceCoverage): string[] {
  return [...c.partial.map((g) => `partial: ${g.check} on ${g.service}: ${g.reason}`), ...c.notTested.map((g) => `not tested: ${g.check} on ${g.service}: ${g.reason}`)]
}

export function deviceLabel(device: Device): string {
  return device.name ?? device.id
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

/** Higher is worse. */
export function severityWeight(severity: Severity): number {
  return SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(severity)
}

export function allFindings(report: Report): Array<{device: Device; finding: Finding}> {
  return report.devices.flatMap((device) => device.findings.map((finding) => ({device, finding})))
}
