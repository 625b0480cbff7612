/**
 * ITU-T X.1058 hygiene for the HTTP module: scan the lab's webcam-http (personal data and a session cookie
 * served without authentication) and secure-admin (a session cookie), then grep every writer's output and
 * every file of an evidence bundle for the seeded personal values and the cookie values.
 */
import {mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {writeBundle} from '../../src/evidence/bundle.js'
import type {Report} from '../../src/evidence/types.js'
import {scanDevices} from '../../src/index.js'
import {SECURE_ADMIN_SESSION_VALUE} from '../../src/lab/devices/secure-admin.js'
import {WEBCAM_PII, WEBCAM_SEEDED_STRINGS, WEBCAM_SESSION_VALUE} from '../../src/lab/devices/webcam-http.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import {WRITERS} from '../../src/writers/loaded.js'

const SECRETS = [...WEBCAM_SEEDED_STRINGS, WEBCAM_PII.firstName, WEBCAM_PII.lastName, SECURE_ADMIN_SESSION_VALUE]

let lab: RunningLab
let report: Report

beforeAll(async () => {
  lab = await startLab({devices: ['webcam-http', 'secure-admin']})
  report = await scanDevices(
    lab.devices.map((d) => ({name: d.name, targets: d.targets})),
    {caCertificates: [lab.caPem]},
  )
}, 60_000)

afterAll(async () => {
  await lab?.stop()
})

function expectClean(text: string, where: string): void {
  for (const value of SECRETS) expect(text.includes(value), `${value} in ${where}`).toBe(false)
}

describe('no personal value or cookie value from an HTTP device in any output', () => {
  it('the scan did see the personal data and both cookies (so the test can fail)', () => {
    expect(WEBCAM_SEEDED_STRINGS).toContain(WEBCAM_SESSION_VALUE)
    const findings = report.devices.flatMap((d) => d.findings)
    expect(findings.find((f) => f.check === 'pii.http.cleartext-personal-data')?.outcome).toBe('fail')
    const json = JSON.stringify(report)
    expect(json).toContain('sessionid=<redacted>')
    expect(json).toContain('__Host-sessionid=<redacted>')
  })

  it('the in-memory report', () => {
    expectClean(JSON.stringify(report), 'report')
  })

  it.each(WRITERS.map((w) => [w.format, w] as const))('%s', (_format, writer) => {
    expectClean(writer.write(report), writer.format)
  })

  it('every file of an evidence bundle', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sg17scan-redaction-http-')), 'bundle')
    writeBundle(report, dir, {})
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [join(d, name)]))
    const files = walk(dir)
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) expectClean(readFileSync(file, 'utf8'), file)
  })
})
