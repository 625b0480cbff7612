import {describe, expect, it} from 'vitest'

import {AdaptiveTimeout} from '../../src/engine/ports/adaptive-timeout.js'
import {formatPortRanges, parsePortSpec, validatePortSpec} from '../../src/engine/ports/port-spec.js'
import {portsObservation} from '../../src/engine/discovery.js'
import {ConfigError} from '../../src/profiles/errors.js'

describe('port lists (--ports, profile tcpPorts)', () => {
  it('reads ranges, lists, open-ended ranges and "all"', () => {
    expect(parsePortSpec('22,80,443')).toEqual([22, 80, 443])
    expect(parsePortSpec(' 8080, 1-3 ,2')).toEqual([1, 2, 3, 8080])
    expect(parsePortSpec('65530-')).toEqual([65530, 65531, 65532, 65533, 65534, 65535])
    expect(parsePortSpec('-3')).toEqual([1, 2, 3])
    expect(parsePortSpec('1-65535')).toHaveLength(65535)
    expect(parsePortSpec('all')).toHaveLength(65535)
    expect(parsePortSpec('-')).toHaveLength(65535)
  })

  it('rejects bad items naming the source and the item', () => {
    expect(() => parsePortSpec('22,http')).toThrow(ConfigError)
    expect(() => parsePortSpec('22,http')).toThrow(/--ports: 'http'/)
    expect(() => parsePortSpec('0-10', 'profile p thresholds.tcpPorts')).toThrow(/profile p thresholds.tcpPorts: port 0/)
    expect(() => parsePortSpec('70000')).toThrow(/outside 1–65535/)
    expect(() => parsePortSpec('90-80')).toThrow(/backwards/)
    expect(() => parsePortSpec('')).toThrow(/empty/)
  })

  it('expands overlapping and unordered items once each, in order', () => {
    expect(parsePortSpec('5-7,1,6-9,3,1')).toEqual([1, 3, 5, 6, 7, 8, 9])
    const all = parsePortSpec('1000-,1-1000')
    expect(all).toHaveLength(65535)
    expect(all[0]).toBe(1)
    expect(all[65534]).toBe(65535)
    expect(all.every((p, i) => p === i + 1)).toBe(true)
  })

  it('validates a list without expanding it, with the same error for the same bad item', () => {
    for (const good of ['1-65535', 'all', '-', '22,80,443', '65530-', '-3']) expect(validatePortSpec(good)).toBeUndefined()
    for (const [bad, source] of [['22,http', '--ports'], ['0-10', 'profile p thresholds.tcpPorts'], ['70000', '--udp-ports'], ['90-80', '--ports'], ['', '--ports'], ['1-2,,3', '--ports']] as const) {
      let expected: unknown
      try {
        parsePortSpec(bad, source)
      } catch (error) {
        expected = error
      }
      expect(expected).toBeInstanceOf(ConfigError)
      expect(() => validatePortSpec(bad, source)).toThrow(ConfigError)
      expect(() => validatePortSpec(bad, source)).toThrow((expected as Error).message)
    }
  })

  it('summarises port lists as compact ranges, capped', () => {
    expect(formatPortRanges([1, 2, 3, 5, 7, 8]).text).toBe('1-3,5,7-8')
    const alternating = Array.from({length: 1000}, (_, i) => i * 2 + 1)
    const f = formatPortRanges(alternating, 10)
    expect(f.truncated).toBe(true)
    expect(f.ranges).toBe(1000)
    expect(f.text.split(',')).toHaveLength(11)
  })
})

describe('adaptive connect timeout', () => {
  it('starts conservative, then follows the answers between its floor and --timeout', () => {
    const t = new AdaptiveTimeout(100, 5000)
    expect(t.currentMs).toBe(1000)
    for (let i = 0; i < 50; i++) t.observe(0.2)
    expect(t.currentMs).toBe(100)
    for (let i = 0; i < 50; i++) t.observe(400 + (i % 2) * 200)
    expect(t.currentMs).toBeGreaterThan(500)
    expect(t.currentMs).toBeLessThanOrEqual(5000)
    for (let i = 0; i < 50; i++) t.observe(20_000)
    expect(t.currentMs).toBe(5000)
  })
})

describe('net.ports evidence', () => {
  it('lists every open port with its reason and summarises the rest as ranges; timing stays out of the id', () => {
    const result = {
      open: [{port: 22, reason: 'syn-ack'}],
      closed: [...Array.from({length: 21}, (_, i) => i + 1), ...Array.from({length: 65535 - 23}, (_, i) => i + 24)],
      filtered: [23],
      notScanned: [],
      reasons: {'conn-refused': 65533, 'no-response': 1},
      timing: {attempts: 65536, retried: 1, rttSamples: 65534, finalTimeoutMs: 100, durationMs: 2000, threads: 1},
    }
    const e = portsObservation('192.0.2.1', '192.0.2.1', '1-65535', result)
    const d = e.data as {scanned: number; open: Array<{port: number; state: string; reason: string}>; closed: {count: number; ranges: string}; filtered: {count: number; ranges: string; reasons: Record<string, number>}}
    expect(d.scanned).toBe(65535)
    expect(d.open).toEqual([{port: 22, state: 'open', reason: expect.stringMatching(/handshake completed/)}])
    expect(d.closed).toMatchObject({count: 65533, ranges: '1-21,24-65535'})
    expect(d.filtered).toMatchObject({count: 1, ranges: '23'})
    expect(Object.keys(d.filtered.reasons)[0]).toMatch(/no answer/)
    expect(JSON.stringify(e.data)).not.toMatch(/durationMs/)
    expect(e.artifacts?.[0]?.kind).toBe('port-scan-timing')
    expect(e.partial).toBeUndefined()
    const cut = portsObservation('h', '192.0.2.1', '1-10', {...result, open: [], closed: [1, 2], filtered: [], notScanned: [3, 4, 5]})
    expect(cut.partial).toMatchObject({code: 'budget', missing: ['3-5']})
  })
})
