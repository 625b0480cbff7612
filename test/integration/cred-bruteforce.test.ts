/**
 * cred.bruteforce.unthrottled when a profile enables it: a service that answers N wrong logins at full speed
 * fails, one that locks out passes, one that accepts anything is inconclusive. The brute-force unit runs after
 * the service's default-credential attempts (per-service queue), so it cannot spoil them.
 */
import {readFileSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {Report} from '../../src/evidence/types.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {parseProfile} from '../../src/profiles/loader.js'
import {projectPath} from '../../src/util/paths.js'

let lab: RunningLab
let report: Report

beforeAll(async () => {
  const file = projectPath('profiles', 'itu-t-x1352-baseline.yaml')
  const text = readFileSync(file, 'utf8')
  const enabled = text.replace('  - id: cred.bruteforce.unthrottled\n    enabled: false\n', '  - id: cred.bruteforce.unthrottled\n')
  expect(enabled).not.toBe(text)
  const profile = parseProfile(Buffer.from(enabled.replace('bruteforceAttempts: 10', 'bruteforceAttempts: 6')), 'bruteforce-test.yaml')
  lab = await startLab({devices: ['default-router', 'open-door', 'locking-camera']})
  report = await scanDevices(lab.devices.map((d) => ({name: d.name, targets: d.targets, declared: d.declared})), {
    profile,
    intrusive: true,
    timeoutMs: 2000,
    loginDelayMs: 20,
  })
}, 120_000)

afterAll(async () => {
  await lab?.stop()
})

const outcome = (device: string, check: string, protocol: string) =>
  report.devices.find((d) => d.name === device)!.findings.find((f) => f.check === check && f.service.startsWith(`${protocol}://`))?.outcome

describe('cred.bruteforce.unthrottled', () => {
  it('fails on services that answer every wrong login at once', () => {
    expect(outcome('default-router', 'cred.bruteforce.unthrottled', 'ssh')).toBe('fail')
    expect(outcome('default-router', 'cred.bruteforce.unthrottled', 'telnet')).toBe('fail')
    expect(outcome('default-router', 'cred.bruteforce.unthrottled', 'http')).toBe('fail')
  })

  it('passes a service that locks out, and the default test before it still ran', () => {
    expect(outcome('locking-camera', 'cred.bruteforce.unthrottled', 'telnet')).toBe('pass')
    expect(outcome('default-router', 'cred.default.ssh', 'ssh')).toBe('fail')
  })

  it('is inconclusive on a service that accepts anything', () => {
    expect(outcome('open-door', 'cred.bruteforce.unthrottled', 'telnet')).toBe('inconclusive')
  })
})
