import {mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {writeBundle} from '../../src/evidence/bundle.js'
import {redactCommandLine} from '../../src/evidence/redact.js'
import type {Report} from '../../src/evidence/types.js'
import {scanDevices} from '../../src/index.js'
import {OPEN_ROUTER_CONTACT} from '../../src/lab/devices/snmp-agent.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import {WRITERS} from '../../src/writers/loaded.js'

// ITU-T X.1058 hygiene: personal data found on a device never leaves the scanner in clear, in any format.
const SEEDED = ['jane.doe@example.net', 'Jane Doe', '7946 0958', '+44 20 7946', 'jane.doe']
const SECRET = 'S3cret-Passw0rd!'

let lab: RunningLab
let report: Report

beforeAll(async () => {
  expect(OPEN_ROUTER_CONTACT).toContain('jane.doe@example.net') // the lab really seeds the values we grep for
  lab = await startLab()
  report = await scanDevices(
    lab.devices.map((d) => ({name: d.name, targets: d.targets})),
    {caCertificates: [lab.caPem], commandLine: redactCommandLine(['sg17scan', 'scan', '--lab', '--password', SECRET])},
  )
}, 60_000)

afterAll(async () => {
  await lab.stop()
})

function expectClean(text: string, where: string): void {
  for (const value of [...SEEDED, SECRET]) expect(text.includes(value), `${value} in ${where}`).toBe(false)
}

describe('no personal value or secret in any output', () => {
  it('the scan did find the personal data (so the test can fail)', () => {
    const pii = report.devices.flatMap((d) => d.findings).find((f) => f.check === 'pii.snmp.contact-location')
    expect(pii?.outcome).toBe('fail')
  })

  it.each(WRITERS.map((w) => [w.format, w] as const))('%s', (_format, writer) => {
    expectClean(writer.write(report), writer.format)
  })

  it('every file of an evidence bundle', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sg17scan-redaction-')), 'bundle')
    writeBundle(report, dir, {})
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [join(d, name)]))
    const files = walk(dir)
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) expectClean(readFileSync(file, 'utf8'), file)
  })
})
