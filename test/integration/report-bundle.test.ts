import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {summarize} from '../../src/engine/verdict.js'
import type {Report} from '../../src/evidence/types.js'
import {writerFor} from '../../src/writers/loaded.js'
import {runCli} from '../helpers/cli.js'
import {expectValidReport} from '../helpers/report.js'
import {signingPki, type SigningPki, splitReport} from '../helpers/signing.js'
import {labReport} from '../helpers/writer-reports.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-bundle-cli-'))

describe('sg17scan report bundle / verify / merge (built CLI)', () => {
  let report: Report
  let file: string
  let pki: SigningPki
  beforeAll(async () => {
    report = await labReport()
    file = join(tmp, 'lab.json')
    writeFileSync(file, writerFor('json').write(report))
    pki = signingPki()
  })

  it('bundle → verify (0) → tamper → verify (1)', async () => {
    const out = join(tmp, 'signed')
    const made = await runCli([
      'report', 'bundle', file, '--out', out,
      '--sign-key', pki.files.edKey, '--sign-cert', pki.files.edChain,
      '--lab-name', 'ACME Test Lab', '--operator', 'J. Doe', '--accreditation-id', 'ISO17025-0042',
    ])
    expect(made.stderr).toBe('')
    expect(made.code).toBe(0)
    expect(made.stdout).toContain(`Bundle: ${out}`)
    expect(made.stdout).toContain('signed Ed25519')
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.lab).toEqual({name: 'ACME Test Lab', operator: 'J. Doe', accreditationId: 'ISO17025-0042'})
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(readFileSync(file, 'utf8'))

    const ok = await runCli(['report', 'verify', out, '--trust', pki.files.rootCert])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^OK: .*: verified: \d+ files, signed Ed25519 by .*Evidence Signer Ed25519, signer trusted \(--trust\), signed at \d{4}-/)

    const artifact = manifest.files.map((f: {path: string}) => f.path).find((p: string) => p.endsWith('-certificate.pem'))
    const bytes = readFileSync(join(out, artifact))
    bytes[100] = bytes[100]! ^ 0x01
    writeFileSync(join(out, artifact), bytes)
    const bad = await runCli(['report', 'verify', out])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain(`FAILED: ${out}`)
    expect(bad.stderr).toContain(`  ${artifact}: sha256 mismatch (manifest `)

    const json = await runCli(['report', 'verify', out, '--json'])
    expect(json.code).toBe(1)
    const result = JSON.parse(json.stdout)
    expect(result.ok).toBe(false)
    expect(result.problems).toContainEqual(expect.stringMatching(new RegExp(`^${artifact}: sha256 mismatch`)))
  })

  it('an ECDSA bundle verifies with an unknown signer (4); an untrusted signer fails against --trust (1)', async () => {
    const out = join(tmp, 'ecdsa')
    const made = await runCli(['report', 'bundle', file, '--out', out, '--sign-key', pki.files.ecKey, '--sign-cert', pki.files.ecCert, '--json'])
    expect(made.code).toBe(0)
    expect(JSON.parse(made.stdout)).toMatchObject({signed: true, algorithm: 'ECDSA-P256-SHA256', runId: report.run.id})
    const ok = await runCli(['report', 'verify', out, '--json'])
    expect(ok.code).toBe(4)
    expect(JSON.parse(ok.stdout)).toMatchObject({ok: true, status: 'signer-unknown', problems: [], signer: {algorithm: 'ECDSA-P256-SHA256'}})
    const text = await runCli(['report', 'verify', out])
    expect(text.code).toBe(4)
    expect(text.stderr).toMatch(/^NOT VERIFIED: .*: signature valid, signer UNKNOWN: .*give --trust/)
    const untrusted = await runCli(['report', 'verify', out, '--trust', pki.files.otherRootCert])
    expect(untrusted.code).toBe(1)
    expect(untrusted.stderr).toMatch(/signer\.json: certificate chain .* does not lead to a trust anchor/)
  })

  it.each([
    ['an RSA signing key', (out: string) => ['report', 'bundle', '__LAB__', '--out', out, '--sign-key', '__RSA__'], /cannot sign with an rsa key/],
    ['a certificate not matching the key', (out: string) => ['report', 'bundle', '__LAB__', '--out', out, '--sign-key', '__EC__', '--sign-cert', '__EDCHAIN__'], /does not match the signing key/],
    ['--sign-cert without --sign-key', (out: string) => ['report', 'bundle', '__LAB__', '--out', out, '--sign-cert', '__EDCHAIN__'], /sign-key/],
    ['a non-empty --out', () => ['report', 'bundle', '__LAB__', '--out', tmp], /is not empty/],
    ['verify of a missing directory', (out: string) => ['report', 'verify', out], /no such report file or bundle directory/],
    ['an unreadable --trust file', () => ['report', 'verify', tmp, '--trust', join(tmp, 'nope.pem')], /--trust .*nope\.pem: cannot read/],
  ])('exits 2 for %s', async (_what, args, message) => {
    const out = join(tmp, `usage-${Math.random().toString(36).slice(2)}`)
    const map: Record<string, string> = {__LAB__: file, __RSA__: pki.files.rsaKey, __EC__: pki.files.ecKey, __EDCHAIN__: pki.files.edChain}
    const r = await runCli(args(out).map((a) => map[a] ?? a))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  describe('merge', () => {
    let a: string
    let b: string
    beforeAll(() => {
      a = join(tmp, 'scan-a.json')
      b = join(tmp, 'scan-b.json')
      const rest = report.devices.slice(1).map((_, i) => i + 1)
      writeFileSync(a, writerFor('json').write(splitReport(report, [0], {id: 'run-a', startedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:05:00.000Z'})))
      writeFileSync(b, writerFor('json').write(splitReport(report, rest, {id: 'run-b', startedAt: '2026-03-02T09:00:00.000Z', finishedAt: '2026-03-02T09:30:00.000Z'})))
    })

    it('merges two lab scans of different devices into one valid report', async () => {
      const out = join(tmp, 'merged.json')
      const r = await runCli(['report', 'merge', a, b, '-o', out])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`Merged 2 reports (${report.devices.length} devices): ${out}`)
      const merged = JSON.parse(readFileSync(out, 'utf8')) as Report
      expectValidReport(merged)
      expect(merged.devices).toEqual(report.devices)
      expect(merged.summary).toEqual(summarize(report.devices, report.summary.failOn))
      expect(merged.run.startedAt).toBe('2026-03-01T10:00:00.000Z')
      expect(merged.run.finishedAt).toBe('2026-03-02T09:30:00.000Z')
      expect(merged.run.commandLine).toBe(`sg17scan report merge ${a} ${b} -o ${out}`)
      // Each input keeps its provenance, with the digest of the file as read.
      expect(merged.run.sources?.map((x) => [x.name, x.runId, x.sha256])).toEqual([
        [a, 'run-a', createHash('sha256').update(readFileSync(a)).digest('hex')],
        [b, 'run-b', createHash('sha256').update(readFileSync(b)).digest('hex')],
      ])
      // The merged report bundles and verifies like any other.
      const bundle = join(tmp, 'merged-bundle')
      expect((await runCli(['report', 'bundle', out, '--out', bundle, '--sign-key', pki.files.edKey])).code).toBe(0)
      expect((await runCli(['report', 'verify', bundle])).code).toBe(4)
    })

    it('two real lab scans of the same devices conflict (exit 1, nothing written) unless --prefer', async () => {
      const second = join(tmp, 'second-scan.json')
      const scan = await runCli(['scan', '--lab', '-o', second], {timeoutMs: 120_000})
      expect([0, 1, 3]).toContain(scan.code)
      const secondReport = JSON.parse(readFileSync(second, 'utf8')) as Report

      const out = join(tmp, 'conflict.json')
      const r = await runCli(['report', 'merge', file, second, '-o', out])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`Conflict: device ${report.devices[0]!.id}: different content in ${file}, ${second}`)
      expect(r.stderr).toMatch(/nothing written\. Give --prefer first or --prefer newest/)
      expect(() => readFileSync(out)).toThrow()

      const newest = await runCli(['report', 'merge', file, second, '--prefer', 'newest', '-o', out])
      expect(newest.code).toBe(0)
      expect(newest.stderr).toContain(`Warning: device ${report.devices[0]!.id}`)
      expect(newest.stderr).toContain(`kept the one from ${second} (--prefer newest)`)
      const merged = JSON.parse(readFileSync(out, 'utf8')) as Report
      expect(merged.devices).toEqual(secondReport.devices)
      expect(merged.run.startedAt).toBe(report.run.startedAt)
      expect(merged.run.finishedAt).toBe(secondReport.run.finishedAt)
    })

    it('exits 2 when the profiles differ, naming both', async () => {
      const other = JSON.parse(readFileSync(b, 'utf8')) as Report
      other.run.profile.sha256 = 'f'.repeat(64)
      const otherFile = join(tmp, 'other-profile.json')
      writeFileSync(otherFile, JSON.stringify(other))
      const r = await runCli(['report', 'merge', a, otherFile])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('the reports use different profiles')
      expect(r.stderr).toContain(`${otherFile}: profile ${other.run.profile.id} version ${other.run.profile.version} (sha256 ${'f'.repeat(64)})`)
    })

    it('exits 2 for a single report', async () => {
      const r = await runCli(['report', 'merge', a])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/two or more reports/)
    })
  })

  it('an unsigned bundle exits 5 (internal consistency only) unless --allow-unsigned; a contradictory report exits 1 naming the first contradiction', async () => {
    const out = join(tmp, 'unsigned')
    expect((await runCli(['report', 'bundle', file, '--out', out])).code).toBe(0)
    const r = await runCli(['report', 'verify', out])
    expect(r.code).toBe(5)
    expect(r.stderr).toMatch(/NOT signed: only internal consistency was checked/)
    const allowed = await runCli(['report', 'verify', out, '--allow-unsigned'])
    expect(allowed.code).toBe(0)
    expect(allowed.stdout).toMatch(/^OK: .*NOT signed: only internal consistency was checked.*accepted: --allow-unsigned/)

    const consistent = await runCli(['report', 'verify', file])
    expect(consistent.code).toBe(0)
    expect(consistent.stdout).toMatch(/^OK: .*consistent: no contradiction/)
    const bad = structuredClone(report)
    bad.devices[0]!.findings.push({check: 'tls.cipher.weak', title: 'Weak', outcome: 'fail', severity: 'critical', service: 'tls://203.0.113.9:443', message: 'x', evidence: ['obs-00000000deadbeef'], references: []})
    bad.devices[0]!.verdict = 'pass'
    bad.summary.exitCode = 0
    const badFile = join(tmp, 'contradictory.json')
    writeFileSync(badFile, JSON.stringify(bad))
    const rejected = await runCli(['report', 'verify', badFile])
    expect(rejected.code).toBe(1)
    expect(rejected.stderr).toMatch(/^FAILED: .*contradictory\.json: \d+ problems; first: .*findings\[\d+\] \(tls\.cipher\.weak\): service tls:\/\/203\.0\.113\.9:443 is not a service of the device/)
  })

  it('lists the commands under the report topic', async () => {
    const r = await runCli(['report', '--help'])
    expect(r.code).toBe(0)
    for (const c of ['report bundle', 'report verify', 'report merge']) expect(r.stdout).toContain(c)
  })
})
