import {createHash} from 'node:crypto'

import {summarize, deviceVerdict} from '../../src/engine/verdict.js'
import type {Device, Finding, Report} from '../../src/evidence/types.js'
import {startLab} from '../../src/lab/index.js'
import {scanDevices} from '../../src/index.js'
import {expectValidReport} from './report.js'

let lab: Promise<Report> | undefined

/** A realistic report: the built-in lab scanned once (per test file) with its CA trusted. */
export function labReport(): Promise<Report> {
  lab ??= (async () => {
    const running = await startLab()
    try {
      const report = await scanDevices(
        running.devices.map((d) => ({name: d.name, targets: d.targets})),
        {caCertificates: [running.caPem], commandLine: 'sg17scan scan --lab'},
      )
      expectValidReport(report)
      return report
    } finally {
      await running.stop()
    }
  })()
  return lab
}

/** Appears only inside an observation artifact: writers that are not evidence formats must never print it. */
export const ARTIFACT_MARKER = 'ARTIFACT-CONTENT-MUST-NOT-LEAK-7f3a'

export const TRICKY = {
  deviceName: '=cmd()|"Cam, Ünïcødé 日本" <&> \'x\'',
  message: 'Accepted "A, B"\nand <C & D> | pipes | =SUM(1) ünïcødé 🔐 \u0001ctl\u0000',
  title: '@title, with "quotes" | and <tags>',
  reference: {framework: 'ITU-T', id: 'X.1352', clause: '§8.2 "a" <b> & c'} as const,
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

function finding(over: Partial<Finding> & Pick<Finding, 'check' | 'outcome'>): Finding {
  return {
    title: `Title of ${over.check}`,
    severity: 'medium',
    service: 'tls://192.0.2.10:443',
    message: `message of ${over.check}`,
    evidence: ['obs-0000000000000001'],
    references: [{framework: 'CWE', id: 'CWE-327'}],
    ...over,
  }
}

/** Hand-made, schema-valid: every outcome and severity, and strings built to break naive escaping. */
export function trickyReport(): Report {
  const findings: Finding[] = [
    finding({check: 'tls.cipher.weak', outcome: 'fail', severity: 'critical', title: TRICKY.title, message: TRICKY.message, references: [TRICKY.reference, {framework: 'CWE', id: 'CWE-326'}, {framework: 'RFC', id: 'RFC 9325', clause: '§4.1'}], evidence: ['obs-0000000000000001', 'obs-0000000000000002']}),
    finding({check: 'tls.cert.expired', outcome: 'fail', severity: 'high', message: '-1 days left, +inf @home'}),
    finding({check: 'tls.cert.weak-key', outcome: 'fail', severity: 'low', message: 'plain message'}),
    finding({check: 'tls.kex.no-pq-hybrid', outcome: 'fail', severity: 'info', references: [{framework: 'ETSI EN 303 645', id: '5.5-3'}]}),
    finding({check: 'tls.protocol.legacy-enabled', outcome: 'pass', severity: 'medium', message: 'no legacy protocol'}),
    finding({check: 'tls.cert.lifetime-excessive', outcome: 'inconclusive', severity: 'low', message: 'dates unreadable, see "evidence"'}),
    finding({check: 'tls.cipher.rc4', outcome: 'error', severity: 'high', message: 'timeout: <no answer> & reset', evidence: []}),
    finding({check: 'tls.cert.weak-signature', outcome: 'not_tested', message: 'intrusive check: enable with --intrusive', evidence: []}),
    finding({check: 'tls.ems.missing', outcome: 'not_applicable', severity: 'low', message: 'TLS 1.3 only', references: []}),
    finding({check: 'custom.vendor-check', outcome: 'fail', severity: 'medium', title: 'A check this build does not know', message: 'a | b || c', references: [{framework: 'NIST', id: 'SP 800-52r2'}]}),
  ]
  const second: Finding[] = [
    // Device-level: names a host, not a service of the device.
    {check: 'scan.reachability', title: 'Device reachable', outcome: 'error', severity: 'info', service: '198.51.100.7', message: 'no default port of 198.51.100.7 accepted a TCP connection', evidence: ['obs-0000000000000003'], references: []},
  ]
  const content = `-----BEGIN CERTIFICATE-----\n${ARTIFACT_MARKER}\n-----END CERTIFICATE-----\n`
  const devices: Device[] = [
    {
      id: 'cam-1',
      name: TRICKY.deviceName,
      services: [{id: 'tls://192.0.2.10:443', protocol: 'tls', host: '192.0.2.10', port: 443, transport: 'tcp'}],
      observations: [
        {
          id: 'obs-0000000000000001',
          service: 'tls://192.0.2.10:443',
          probe: 'test.raw-capture',
          collectedAt: '2026-01-02T03:04:05.000Z',
          data: {note: 'data, with "quotes"'},
          artifacts: [{kind: 'certificate', encoding: 'pem', content, sha256: sha(content)}],
        },
      ],
      findings,
      verdict: deviceVerdict(findings, 'medium'),
    },
    {
      id: '198.51.100.7',
      services: [],
      observations: [
        {id: 'obs-0000000000000003', service: '198.51.100.7', probe: 'scan.discovery', collectedAt: '2026-01-02T03:04:06.000Z', data: {}, artifacts: [], error: {code: 'refused', message: 'refused'}},
      ],
      findings: second,
      verdict: deviceVerdict(second, 'medium'),
    },
  ]
  const report: Report = {
    schemaVersion: '1.0.0',
    tool: {name: 'sg17scan', version: '0.1.0'},
    run: {
      id: 'run-tricky',
      startedAt: '2026-01-02T03:04:00.000Z',
      finishedAt: '2026-01-02T03:04:10.000Z',
      commandLine: 'sg17scan scan tls://192.0.2.10:443 --device-name "=cmd()"',
      profile: {id: 'itu-t-x1352-baseline', version: '1.0.0', sha256: sha('profile')},
    },
    devices,
    summary: summarize(devices, 'medium'),
  }
  expectValidReport(report)
  return report
}

/** Result rows a per-finding writer produces: every device finding plus every batch finding. */
export const findingCount = (report: Report) => report.devices.reduce((n, d) => n + d.findings.length, 0) + (report.batch?.findings.length ?? 0)
