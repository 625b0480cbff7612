import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {buildDiscoveryRequest, engineEnterprise, parseV3Message} from '../../src/probes/snmp/ber.js'
import {communityDataset, parseCommunityDataset} from '../../src/probes/snmp/dataset.js'
import {ProbeError} from '../../src/probes/types.js'
import {wrongIdReply} from '../fixtures/snmp-hostile-agents.js'

// @ts-expect-error plain .mjs build script without types
const {buildRows} = (await import('../../scripts/build-snmp-communities.mjs')) as {buildRows: (t: unknown[]) => Array<{id: string; community: string; source: string; line: number; alsoIn: string[]}>}

describe('community dataset build', () => {
  it('keeps provenance, drops exact duplicates, keeps case variants, stable ids', () => {
    const rows = buildRows([
      {key: 'common', file: 'a.txt', text: 'public\nprivate\nPublic\n'},
      {key: 'full', file: 'b.txt', text: 'public\nsecret\nprivate\nsecret\n'},
    ])
    expect(rows).toEqual([
      {id: 'snmp-common-1', community: 'public', source: 'a.txt', line: 1, alsoIn: ['b.txt']},
      {id: 'snmp-common-2', community: 'private', source: 'a.txt', line: 2, alsoIn: ['b.txt']},
      {id: 'snmp-common-3', community: 'Public', source: 'a.txt', line: 3, alsoIn: []},
      {id: 'snmp-full-2', community: 'secret', source: 'b.txt', line: 2, alsoIn: []},
    ])
  })

  it('the shipped dataset is the SecLists build: public first, unique ids, provenance, licence alongside', () => {
    const raw = JSON.parse(readFileSync(new URL('../../data/snmp/communities.json', import.meta.url), 'utf8')) as {
      license: string
      count: number
      communities: Array<{id: string; source: string; line: number}>
    }
    expect(raw.license).toBe('MIT')
    expect(raw.communities.length).toBe(raw.count)
    expect(raw.count).toBeGreaterThan(3000)
    for (const r of raw.communities) {
      expect(r.id).toMatch(/^snmp-(common|full)-\d+$/)
      expect(['common-snmp-community-strings.txt', 'snmp.txt']).toContain(r.source)
    }
    const ds = communityDataset()
    expect(ds.communities[0]).toEqual({id: 'snmp-common-1', community: 'public'})
    expect(new Set(ds.communities.map((c) => c.id)).size).toBe(ds.communities.length)
    expect(readFileSync(new URL('../../data/snmp/LICENSE', import.meta.url), 'utf8')).toMatch(/MIT License/)
  })

  it('rejects malformed dataset files', () => {
    expect(() => parseCommunityDataset({id: 'x'})).toThrow()
    expect(() => parseCommunityDataset({id: 'x', communities: [{id: 'a', community: 'p'}, {id: 'a', community: 'q'}]})).toThrow(/duplicate/)
  })
})

describe('SNMPv3 discovery BER', () => {
  it('round-trips a report built like an agent would', () => {
    const req = buildDiscoveryRequest(1234, 1234)
    const reply = wrongIdReply(req)!
    const parsed = parseV3Message(reply)
    expect(parsed.msgId).toBe(1235)
    expect(parsed.engineId.toString('hex')).toBe('8000b98380deadbeef')
    expect(parsed.engineBoots).toBe(1)
    expect(parsed.engineTime).toBe(42)
    expect(parsed.varbindOids).toEqual(['1.3.6.1.6.3.15.1.1.4.0'])
    expect(engineEnterprise(parsed.engineId)).toBe(47491)
    expect(engineEnterprise(Buffer.from('0102', 'hex'))).toBeNull()
  })

  it('throws ProbeError(malformed) on garbage, truncation and huge lengths — never RangeError', () => {
    const good = wrongIdReply(buildDiscoveryRequest(7, 7))!
    const cases = [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from('30820fff00', 'hex'), good.subarray(0, good.length - 3), Buffer.from([0x30, 0x84, 1, 2, 3, 4]), Buffer.concat([good, Buffer.from([0])])]
    for (let i = 0; i < good.length; i += 7) {
      const mutated = Buffer.from(good)
      mutated[i] = 0xff
      cases.push(mutated)
    }
    for (const c of cases) {
      try {
        parseV3Message(c)
      } catch (err) {
        expect(err).toBeInstanceOf(ProbeError)
      }
    }
    expect(() => parseV3Message(Buffer.from('garbage'))).toThrow(ProbeError)
  })
})
