/** Self-test of the hostile fixture servers (test/fixtures/hostile-servers.ts) with plain sockets. */
import {createConnection, createServer, type Socket} from 'node:net'
import {connect} from 'node:tls'

import {describe, expect, it} from 'vitest'

import {HOSTILE_SERVERS, endlessServer, hugeChainMessages, offeredSuites} from '../fixtures/hostile-servers.js'

/** A real ClientHello from node:tls (TLS 1.2 max), captured on a throwaway listener. */
async function captureClientHello(): Promise<Buffer> {
  return new Promise((resolve) => {
    const server = createServer((socket) =>
      socket.once('data', (data: Buffer) => {
        resolve(data)
        socket.destroy()
        server.close()
      }),
    )
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (address === null || typeof address === 'string') throw new Error('no port')
      connect({host: '127.0.0.1', port: address.port, rejectUnauthorized: false, maxVersion: 'TLSv1.2'}).on('error', () => {})
    })
  })
}

/** Sends `payload`, collects the reply until close/timeout/limit. */
function exchange(port: number, payload: Buffer, {timeoutMs = 1000, limit = Infinity} = {}) {
  return new Promise<{bytes: Buffer; how: 'close' | 'timeout' | 'reset' | 'limit'}>((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const socket: Socket = createConnection({host: '127.0.0.1', port}, () => socket.write(payload))
    const finish = (how: 'close' | 'timeout' | 'reset' | 'limit') => {
      clearTimeout(timer)
      socket.destroy()
      resolve({bytes: Buffer.concat(chunks), how})
    }
    const timer = setTimeout(() => finish('timeout'), timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      if (size >= limit) finish('limit')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNRESET' ? 'reset' : 'close'))
    socket.on('close', () => finish('close'))
  })
}

describe('hostile fixture servers', () => {
  it('garbage answers with non-TLS bytes and closes', async () => {
    const server = await HOSTILE_SERVERS.garbage.start()
    try {
      const reply = await exchange(server.port, await captureClientHello())
      expect(reply.how).toBe('close')
      expect(reply.bytes.length).toBeGreaterThan(0)
      expect(reply.bytes[0]).not.toBe(0x16)
    } finally {
      await server.stop()
    }
  })

  it('silent never answers', async () => {
    const server = await HOSTILE_SERVERS.silent.start()
    try {
      const reply = await exchange(server.port, await captureClientHello(), {timeoutMs: 300})
      expect(reply).toMatchObject({how: 'timeout', bytes: Buffer.alloc(0)})
    } finally {
      await server.stop()
    }
  })

  it('reset resets after the ClientHello', async () => {
    const server = await HOSTILE_SERVERS.reset.start()
    try {
      expect((await exchange(server.port, await captureClientHello())).how).toBe('reset')
    } finally {
      await server.stop()
    }
  })

  it('huge-chain sends a ServerHello for an offered suite and ~1 MB of Certificate records', async () => {
    const hello = await captureClientHello()
    const offer = offeredSuites(hello)
    const messages = hugeChainMessages(hello)
    expect(offer?.suites).toContain(messages?.suite)
    expect(messages?.certificateMessage.length).toBeGreaterThan(1024 * 1024)
    const server = await HOSTILE_SERVERS['huge-chain'].start()
    try {
      const reply = await exchange(server.port, hello, {timeoutMs: 5000})
      expect(reply.how).toBe('close')
      expect(reply.bytes.length).toBeGreaterThan(1024 * 1024)
      // Walk the records: all handshake records of ≤ 16 KB; the first carries a ServerHello.
      let offset = 0
      let records = 0
      while (offset < reply.bytes.length) {
        expect(reply.bytes[offset]).toBe(0x16)
        const length = reply.bytes.readUInt16BE(offset + 3)
        expect(length).toBeLessThanOrEqual(16_384)
        offset += 5 + length
        records += 1
      }
      expect(offset).toBe(reply.bytes.length)
      expect(records).toBeGreaterThan(60)
      expect(reply.bytes[5]).toBe(0x02)
      expect(reply.bytes.readUInt16BE(5 + 4 + 2 + 32 + 1 + (offer?.sessionId.length ?? 0))).toBe(messages?.suite)
    } finally {
      await server.stop()
    }
  })

  it('endless streams TLS records until the client gives up, and stop() ends it', async () => {
    const server = await endlessServer().start()
    try {
      const reply = await exchange(server.port, Buffer.from('hi'), {limit: 4 * 1024 * 1024, timeoutMs: 5000})
      expect(reply.how).toBe('limit')
      expect(reply.bytes[0]).toBe(0x16)
      expect(reply.bytes.readUInt16BE(1)).toBe(0x0303)
    } finally {
      await server.stop()
    }
    expect(server.connections()).toBe(1)
  })
})
