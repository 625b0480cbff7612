import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scan} from '../../src/index.js'
import {HOSTILE_SERVERS, type HostileServerName, type RunningHostileServer} from '../fixtures/hostile-servers.js'
import {expectValidReport} from '../helpers/report.js'

const TIMEOUT_MS = 1000
const running = new Map<HostileServerName, RunningHostileServer>()

beforeAll(async () => {
  for (const [name, server] of Object.entries(HOSTILE_SERVERS) as [HostileServerName, (typeof HOSTILE_SERVERS)[HostileServerName]][]) {
    running.set(name, await server.start())
  }
})

afterAll(async () => {
  await Promise.all([...running.values()].map((s) => s.stop()))
})

// A hostile or broken target yields `error` findings with a reason, never a crash or a hang past the budget.
describe.each([
  ['garbage', /not-tls|not TLS/i],
  ['silent', /timeout|no response/i],
  ['reset', /reset/i],
  ['huge-chain', /oversized|exceeds|too large/i],
  ['endless', /oversized|exceeds|not-tls|too large|budget|timeout/i],
] as const)('hostile target: %s', (name, reason) => {
  it('gives error findings with a reason and an incomplete verdict', async () => {
    const port = running.get(name)!.port
    const report = await scan({targets: [`tls://127.0.0.1:${port}`], timeoutMs: TIMEOUT_MS})
    expectValidReport(report)
    const device = report.devices[0]
    expect(device.verdict).toBe('incomplete')
    expect(report.summary.exitCode).toBe(3)
    const errors = device.findings.filter((f) => f.outcome === 'error')
    expect(errors.length).toBeGreaterThan(0)
    for (const f of errors) expect(f.message).toMatch(reason)
    // Nothing is judged pass on a target that never completed a handshake.
    expect(device.findings.filter((f) => f.outcome === 'pass')).toEqual([])
    const failed = device.observations.filter((o) => o.error)
    expect(failed.length).toBeGreaterThan(0)
  }, 30_000)
})
