/** The CLI surface of the whole-standard profiles and the declaration (built CLI, as a user runs it). */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {runCli} from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'sg17-req-cli-'))
let lab: RunningLab
beforeAll(async () => {
  lab = await startLab({devices: ['good-gateway']})
})
afterAll(async () => {
  await lab?.stop()
})

describe('whole-standard profiles and declarations on the command line', () => {
  it('profiles show ID --requirements prints the coverage and every requirement', async () => {
    const r = await runCli(['profiles', 'show', 'etsi-en-303-645', '--requirements'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Coverage: 68 requirements, 16 network-testable, 12 decided by checks (32 mandatory, 35 recommended)')
    expect(r.stdout).toMatch(/5\.1-1\s+mandatory\s+password-scheme/)
    expect(r.stdout).toMatch(/6-5\s+mandatory\s+documentation/)
  })

  it('profiles validate rejects a requirement without a rule: exit 2, file:line and field', async () => {
    const file = join(dir, 'norule.yaml')
    writeFileSync(file, 'id: t\nversion: "1"\ntitle: T\ndescription: D\nstandard: {name: S, source: here}\nchecks:\n  - family: tls\nrequirements:\n  - id: R-1\n    title: no rule\n')
    const r = await runCli(['profiles', 'validate', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${file}:9:5 /requirements/0/rule: must have required property 'rule'`)
  })

  it('a bad declaration exits 2 naming file:line:field before any network I/O', async () => {
    const file = join(dir, 'bad.yaml')
    writeFileSync(file, 'identity: {vendor: Acme}\naccounts: {passwordScheme: factory-default}\n')
    const r = await runCli(['scan', 'tls://127.0.0.1:9', '--declaration', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${file}:2:12 /accounts/passwordScheme: must be equal to one of the allowed values (one of: unique-per-device, user-set-at-first-use, none)`)
  })

  it('scan --declaration records the declaration and writes the requirement verdicts (JSON, requirements CSV)', async () => {
    const gw = lab.devices[0]!
    const ports = gw.targets.map((t) => /^([a-z]+):\/\/[^/]+:(\d+)$/.exec(t)!)
    const file = join(dir, 'gw.yaml')
    writeFileSync(
      file,
      [
        'identity: {vendor: sg17scan lab, model: good-gateway}',
        'accounts: {passwordScheme: none}',
        'services:',
        ...ports.map((m) => `  - {port: ${m[2]}, transport: tcp, protocol: ${m[1]}, purpose: admin, enabledByDefault: true}`),
        'claims:',
        '  - {standard: ETSI EN 303 645, requirement: 5.3-14, support: not_applicable, justification: not a constrained device}',
      ].join('\n'),
    )
    const ca = join(dir, 'ca.pem')
    writeFileSync(ca, lab.caPem)
    const json = join(dir, 'gw.json')
    const csv = join(dir, 'gw.requirements.csv')
    const r = await runCli(['scan', ...gw.targets, '--device-name', 'good-gateway', '--profile', 'etsi-en-303-645', '--declaration', file, '--ca', ca, '-o', json, '-o', csv])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Requirements \(ETSI EN 303 645\): 0 fail, /)
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report
    const device = report.devices[0]!
    expect(device.declaration).toMatchObject({source: file, identity: {model: 'good-gateway'}})
    expect(device.requirements!.find((x) => x.id === '5.3-14')).toMatchObject({verdict: 'not_applicable', decidedBy: {declaration: ['claims[0]']}})
    expect(device.requirements!.find((x) => x.id === '5.5-1')!.verdict).toBe('pass')
    // The declared identity reaches the identity check (the lab certificate names the vendor and model).
    expect(device.findings.find((f) => f.check === 'identity.declared-mismatch')!.outcome).toBe('pass')
    expect(readFileSync(csv, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(1 + 68)
  }, 60_000)
})
