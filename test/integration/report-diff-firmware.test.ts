/**
 * `report diff` on two firmware versions of one lab device (built CLI): legacy-camera and legacy-camera-fw2 — the
 * same camera (same certificate and SSH host key) after an update that removes the NULL suites and leaves a
 * Telnet console open. Scanned under different device names, so the devices must be paired by identity.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {ReportDiff} from '../../src/evidence/diff/types.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {schemaValidator} from '../../src/util/schema.js'
import {writerFor} from '../../src/writers/loaded.js'
import {runCli} from '../helpers/cli.js'
import {signingPki, type SigningPki} from '../helpers/signing.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-diff-'))
const fw1 = join(tmp, 'fw1.json')
const fw2 = join(tmp, 'fw2.json')
let lab: RunningLab
let pki: SigningPki

beforeAll(async () => {
  lab = await startLab({devices: ['legacy-camera', 'legacy-camera-fw2']})
  const targets = (name: string) => lab.devices.find((d) => d.name === name)!.targets
  const before = await scanDevices([{name: 'ipcam-2024', targets: targets('legacy-camera')}], {timeoutMs: 3000, caCertificates: [lab.caPem]})
  const after = await scanDevices([{name: 'ipcam-2025', targets: targets('legacy-camera-fw2')}], {timeoutMs: 3000, caCertificates: [lab.caPem]})
  writeFileSync(fw1, writerFor('json').write(before))
  writeFileSync(fw2, writerFor('json').write(after))
  pki = signingPki()
}, 120_000)

afterAll(async () => {
  await lab?.stop()
})

describe('sg17scan report diff on two firmware versions of a lab camera', () => {
  it('pairs the camera by identity, lists the fix, the regression and what changed, and exits 1 (--fail-on high)', async () => {
    const out = {json: join(tmp, 'diff.json'), md: join(tmp, 'diff.md'), html: join(tmp, 'diff.html')}
    const r = await runCli(['report', 'diff', fw1, fw2, '--fail-on', 'high', '-o', out.json, '-o', out.md, '-o', out.html])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('ipcam-2024 → ipcam-2025 — matched by certificate')
    expect(r.stdout).toMatch(/! NEW +svc\.telnet\.exposed on telnet:\/\/127\.0\.0\.1:\d+: — → fail high/)
    expect(r.stdout).toMatch(/ FIXED +tls\.cipher\.null-or-export on tls:\/\/127\.0\.0\.1:\d+: fail critical → pass critical/)
    // The open Telnet console fails twice: the service check, and the device's view of cleartext protocols.
    expect(r.stdout).toMatch(/! NEW +svc\.exposed\.insecure-protocol on device:ipcam-2025: .* → fail high/)
    expect(r.stdout).toContain('REGRESSION: 2 new failures at or above high in B (exit 1)')

    const diff = JSON.parse(readFileSync(out.json, 'utf8')) as ReportDiff
    const validate = schemaValidator('report-diff')
    expect(validate(diff), JSON.stringify(validate.errors)).toBe(true)
    expect(diff.devices).toHaveLength(1)
    const camera = diff.devices[0]!
    expect(camera).toMatchObject({status: 'matched', matchedBy: 'certificate', a: {id: 'ipcam-2024'}, b: {id: 'ipcam-2025'}})
    expect(camera.findings.map((f) => [f.check, f.change, f.gate])).toEqual([
      ['svc.exposed.insecure-protocol', 'new', true],
      ['svc.telnet.exposed', 'new', true],
      ['tls.cipher.null-or-export', 'fixed', false],
    ])
    const kinds = Object.fromEntries(camera.observations.map((o) => [o.kind, o]))
    expect(Object.keys(kinds).sort()).toEqual(['banner', 'service-appeared', 'tls-cipher-suites'])
    expect(kinds['service-appeared']!.service).toMatch(/^telnet:/)
    expect(kinds['tls-cipher-suites']).toMatchObject({removed: ['TLS_RSA_WITH_NULL_MD5', 'TLS_RSA_WITH_NULL_SHA']})
    expect(kinds.banner).toMatchObject({before: 'SSH-2.0-dropbear_2014.63', after: 'SSH-2.0-dropbear_2019.78'})
    expect(diff.summary).toMatchObject({regressions: 2, exitCode: 1, findings: {new: 2, fixed: 1, outcome: 0, severity: 0}})

    expect(readFileSync(out.md, 'utf8')).toContain('| ❗ | NEW | svc.telnet.exposed |')
    expect(readFileSync(out.html, 'utf8')).toContain('<tr class="gate"><td class="new">NEW</td><td>svc.telnet.exposed</td>')
  }, 60_000)

  it('the gate follows --fail-on (the new Telnet failure is high: --fail-on critical passes) and a report against itself has no change', async () => {
    const critical = await runCli(['report', 'diff', fw1, fw2, '--fail-on', 'critical', '--format', 'json'])
    expect(critical.code).toBe(0)
    expect((JSON.parse(critical.stdout) as ReportDiff).summary).toMatchObject({regressions: 0, exitCode: 0, findings: {new: 2}})
    const same = await runCli(['report', 'diff', fw2, fw2])
    expect(same.code).toBe(0)
    expect(same.stdout).toContain('1 matched device without changes.')
    expect(same.stdout).toContain('No new failure at or above medium in B (exit 0)')
  }, 60_000)

  it('diffs signed bundles after verifying them, and refuses one that does not verify (exit 2)', async () => {
    const bundle = async (report: string, dir: string) => {
      const made = await runCli(['report', 'bundle', report, '--out', dir, '--sign-key', pki.files.edKey, '--sign-cert', pki.files.edChain])
      expect(made.code, made.stderr).toBe(0)
    }
    const b1 = join(tmp, 'bundle-fw1')
    const b2 = join(tmp, 'bundle-fw2')
    await bundle(fw1, b1)
    await bundle(fw2, b2)
    const ok = await runCli(['report', 'diff', b1, b2, '--trust', pki.files.rootCert, '--fail-on', 'high', '--format', 'json'])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(1)
    const diff = JSON.parse(ok.stdout) as ReportDiff
    expect(diff.a).toMatchObject({kind: 'bundle', bundle: {signed: true}})
    expect(diff.summary.regressions).toBe(2)

    // One changed byte in B's report: the bundle no longer verifies and nothing is diffed.
    const reportPath = join(b2, 'report.json')
    writeFileSync(reportPath, readFileSync(reportPath, 'utf8').replace('"ipcam-2025"', '"ipcam-2026"'))
    const bad = await runCli(['report', 'diff', b1, b2, '--trust', pki.files.rootCert])
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain(`${b2}: the bundle does not verify`)
    expect(bad.stderr).toContain('report.json')
  }, 90_000)

  it('reads a batch output directory (its report.json)', async () => {
    const outDir = join(tmp, 'batch-run')
    mkdirSync(outDir)
    copyFileSync(fw1, join(outDir, 'report.json'))
    const r = await runCli(['report', 'diff', outDir, fw2, '--format', 'json'])
    expect(r.code).toBe(1)
    const diff = JSON.parse(r.stdout) as ReportDiff
    expect(diff.a).toMatchObject({source: outDir, kind: 'report', devices: 1})
    expect(diff.summary.findings).toMatchObject({new: 2, fixed: 1})
  }, 30_000)

  it('bad input exits 2 naming it', async () => {
    const missing = await runCli(['report', 'diff', fw1, join(tmp, 'nope.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope.json')
    const notReport = join(tmp, 'not-a-report.json')
    writeFileSync(notReport, '{"devices": 3}')
    const invalid = await runCli(['report', 'diff', notReport, fw2])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toContain('not a valid sg17scan report')
  }, 30_000)
})
