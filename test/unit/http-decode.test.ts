/** Bounded Content-Encoding decoding: round trips, a real gzip bomb stopped at the limit, damaged input. */
import {brotliCompressSync, deflateRawSync, deflateSync, gzipSync} from 'node:zlib'

import {describe, expect, it} from 'vitest'

import {decodeBody} from '../../src/probes/http/decode.js'

const TEXT = Buffer.from('<html><title>hello</title></html>'.repeat(100))

describe('decodeBody', () => {
  it.each([
    ['gzip', gzipSync(TEXT)],
    ['deflate', deflateSync(TEXT)],
    ['deflate', deflateRawSync(TEXT)],
    ['br', brotliCompressSync(TEXT)],
    ['identity', TEXT],
    ['', TEXT],
  ] as const)('%s round trip', async (encoding, raw) => {
    const d = await decodeBody(raw, encoding, 1 << 20)
    expect(d.error).toBeUndefined()
    expect(d.truncated).toBe(false)
    expect(d.body.equals(TEXT)).toBe(true)
  })

  it('stops a gzip bomb (64 MiB of zeros in ~64 KiB) at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), {level: 9})
    expect(bomb.length).toBeLessThan(128 * 1024)
    const before = process.memoryUsage().arrayBuffers
    const d = await decodeBody(bomb, 'gzip', 1024 * 1024)
    expect(d.truncated).toBe(true)
    expect(d.body.length).toBe(1024 * 1024)
    // Far less than the 64 MiB the bomb expands to (loose: other allocations share the counter).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024)
  })

  it('stops a nested bomb (gzip inside gzip) at the limit too', async () => {
    const inner = gzipSync(Buffer.alloc(16 * 1024 * 1024))
    const d = await decodeBody(gzipSync(inner), 'gzip, gzip', 1024 * 1024)
    expect(d.truncated).toBe(true)
    expect(d.body.length).toBe(1024 * 1024)
  })

  it('returns what decodes from a body cut short (a body stopped at the wire limit)', async () => {
    const big = Buffer.from(Array.from({length: 20_000}, (_, i) => `line ${i}\n`).join(''))
    const cut = gzipSync(big).subarray(0, 20_000)
    const d = await decodeBody(cut, 'gzip', 1 << 20)
    expect(d.body.length).toBeGreaterThan(0)
    expect(d.body.length).toBeLessThan(big.length)
    expect(big.subarray(0, d.body.length).equals(d.body)).toBe(true)
  })

  it('names the reason when the data is not gzip at all', async () => {
    const d = await decodeBody(Buffer.from('definitely not gzip data'), 'gzip', 1 << 20)
    expect(d.error).toMatch(/gzip decoding failed/)
    expect(d.truncated).toBe(false)
  })

  it('names an unsupported coding', async () => {
    expect((await decodeBody(TEXT, 'compress', 1 << 20)).error).toBe('unsupported content-encoding compress')
  })
})
