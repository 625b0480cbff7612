import {describe, expect, it} from 'vitest'

import {credentialDataset, selectCandidates} from '../../src/probes/cred/dataset.js'
import {classifyConnack} from '../../src/probes/cred/mqtt-login.js'
import {DEFAULT_CREDENTIAL_THRESHOLDS} from '../../src/profiles/thresholds.js'

describe('MQTT login outcomes from the CONNACK', () => {
  it('reads 3.1.1 return codes 4/5 and 5.0 reasons 0x86/0x87 as rejections, 0 as a login', () => {
    expect(classifyConnack({version: '3.1.1', result: 'accepted', code: 0}).result).toBe('accepted')
    for (const code of [4, 5]) expect(classifyConnack({version: '3.1.1', result: 'refused', code}).result).toBe('rejected')
    for (const code of [0x86, 0x87]) expect(classifyConnack({version: '5.0', result: 'refused', code}).result).toBe('rejected')
  })

  it('reads a ban or quota as a lockout, other refusals and silence as errors (refusals and closes as lockout signs)', () => {
    expect(classifyConnack({version: '5.0', result: 'refused', code: 0x8a})).toMatchObject({result: 'locked'})
    expect(classifyConnack({version: '3.1.1', result: 'refused', code: 3})).toMatchObject({result: 'error'})
    expect(classifyConnack({version: '5.0', result: 'refused', code: 0x86 + 0x100}).result).toBe('error')
    expect(classifyConnack({version: '3.1.1', result: 'error', connectError: 'refused', reason: 'x'})).toMatchObject({result: 'error', refused: true})
    expect(classifyConnack({version: '3.1.1', result: 'error', reason: 'the broker closed the connection without a CONNACK'})).toMatchObject({refused: true})
    expect(classifyConnack({version: '3.1.1', result: 'error', reason: 'no CONNACK within 2000 ms'}).refused).toBeUndefined()
  })
})

describe('MQTT candidates', () => {
  it('draws on the device-default lists (SecLists has no MQTT file) under the same caps, mqtts like mqtt', () => {
    const policy = {lists: DEFAULT_CREDENTIAL_THRESHOLDS.lists, maxPerList: 20}
    const mqtt = selectCandidates(policy, 'mqtt', {})
    expect(selectCandidates(policy, 'mqtts', {}).map((c) => c.id)).toEqual(mqtt.map((c) => c.id))
    const ssh = selectCandidates(policy, 'ssh', {})
    // The ssh-better head is the same: a broker is tried with the defaults devices ship.
    expect(mqtt.slice(0, 20).map((c) => c.id)).toEqual(ssh.slice(0, 20).map((c) => c.id))
    expect(mqtt.length).toBeGreaterThan(20)
    const admin = mqtt.find((c) => c.username === 'admin' && c.password === 'admin')!
    expect(mqtt.indexOf(admin)).toBeLessThan(DEFAULT_CREDENTIAL_THRESHOLDS.attemptBudget)
    expect(admin.lists).toEqual(expect.arrayContaining(['ssh-better', 'mirai', 'generic-top']))
    expect(credentialDataset().rows.get(admin.id)!.protocols).not.toContain('mqtt')
  })
})
