/**
 * Pacing for small agents (issue 10 item 12): an agent whose receive buffer holds 16 datagrams, drained at one per
 * 2 ms (test/fixtures/snmp-small-buffer-agent.mjs, a process of its own), answering the community `public` only,
 * placed 40th in a 100-string list. Before: 50 requests in flight at once with 0 retries — the burst overflows the
 * buffer and `public` is dropped unseen. Now: one datagram per 4 ms, nothing dropped, `public` found.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {createInterface} from 'node:readline'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnmpCommunitiesData} from '../../src/probes/snmp/types.js'
import {createSnmpProbeUnit} from '../../src/probes/snmp/unit.js'
import {projectPath} from '../../src/util/paths.js'
import {makeSnmpContext} from '../helpers/snmp-context.js'

let agent: ChildProcess
let port = 0
const lines: string[] = []
let waiter: ((line: string) => void) | undefined
const nextLine = () => new Promise<string>((resolve) => (lines.length ? resolve(lines.shift()!) : (waiter = resolve)))

beforeAll(async () => {
  agent = spawn(process.execPath, [projectPath('test', 'fixtures', 'snmp-small-buffer-agent.mjs'), 'public', '16', '2'], {stdio: ['pipe', 'pipe', 'inherit']})
  createInterface({input: agent.stdout!}).on('line', (line) => {
    if (waiter) {
      const w = waiter
      waiter = undefined
      w(line)
    } else lines.push(line)
  })
  port = Number((await nextLine()).split(' ')[1])
})

afterAll(async () => {
  if (agent.exitCode === null) {
    const exited = new Promise((resolve) => agent.once('exit', resolve))
    agent.stdin!.end()
    await exited
  }
})

describe('a small agent with a 16-datagram receive buffer', () => {
  it('gets no burst it would drop, and its community is found', async () => {
    const communities = Array.from({length: 100}, (_, i) => ({id: `lab-${i + 1}`, community: i === 39 ? 'public' : `wrong-${i}`}))
    const emissions = await createSnmpProbeUnit({communities, maxCommunities: 100, v3Users: []}).run(makeSnmpContext(port, {timeoutMs: 500}))
    const data = emissions.find((e) => e.probe === 'snmp.communities')!.data as unknown as SnmpCommunitiesData
    agent.stdin!.write('stats\n')
    const [, received, dropped] = (await nextLine()).split(' ').map(Number)
    expect(received).toBeGreaterThanOrEqual(200)
    expect(dropped).toBe(0)
    expect(data.accepted.map((a) => `${a.credentialId}/${a.version}`)).toEqual(['lab-40/v1', 'lab-40/v2c'])
  })
})
