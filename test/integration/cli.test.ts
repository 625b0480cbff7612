import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {runCli} from '../helpers/cli.js'
import {deviceNamed, expectValidReport, findingsOf} from '../helpers/report.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-cli-'))

describe('sg17scan scan --lab (end to end through the CLI)', () => {
  it('scans both lab devices, writes a schema-valid report and exits 1 for the failing camera', async () => {
    const out = join(tmp, 'lab.json')
    const r = await runCli(['scan', '--lab', '-o', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('built-in virtual lab')
    expect(r.stdout).toMatch(/Device good-gateway\s+verdict: pass/)
    expect(r.stdout).toMatch(/Device legacy-camera\s+verdict: fail/)
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report
    expectValidReport(report)
    expect(report.summary.exitCode).toBe(1)
    expect(report.run.profile.id).toBe('itu-t-x1352-baseline')
    expect(report.run.commandLine).toContain('sg17scan scan --lab')

    const good = deviceNamed(report, 'good-gateway')
    expect(good.verdict).toBe('pass')
    expect(Object.keys(findingsOf(good, 'error'))).toEqual([])
    const goodFails = Object.values(findingsOf(good, 'fail'))
    expect(goodFails.every((f) => f.severity === 'info')).toBe(true)

    const camera = deviceNamed(report, 'legacy-camera')
    const failed = findingsOf(camera, 'fail')
    for (const id of [
      'tls.protocol.legacy-enabled',
      'tls.protocol.tls12-missing',
      'tls.cipher.null-or-export',
      'tls.kex.weak-dh',
      'tls.cert.weak-key',
      'tls.cert.weak-signature',
      'tls.cert.untrusted-chain',
      'ssh.kex.weak',
      'ssh.cipher.weak',
      'ssh.mac.weak',
      'ssh.hostkey.weak',
      'ssh.auth.password-only',
      'svc.banner.version-disclosure',
    ]) {
      expect(failed[id], id).toBeDefined()
    }
    // Every failed finding points at observations that exist in the report.
    const ids = new Set(camera.observations.map((o) => o.id))
    for (const f of Object.values(failed)) {
      expect(f.evidence.length).toBeGreaterThan(0)
      for (const e of f.evidence) expect(ids.has(e)).toBe(true)
    }
  })

  it('--json prints the report on stdout', async () => {
    const r = await runCli(['scan', '--lab', '--json', '-o', join(tmp, 'lab2.json')])
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout) as Report
    expectValidReport(report)
    expect(report.devices.map((d) => d.name).sort()).toEqual(['authz-sensor', 'default-router', 'good-gateway', 'legacy-camera', 'locking-camera', 'netgear-ap', 'old-nvr', 'open-door', 'open-router', 'portal-router', 'quirky-ssh', 'secure-admin', 'secure-sensor', 'strong-hub', 'webcam-http', 'zoo-dual-cert', 'zoo-flaky', 'zoo-hello-intolerant', 'zoo-slow', 'zoo-tls13-ccm', 'zoo-warning-alert', 'hardened-sensor', 'smart-plug', 'ip-camera', 'home-router'].sort())
  })
})

describe('scan --bundle with a signing key', () => {
  it('writes a signed evidence bundle that report verify accepts, and rejects once a byte changes', async () => {
    const {privateKey} = generateKeyPairSync('ed25519')
    const key = join(tmp, 'lab-ed25519.pem')
    writeFileSync(key, privateKey.export({type: 'pkcs8', format: 'pem'}))
    const dir = join(tmp, 'bundle')
    const r = await runCli(['scan', '--lab', '-o', join(tmp, 'b.json'), '--bundle', dir, '--sign-key', key, '--lab-name', 'Test Lab'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('Evidence bundle:')
    // Signed by a key without a certificate: the signature holds, the signer is unknown (exit 4, not 0).
    const ok = await runCli(['report', 'verify', dir])
    expect(ok.code).toBe(4)
    expect(ok.stderr).toMatch(/signature valid, signer UNKNOWN/)
    const reportFile = join(dir, 'report.json')
    writeFileSync(reportFile, readFileSync(reportFile, 'utf8').replace('good-gateway', 'good-gatewaX'))
    const bad = await runCli(['report', 'verify', dir])
    expect(bad.code).toBe(1)
    expect(bad.stdout + bad.stderr).toMatch(/report\.json/)
  }, 60_000)
})

describe('exit codes and bad input', () => {
  it('3 when the service is unreachable, with the reason in every finding', async () => {
    const r = await runCli(['scan', 'tls://127.0.0.1:1', '--json'])
    expect(r.code).toBe(3)
    const report = JSON.parse(r.stdout) as Report
    expectValidReport(report)
    expect(report.devices[0].verdict).toBe('incomplete')
    expect(report.devices[0].findings.every((f) => f.outcome === 'error' && /refused/.test(f.message))).toBe(true)
  })

  it('3 (not 0) when the profile selects no check for a service type: reported not_tested with the reason', async () => {
    // Every service type has a module now; a TLS-only profile leaves an HTTP service uncovered.
    const r = await runCli(['scan', 'http://127.0.0.1:80', '--profile', 'mozilla-intermediate', '--json'])
    expect(r.code).toBe(3)
    const report = JSON.parse(r.stdout) as Report
    expectValidReport(report)
    expect(report.devices[0].findings).toMatchObject([{check: 'scan.coverage', outcome: 'not_tested'}])
    expect(report.devices[0].findings[0].message).toMatch(/no check of profile mozilla-intermediate applies to http services .*the profile selects none of them/)
  })

  it.each([
    [['scan', 'tls://127.0.0.1:99999'], /port must be 1–65535/],
    [['scan', 'gopher://127.0.0.1'], /unknown scheme 'gopher'/],
    [['scan'], /no targets/],
    [['scan', 'tls://127.0.0.1:443', '--profile', 'no-such-profile'], /unknown profile 'no-such-profile'/],
    [['scan', 'tls://127.0.0.1:443', '--fail-on', 'huge'], /Expected --fail-on=huge to be one of/],
    [['checks', 'show', 'tls.cipher.rot13'], /unknown check 'tls.cipher.rot13'/],
  ])('exit 2 for %j', async (args, message) => {
    const r = await runCli(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  it('exit 2 when an SNMPv3 credential names an unset environment variable', async () => {
    const file = join(tmp, 'v3.yaml')
    writeFileSync(file, '- id: lab-admin\n  user: admin\n  authProtocol: sha\n  authKeyEnv: SG17SCAN_TEST_UNSET_KEY\n')
    const r = await runCli(['scan', 'snmp://127.0.0.1:1', '--snmp-v3-credentials', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('SG17SCAN_TEST_UNSET_KEY')
  })

  it('exit 2 for a broken profile, naming file, line and field', async () => {
    const file = join(tmp, 'broken.yaml')
    writeFileSync(file, 'id: broken\nversion: "1"\ntitle: B\ndescription: B\nthresholds:\n  minDhBits: weak\nchecks:\n  - family: tls\n')
    const r = await runCli(['scan', 'tls://127.0.0.1:443', '--profile', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${file}:6:3 /thresholds/minDhBits: must be integer`)
    const v = await runCli(['profiles', 'validate', file])
    expect(v.code).toBe(2)
    expect(v.stderr).toContain(`${file}:6:3`)
  })
})

describe('catalogue commands', () => {
  it('checks show prints condition and references; --json gives metadata', async () => {
    const r = await runCli(['checks', 'show', 'tls.cipher.weak', '--json'])
    expect(r.code).toBe(0)
    const meta = JSON.parse(r.stdout) as {id: string; references: {framework: string}[]}
    expect(meta.id).toBe('tls.cipher.weak')
    expect(meta.references.some((ref) => ref.framework === 'ITU-T')).toBe(true)
  })

  it('profiles list and show', async () => {
    const list = await runCli(['profiles', 'list', '--json'])
    expect(JSON.parse(list.stdout).map((p: {id: string}) => p.id)).toEqual(['en-18031-1', 'etsi-en-303-645', 'itu-t-x1352-baseline', 'itu-t-x1352', 'mozilla-intermediate', 'uk-psti'])
    const show = await runCli(['profiles', 'show', 'mozilla-intermediate'])
    expect(show.code).toBe(0)
    expect(show.stdout).toContain('tls.cipher.policy')
  })
})
