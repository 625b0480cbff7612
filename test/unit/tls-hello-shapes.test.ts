/** The hello shapes of the fallback ladder (issue 10 item 1): sizes, suite limits, extensions. */
import {describe, expect, it} from 'vitest'

import {buildClientHello, EXT} from '../../src/probes/tls/clienthello.js'
import {suitesForProtocol} from '../../src/probes/tls/enumerate.js'
import {buildShapedHello, maxPerHello, SHAPE_LADDER, sizeClassOf, type HelloRequest} from '../../src/probes/tls/hello-shapes.js'

/** Extension types of a TLS ≤1.2 ClientHello record (none when it has no extensions block). */
function extensionTypes(rec: Buffer): number[] {
  const b = rec.subarray(9)
  let p = 34
  p += 1 + b[p]!
  p += 2 + b.readUInt16BE(p)
  p += 1 + b[p]!
  if (p >= b.length) return []
  const end = p + 2 + b.readUInt16BE(p)
  p += 2
  const out: number[] = []
  while (p < end) {
    out.push(b.readUInt16BE(p))
    p += 4 + b.readUInt16BE(p + 2)
  }
  return out
}

function suiteCount(rec: Buffer): number {
  const b = rec.subarray(9)
  let p = 34
  p += 1 + b[p]!
  return b.readUInt16BE(p) / 2
}

const LONG_NAME = 'a-rather-long-device-name.factory-floor.example-manufacturer.internal'

describe('hello shapes', () => {
  for (const protocol of ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
    it(`${protocol}: no shape sends a hello in the 256–511-byte window`, () => {
      const all = suitesForProtocol(protocol)
      for (const shape of SHAPE_LADDER) {
        for (const targetName of ['192.0.2.1', LONG_NAME]) {
          const req: HelloRequest = {protocol, suites: all, targetName, deflate: protocol !== 'TLSv1.3'}
          const max = maxPerHello(shape, req, 'suites', all)
          for (let i = 0; i < all.length; i += max) {
            const hello = buildShapedHello(shape, {...req, suites: all.slice(i, i + max)})
            expect({shape, protocol, cls: sizeClassOf(hello)}).not.toEqual({shape, protocol, cls: 'window'})
          }
        }
      }
    })
  }

  it('SSLv3 hellos (no extensions, no padding) stay under 256 bytes', () => {
    const all = suitesForProtocol('SSLv3')
    const req: HelloRequest = {protocol: 'SSLv3', suites: all, deflate: true}
    const max = maxPerHello('full', req, 'suites', all)
    expect(max).toBeLessThan(all.length)
    expect(buildShapedHello('full', {...req, suites: all.slice(0, max)}).length).toBeLessThanOrEqual(255)
  })

  it('chunks-64 offers at most 64 suites; small and bare stay under 256 bytes', () => {
    const all = suitesForProtocol('TLSv1.2')
    const req: HelloRequest = {protocol: 'TLSv1.2', suites: all, targetName: LONG_NAME, deflate: true}
    expect(maxPerHello('chunks-64', req, 'suites', all)).toBe(64)
    expect(suiteCount(buildShapedHello('full', req))).toBe(all.length)
    for (const shape of ['small', 'bare'] as const) {
      const max = maxPerHello(shape, req, 'suites', all)
      expect(max).toBeGreaterThan(10)
      expect(buildShapedHello(shape, {...req, suites: all.slice(0, max)}).length).toBeLessThanOrEqual(255)
    }
  })

  it('bare hellos carry no extension; small ones no padding', () => {
    const req: HelloRequest = {protocol: 'TLSv1.2', suites: [0x2f, 0x35], targetName: 'device.example'}
    expect(extensionTypes(buildShapedHello('bare', req))).toEqual([])
    const small = extensionTypes(buildShapedHello('small', req))
    expect(small).toContain(EXT.serverName)
    expect(small).not.toContain(EXT.padding)
  })

  it('TLS 1.0/1.1 hellos carry no signature_algorithms (RFC 5246 §7.4.1.4.1); TLS 1.2 ones do', () => {
    for (const version of ['TLSv1.0', 'TLSv1.1'] as const) {
      expect(extensionTypes(buildClientHello({version, cipherSuites: [0x2f]}))).not.toContain(EXT.signatureAlgorithms)
    }
    expect(extensionTypes(buildClientHello({version: 'TLSv1.2', cipherSuites: [0x2f]}))).toContain(EXT.signatureAlgorithms)
  })
})
