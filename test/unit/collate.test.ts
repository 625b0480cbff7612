import {describe, expect, it} from 'vitest'

import {ALL_CHECKS} from '../../checks/index.js'
import {compareLikeLocale, RANKED_ORDER} from '../../src/util/collate.js'

const sign = (n: number) => Math.sign(n)

/** A small deterministic generator (no Math.random: a failure must reproduce). */
function* strings(alphabet: string, count: number, maxLength: number, seed: number): Generator<string> {
  let x = seed
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8)
  for (let i = 0; i < count; i++) {
    let s = ''
    for (let n = next() % (maxLength + 1); n > 0; n--) s += alphabet[next() % alphabet.length]
    yield s
  }
}

describe('compareLikeLocale: localeCompare without setting up ICU collation for plain ASCII', () => {
  it('ranks its characters in the order localeCompare gives them, none equal to another', () => {
    const chars = [...RANKED_ORDER]
    expect([...chars].sort((a, b) => a.localeCompare(b)).join('')).toBe(RANKED_ORDER)
    for (let i = 0; i + 1 < chars.length; i++) expect(chars[i]!.localeCompare(chars[i + 1]!)).toBeLessThan(0)
  })

  it('agrees with localeCompare on random strings, check ids, service ids and strings it hands over', () => {
    const pairs: Array<[string, string]> = []
    const random = [...strings(RANKED_ORDER, 4000, 8, 7)]
    const punctuation = [...strings('a-.:/10_', 4000, 6, 11)]
    for (const list of [random, punctuation]) for (let i = 0; i + 1 < list.length; i++) pairs.push([list[i]!, list[i + 1]!])
    const ids = ALL_CHECKS.map((c) => c.id)
    for (const a of ids) for (const b of ids.slice(0, 20)) pairs.push([a, b])
    const services = ['ssh://127.0.0.1:22', 'ssh://127.0.0.10:22', 'https://127.0.0.1:8443', 'tcp://[::1]:80', 'snmp://127.0.0.2:161', 'http://127.0.0.1:80']
    for (const a of services) for (const b of services) pairs.push([a, b])
    // Upper case, spaces and non-ASCII go to localeCompare itself.
    for (const [a, b] of [['Ab', 'ab'], ['a b', 'a-b'], ['é', 'e'], ['Z', 'a'], ['', 'A'], ['a', 'a']]) pairs.push([a!, b!])
    const wrong = pairs.filter(([a, b]) => sign(compareLikeLocale(a, b)) !== sign(a.localeCompare(b)))
    expect(wrong).toEqual([])
  })
})
