/**
 * Passwords tried never appear in any output: `scan --lab --intrusive --credentials FILE` through the built CLI,
 * every report format, an evidence bundle, stdout and stderr are searched for every password that was tried
 * (the lab file's and the dataset's). Distinctive passwords only: a dataset password that is also an ordinary
 * word of the report (e.g. "admin", also a username) cannot be told apart and is skipped, and the test checks
 * that the distinctive ones include the passwords that actually logged in.
 */
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {ALL_CHECKS} from '../../checks/index.js'
import {scanDevices} from '../../src/engine/scan.js'
import type {Report} from '../../src/evidence/types.js'
import {startLab} from '../../src/lab/index.js'
import {credentialDataset} from '../../src/probes/cred/dataset.js'
import type {CredAttemptsData} from '../../src/probes/cred/types.js'
import {WRITERS} from '../../src/writers/loaded.js'
import {runCli, type CliResult} from '../helpers/cli.js'

const LAB_PASSWORDS = ['Lab-Only-Pa55word-7f3e', 'second:secret-with-colon-91']
let tmp: string
let result: CliResult
let files: string[]
let report: Report
/** Text the outputs contain whatever the logins did: a non-intrusive scan's reports and the check catalogue. */
let ordinaryText: string

const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]))

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sg17scan-cred-redaction-'))
  const credFile = join(tmp, 'lab-creds.txt')
  writeFileSync(credFile, `# the lab's own credentials\noperator:${LAB_PASSWORDS[0]}\nsvc:${LAB_PASSWORDS[1]}\n`)
  const formats = WRITERS.flatMap((w) => ['--format', w.format])
  result = await runCli(['scan', '--lab', '--intrusive', '--credentials', credFile, '--login-delay', '5', '--timeout', '2000', ...formats, '--bundle', join(tmp, 'bundle')], {cwd: tmp, timeoutMs: 240_000})
  files = walk(tmp).filter((f) => f !== credFile)
  report = JSON.parse(readFileSync(join(tmp, 'sg17scan-lab-report.json'), 'utf8')) as Report
  const lab = await startLab()
  try {
    const baseline = await scanDevices(lab.devices.map((d) => ({name: d.name, targets: d.targets, declared: d.declared})), {caCertificates: [lab.caPem], timeoutMs: 2000})
    ordinaryText = [...WRITERS.map((w) => w.write(baseline)), JSON.stringify(ALL_CHECKS)].join('\n')
  } finally {
    await lab.stop()
  }
}, 300_000)

function triedPasswords(): string[] {
  const d = credentialDataset()
  const out = new Set<string>()
  for (const o of report.devices.flatMap((x) => x.observations)) {
    if (o.probe !== 'cred.attempts' || o.error) continue
    for (const a of (o.data as unknown as CredAttemptsData).attempts ?? []) {
      const row = d.rows.get(a.credentialId)
      if (row) out.add(row.password)
      else expect(a.credentialId).toMatch(/^lab:lab-creds\.txt:[23]$/)
    }
  }
  return [...out]
}

describe('no password tried appears in any output', () => {
  it('the scan ran the credential checks and found defaults (so the test can fail)', () => {
    expect(result.code).toBe(1)
    const findings = report.devices.flatMap((d) => d.findings)
    expect(findings.some((f) => f.check === 'cred.default.ssh' && f.outcome === 'fail')).toBe(true)
    const ids = report.devices.flatMap((d) => d.observations).filter((o) => o.probe === 'cred.attempts').flatMap((o) => ((o.data as unknown as CredAttemptsData).attempts ?? []).map((a) => a.credentialId))
    expect(ids).toContain('lab:lab-creds.txt:2')
    expect(ids).toContain('lab:lab-creds.txt:3')
    expect(files.length).toBeGreaterThan(WRITERS.length)
  })

  it('in every report format, bundle file, stdout and stderr', () => {
    const tried = triedPasswords()
    // Distinctive: long enough, not a username, not a word the reports use anyway ("password").
    const usernames = new Set([...credentialDataset().rows.values()].map((r) => r.username))
    const distinctive = [...LAB_PASSWORDS, ...tried.filter((p) => p.length >= 6 && !usernames.has(p) && !/^[0-9]+$/.test(p) && !ordinaryText.includes(p))]
    expect(distinctive.length).toBeGreaterThan(10)
    expect(distinctive).toEqual(expect.arrayContaining(['calvin', 'Geardog']))
    const outputs: Array<[string, string]> = [['stdout', result.stdout], ['stderr', result.stderr], ...files.map((f) => [f, readFileSync(f, 'utf8')] as [string, string])]
    for (const [where, text] of outputs) {
      for (const secret of distinctive) expect(text.includes(secret), `a tried password in ${where}`).toBe(false)
    }
  })
})
