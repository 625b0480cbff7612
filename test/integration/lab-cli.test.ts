import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {runCli} from '../helpers/cli.js'
import {expectValidReport} from '../helpers/report.js'

describe('lab start --detach / scan / lab stop across processes', () => {
  it('serves the lab from a background process that another process scans, then stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg17scan-lab-'))
    const stateFile = join(dir, 'lab.json')
    const start = await runCli(['lab', 'start', '--detach', '--base-port', '0', '--state-file', stateFile, '--json'])
    expect(start.code).toBe(0)
    const state = JSON.parse(start.stdout) as {pid: number; caFile: string; devices: {name: string; targets: string[]}[]}
    try {
      expect(state.devices.map((d) => d.name)).toEqual(['good-gateway', 'legacy-camera', 'open-router', 'old-nvr', 'secure-sensor', 'default-router', 'netgear-ap', 'open-door', 'strong-hub', 'locking-camera', 'webcam-http', 'secure-admin', 'portal-router', 'quirky-ssh', 'authz-sensor', 'zoo-hello-intolerant', 'zoo-flaky', 'zoo-slow', 'zoo-warning-alert', 'zoo-tls13-ccm', 'zoo-dual-cert', 'smart-plug', 'hardened-sensor', 'ip-camera', 'home-router'])
      expect(existsSync(state.caFile)).toBe(true)
      const gateway = state.devices[0]
      const scan = await runCli(['scan', ...gateway.targets, '--ca', state.caFile, '--json'])
      expect(scan.code).toBe(0)
      const report = JSON.parse(scan.stdout) as Report
      expectValidReport(report)
      expect(report.devices[0].verdict).toBe('pass')
      const again = await runCli(['lab', 'start', '--state-file', stateFile])
      expect(again.code).toBe(2)
      expect(again.stderr).toMatch(/already running/)
    } finally {
      const stop = await runCli(['lab', 'stop', '--state-file', stateFile])
      expect(stop.code).toBe(0)
      expect(stop.stdout).toMatch(/stopped/)
    }
    expect(existsSync(stateFile)).toBe(false)
    expect(() => process.kill(state.pid, 0)).toThrow()
  }, 60_000)
})
