import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {junitWriter, xmlAttr, xmlText} from '../../src/writers/junit.js'
import {childrenNamed, parseXml, type XmlElement} from '../helpers/mini-xml.js'
import {findingCount, labReport, TRICKY, trickyReport} from '../helpers/writer-reports.js'

const counts = (el: XmlElement) => ({
  tests: Number(el.attrs.tests),
  failures: Number(el.attrs.failures),
  errors: Number(el.attrs.errors),
  skipped: Number(el.attrs.skipped),
})

function expectedCounts(findings: Report['devices'][number]['findings']) {
  const n = (...o: string[]) => findings.filter((f) => o.includes(f.outcome)).length
  return {tests: findings.length, failures: n('fail'), errors: n('error', 'inconclusive'), skipped: n('not_tested', 'not_applicable')}
}

describe('junit writer', () => {
  let lab: Report
  beforeAll(async () => {
    lab = await labReport()
  })

  it('the test XML reader is strict (rejects what a naive writer would produce)', () => {
    expect(() => parseXml('<a>x & y</a>')).toThrow()
    expect(() => parseXml('<a b="<"/>')).toThrow()
    expect(() => parseXml('<a><b></a></b>')).toThrow()
    expect(() => parseXml('<a>\u0001</a>')).toThrow()
    expect(() => parseXml('<a/><b/>')).toThrow()
    expect(parseXml('<a b="&quot;&#10;">&lt;&amp;&gt;&apos;</a>')).toEqual({name: 'a', attrs: {b: '"\n'}, children: [], text: "<&>'"})
  })

  it('writes well-formed XML: one testsuite per device, one testcase per finding, counts right', () => {
    const root = parseXml(junitWriter.write(lab))
    expect(root.name).toBe('testsuites')
    const batch = lab.batch?.findings ?? []
    expect(batch.length).toBeGreaterThan(0)
    expect(counts(root)).toEqual(expectedCounts([...lab.devices.flatMap((d) => d.findings), ...batch]))
    const all = childrenNamed(root, 'testsuite')
    expect(all.map((s) => s.attrs.name)).toEqual([...lab.devices.map((d) => d.name), 'batch'])
    const batchSuite = all.at(-1)!
    expect(counts(batchSuite)).toEqual(expectedCounts(batch))
    expect(childrenNamed(batchSuite, 'testcase').map((tc) => tc.attrs)).toEqual(batch.map((f) => ({classname: `batch.${f.devices.join('+')}`, name: f.check})))
    const suites = all.slice(0, -1)
    suites.forEach((suite, i) => {
      const device = lab.devices[i]
      expect(counts(suite)).toEqual(expectedCounts(device.findings))
      const cases = childrenNamed(suite, 'testcase')
      expect(cases).toHaveLength(device.findings.length)
      cases.forEach((tc, j) => {
        const f = device.findings[j]
        expect(tc.attrs).toEqual({classname: `${device.name}.${f.service}`, name: f.check})
        if (f.outcome === 'pass') expect(tc.children).toEqual([])
        if (f.outcome === 'fail') {
          const [failure] = tc.children
          expect(failure.name).toBe('failure')
          expect(failure.attrs).toEqual({message: f.message, type: f.severity})
        }
      })
    })
    expect(all.reduce((n, s) => n + Number(s.attrs.tests), 0)).toBe(findingCount(lab))
  })

  it('escapes & < > " \' and keeps tricky text intact through a parse', () => {
    const report = trickyReport()
    const xml = junitWriter.write(report)
    const root = parseXml(xml)
    expect(counts(root)).toEqual({tests: 11, failures: 5, errors: 3, skipped: 2})
    const [cam, host] = childrenNamed(root, 'testsuite')
    expect(cam.attrs.name).toBe(TRICKY.deviceName)
    expect(counts(cam)).toEqual({tests: 10, failures: 5, errors: 2, skipped: 2})
    expect(counts(host)).toEqual({tests: 1, failures: 0, errors: 1, skipped: 0})
    expect(host.attrs.name).toBe('198.51.100.7')

    const weak = childrenNamed(cam, 'testcase').find((t) => t.attrs.name === 'tls.cipher.weak')
    expect(weak?.attrs.classname).toBe(`${TRICKY.deviceName}.tls://192.0.2.10:443`)
    const failure = weak?.children[0]
    const clean = TRICKY.message.replace(/[\u0000\u0001]/g, '')
    // Attribute newlines survive as &#10;; the illegal control characters are dropped.
    expect(failure?.attrs).toEqual({message: clean, type: 'critical'})
    expect(failure?.text).toContain(clean)
    expect(failure?.text).toContain('ITU-T X.1352 §8.2 "a" <b> & c')
    expect(failure?.text).toContain('evidence: obs-0000000000000001 obs-0000000000000002')
    expect(xml).not.toMatch(/[\u0000\u0001]/)

    const kinds = Object.fromEntries(childrenNamed(cam, 'testcase').map((t) => [t.attrs.name, t.children.map((c) => c.name).join(',')]))
    expect(kinds).toMatchObject({
      'tls.cert.lifetime-excessive': 'error',
      'tls.cipher.rc4': 'error',
      'tls.cert.weak-signature': 'skipped',
      'tls.ems.missing': 'skipped',
      'tls.protocol.legacy-enabled': '',
    })
    const skipped = childrenNamed(cam, 'testcase').find((t) => t.attrs.name === 'tls.cert.weak-signature')?.children[0]
    expect(skipped?.attrs.message).toBe('not_tested: intrusive check: enable with --intrusive')
    const err = childrenNamed(cam, 'testcase').find((t) => t.attrs.name === 'tls.cipher.rc4')?.children[0]
    expect(err?.attrs).toEqual({message: 'timeout: <no answer> & reset', type: 'error'})
  })

  it('xmlText/xmlAttr escape the five special characters and strip characters XML 1.0 forbids', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;')
    expect(xmlText('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFFg\uD800h\uDC00i')).toBe('abcdefghi')
    expect(xmlText('tab\tnl\ncr\r 日本 🔐 \u0085')).toBe('tab\tnl\ncr\r 日本 🔐 \u0085')
    expect(xmlAttr('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d')
  })
})
