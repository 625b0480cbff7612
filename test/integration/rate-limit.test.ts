import {createServer, type Server} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeConnector} from '../../src/engine/connector.js'
import {RateLimiter} from '../../src/engine/rate-limiter.js'
import {Semaphore} from '../../src/engine/semaphore.js'

let server: Server
let port: number
const arrivals: number[] = []

beforeAll(async () => {
  server = createServer((socket) => {
    arrivals.push(performance.now())
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as {port: number}).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('global connection rate limit', () => {
  it('keeps new connections per second at most rate + 1 across many devices, and counts them', async () => {
    const rate = new RateLimiter(10)
    const stats = {connections: 0}
    const signal = new AbortController().signal
    // 6 "devices" (own per-device semaphore each) opening 4 connections each, all at once.
    await Promise.all(
      Array.from({length: 6}, async () => {
        const connect = makeConnector({host: '127.0.0.1', defaultPort: port, timeoutMs: 5000, signal, semaphore: new Semaphore(2), stats, open: new Set(), rate})
        await Promise.all(
          Array.from({length: 4}, async () => {
            const socket = await connect()
            await new Promise((r) => socket.once('close', r))
          }),
        )
      }),
    )
    for (let i = 0; i < 100 && arrivals.length < 24; i++) await new Promise((r) => setTimeout(r, 20))
    expect(stats.connections).toBe(24)
    expect(rate.granted).toBe(24)
    expect(rate.delayed).toBeGreaterThanOrEqual(20)
    expect(arrivals).toHaveLength(24)
    arrivals.sort((a, b) => a - b)
    for (const start of arrivals) {
      const inWindow = arrivals.filter((t) => t >= start && t < start + 1000).length
      expect(inWindow).toBeLessThanOrEqual(10 + 1)
    }
  })

  it('gives up waiting when the probe is aborted', async () => {
    const rate = new RateLimiter(1)
    await rate.acquire()
    const controller = new AbortController()
    const waiting = rate.acquire(controller.signal)
    controller.abort(new Error('budget'))
    await expect(waiting).rejects.toThrow('budget')
    expect(() => new RateLimiter(0)).toThrow(RangeError)
  })
})
