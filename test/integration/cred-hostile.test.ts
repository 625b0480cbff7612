/**
 * The credential unit against hostile targets (garbage, silence, resets, endless data) on every login protocol:
 * a `cred.attempts` observation with an error and a reason, well within the unit's budget — never a crash or a
 * hang — and no candidate is ever tried when the negative control could not complete.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runUnit} from '../../src/engine/run-unit.js'
import {Semaphore} from '../../src/engine/semaphore.js'
import {credProbeUnit} from '../../src/probes/cred/unit.js'
import {HOSTILE_SERVERS, type HostileServerName, type RunningHostileServer} from '../fixtures/hostile-servers.js'

const TIMEOUT_MS = 800
const NAMES: HostileServerName[] = ['garbage', 'silent', 'reset', 'endless']
const running = new Map<HostileServerName, RunningHostileServer>()

beforeAll(async () => {
  for (const name of NAMES) running.set(name, await HOSTILE_SERVERS[name].start())
})

afterAll(async () => {
  await Promise.all([...running.values()].map((s) => s.stop()))
})

describe.each(['ssh', 'telnet', 'http'] as const)('cred unit over %s', (protocol) => {
  it.each(NAMES)('%s → error observation within the bound', async (name) => {
    const port = running.get(name)!.port
    const started = Date.now()
    const [obs] = await runUnit(credProbeUnit, {
      service: {id: `${protocol}://127.0.0.1:${port}`, protocol, host: '127.0.0.1', port, transport: 'tcp'},
      targetName: '127.0.0.1',
      timeoutMs: TIMEOUT_MS,
      budgetMs: 12 * TIMEOUT_MS,
      semaphore: new Semaphore(2),
      stats: {connections: 0},
      caCertificates: [],
      intrusive: true,
      now: () => new Date(),
      log: () => {},
    })
    // Generous hang guard: the unit's own budget is 12 × the timeout.
    expect(Date.now() - started).toBeLessThan(4 * 12 * TIMEOUT_MS)
    expect(obs!.probe).toBe('cred.attempts')
    if (obs!.error) expect(obs!.error.code).not.toBe('internal')
    if (obs!.error) {
      expect(obs!.error.message.length).toBeGreaterThan(5)
    } else {
      // An HTTP peer that never speaks HTTP has no login to test: nothing tried, nothing claimed.
      expect(obs!.data).toMatchObject({mechanism: 'none', attempts: []})
    }
  }, 60_000)
})
