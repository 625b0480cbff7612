import {once} from 'node:events'
import {createServer, connect, type Socket, type AddressInfo} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {StreamReader} from '../../src/probes/cleartext/stream.js'

/** A loopback pair: the server side socket and a StreamReader on the client side. */
async function pair(): Promise<{server: Socket; reader: StreamReader; close: () => Promise<void>}> {
  const srv = createServer()
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  const port = (srv.address() as AddressInfo).port
  const client = connect(port, '127.0.0.1')
  const [[server]] = await Promise.all([once(srv, 'connection') as Promise<[Socket]>, once(client, 'connect')])
  const reader = new StreamReader(client)
  return {
    server,
    reader,
    close: async () => {
      reader.close()
      server.destroy()
      await new Promise((r) => srv.close(r))
    },
  }
}

function busyWait(ms: number): void {
  const end = Date.now() + ms
  while (Date.now() < end) {
    /* a stalled event loop, as under a loaded CI machine */
  }
}

describe('StreamReader.wait', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => close?.())

  it('reports data that arrived while our own event loop was stalled past the wait, not a timeout', async () => {
    const p = await pair()
    close = p.close
    const waiting = p.reader.wait(50)
    p.server.write('.')
    busyWait(200)
    expect(await waiting).toBe('data')
    expect(p.reader.takeAll().toString()).toBe('.')
  })

  it('times out when the peer really is quiet', async () => {
    const p = await pair()
    close = p.close
    expect(await p.reader.wait(30)).toBe('timeout')
  })

  it('reports the peer closing', async () => {
    const p = await pair()
    close = p.close
    const waiting = p.reader.wait(5000)
    p.server.end()
    expect(await waiting).toBe('closed')
  })
})
