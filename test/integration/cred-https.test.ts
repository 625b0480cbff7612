/** HTTP Basic login over TLS (an `https://` service): the credential unit wraps ctx.connect() sockets in TLS and
 *  proves a login by 401 → 200, with the negative control rejected first. */
import {createServer} from 'node:https'
import type {AddressInfo} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {AttemptBudget} from '../../src/probes/cred/budget.js'
import {selectCandidates} from '../../src/probes/cred/dataset.js'
import {runLoginLoop} from '../../src/probes/cred/engine.js'
import {discoverHttpLogin, httpLoginMethod} from '../../src/probes/cred/http-login.js'
import {issueLeaf} from '../../src/lab/ca.js'
import {makeProbeContext} from '../helpers/probe-context.js'

let server: ReturnType<typeof createServer>
let port: number

beforeAll(async () => {
  const leaf = issueLeaf({purpose: 'cred-https-test', commonName: 'localhost', days: 30})
  server = createServer({cert: leaf.certPem, key: leaf.keyPem}, (req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('admin:admin').toString('base64')}`
    res.writeHead(ok ? 200 : 401, ok ? {} : {'www-authenticate': 'Basic realm="tls-admin"'})
    res.end(ok ? 'admin page' : 'no')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
}, 60_000)

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('credential test over https', () => {
  it('finds the generic-top pair behind Basic auth over TLS', async () => {
    const ctx = makeProbeContext(port, {timeoutMs: 3000, protocol: 'https'})
    const mechanism = await discoverHttpLogin(ctx)
    expect(mechanism).toMatchObject({kind: 'basic'})
    if (mechanism.kind === 'none') throw new Error('no login found')
    const candidates = selectCandidates({lists: ['generic-top'], maxPerList: 5}, 'https', {})
    const data = await runLoginLoop(httpLoginMethod(ctx, mechanism), candidates, {
      delayMs: 0, budget: new AttemptBudget(5), lists: ['generic-top'], now: () => new Date(), signal: ctx.signal,
    })
    expect(data.negativeControl.result).toBe('rejected')
    expect(data.stoppedBy).toBe('success')
    expect(data.success?.username).toBe('admin')
  })
})
