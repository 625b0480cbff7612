/** SSH login proof over keyboard-interactive (a device that offers no `password` method): the right password is
 *  accepted, a wrong one rejected, against the lab's ssh2 server. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {StartedDevice} from '../../src/lab/devices/types.js'
import {startLoginSsh} from '../../src/lab/login-services.js'
import {sshLoginMethod} from '../../src/probes/cred/ssh-login.js'
import {makeProbeContext} from '../helpers/probe-context.js'

let device: StartedDevice
let port: number

beforeAll(async () => {
  device = await startLoginSsh({accept: (u, p) => u === 'root' && p === 'kbd-secret-42', keyboardInteractive: true}, '127.0.0.1', 0)
  port = Number(new URL(device.targets[0]!).port)
})

afterAll(async () => {
  await device?.stop()
})

describe('SSH keyboard-interactive login', () => {
  it('accepts the right password and rejects a wrong one', async () => {
    const ctx = makeProbeContext(port, {timeoutMs: 3000})
    ctx.service = {...ctx.service, id: `ssh://127.0.0.1:${port}`, protocol: 'ssh'}
    const method = sshLoginMethod(ctx)
    expect((await method.attempt('root', 'wrong')).result).toBe('rejected')
    expect((await method.attempt('root', 'kbd-secret-42')).result).toBe('accepted')
  })
})
