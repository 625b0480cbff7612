/** Plain-text phrases shared by every rendering of a report diff, so console, Markdown and HTML say the same. */
import type {DeviceDiff, FindingChange, ObservationChange, ReportDiff} from '../../evidence/diff/types.js'

const MAX_ITEMS = 12

/** "a, b, c (+4 more)": long lists (cipher suites) stay readable; the JSON has them all. */
export function items(list: readonly string[] | undefined): string {
  const all = list ?? []
  const shown = all.slice(0, MAX_ITEMS).join(', ')
  return all.length > MAX_ITEMS ? `${shown} (+${all.length - MAX_ITEMS} more)` : shown
}

const short = (hex: string) => (/^[0-9a-f]{40,}$/.test(hex) ? `${hex.slice(0, 16)}…` : hex)

export function deviceTitle(d: DeviceDiff): string {
  const a = d.a ? (d.a.name ?? d.a.id) : undefined
  const b = d.b ? (d.b.name ?? d.b.id) : undefined
  if (d.status === 'added') return `${b} (only in B)`
  if (d.status === 'removed') return `${a} (only in A)`
  const basis = d.matchedBy && d.matchedBy !== 'id' ? ` — matched by ${d.matchedBy} ${short(d.matchedOn ?? '')}` : ''
  return `${a === b ? b : `${a} → ${b}`}${basis}`
}

export function verdictChange(d: DeviceDiff): string {
  if (d.a && d.b) return d.a.verdict === d.b.verdict ? d.b.verdict : `${d.a.verdict} → ${d.b.verdict}`
  return (d.b ?? d.a)!.verdict
}

export const CHANGE_LABEL: Record<FindingChange['change'], string> = {new: 'NEW', fixed: 'FIXED', outcome: 'CHANGED', severity: 'SEVERITY'}

export function findingDetail(f: FindingChange): string {
  const a = f.a ? `${f.a.outcome} ${f.a.severity}` : '—'
  const b = f.b ? `${f.b.outcome} ${f.b.severity}` : f.change === 'fixed' ? 'service gone' : 'not judged'
  return `${a} → ${b}`
}

export function findingMessage(f: FindingChange): string {
  return (f.b ?? f.a)!.message
}

export const OBSERVATION_LABEL: Record<ObservationChange['kind'], string> = {
  'service-appeared': 'service appeared',
  'service-vanished': 'service vanished',
  'tls-protocols': 'TLS protocols',
  'tls-cipher-suites': 'TLS cipher suites',
  'tls-groups': 'TLS groups',
  certificate: 'certificate changed',
  'tls-key': 'TLS key changed',
  'ssh-algorithms': 'SSH algorithms',
  'ssh-host-key': 'SSH host keys',
  'ssh-auth-methods': 'SSH authentication methods',
  'snmp-communities': 'SNMP communities accepted',
  banner: 'banner changed',
  'software-version': 'firmware reported',
}

export function observationDetail(o: ObservationChange): string {
  const parts: string[] = []
  if (o.added?.length) parts.push(`+ ${items(o.added)}`)
  if (o.removed?.length) parts.push(`− ${items(o.removed)}`)
  if (o.before !== undefined && o.after !== undefined) parts.push(`${short(o.before)} → ${short(o.after)}`)
  else if (o.after !== undefined) parts.push(o.after)
  else if (o.before !== undefined) parts.push(o.before)
  return parts.join('; ')
}

export function summaryLine(diff: ReportDiff): string {
  const s = diff.summary
  return (
    `${s.devices.matched} matched, ${s.devices.added} only in B, ${s.devices.removed} only in A · ` +
    `findings: ${s.findings.new} new, ${s.findings.fixed} fixed, ${s.findings.outcome} changed outcome, ${s.findings.severity} changed severity · ` +
    `${s.observationChanges} observation changes`
  )
}

export function gateLine(diff: ReportDiff): string {
  const s = diff.summary
  return s.regressions > 0
    ? `REGRESSION: ${s.regressions} new failure${s.regressions === 1 ? '' : 's'} at or above ${s.failOn} in B (exit 1)`
    : `No new failure at or above ${s.failOn} in B (exit 0)`
}
