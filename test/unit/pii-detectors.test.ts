import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {
  MAX_JSON_LOCATIONS_PER_TYPE,
  PII_TYPES,
  type PiiHit,
  type PiiType,
  detectPii,
  findSpans,
  parseCorpus,
  redactPii,
  scoreCorpus,
} from '../../src/pii/index.js'
import {htmlToText} from '../../src/pii/html.js'
import {luhnCheckDigit, luhnValid} from '../../src/pii/luhn.js'

const CORPORA = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'pii')
const corpus = (kind: 'positive' | 'negative', type: PiiType): string[] =>
  parseCorpus(readFileSync(join(CORPORA, kind, `${type}.txt`), 'utf8'))

const types = (hits: PiiHit[]): PiiType[] => hits.map((h) => h.type)
const detect = (text: string, contentType?: string): PiiHit[] => detectPii({text, contentType, location: '/page'})
const only = (hits: PiiHit[], type: PiiType): PiiHit[] => hits.filter((h) => h.type === type)

/** Every value the detectors find in a sample (the values the hits must never reveal). */
function valuesIn(sample: string): Array<{type: PiiType; value: string}> {
  const direct = findSpans(sample).map((s) => ({type: s.type, value: s.value}))
  let fromJson: Array<{type: PiiType; value: string}> = []
  try {
    const walk = (v: unknown, key: string): void => {
      if (typeof v === 'string') {
        fromJson.push(...findSpans(v).map((s) => ({type: s.type, value: s.value})))
        if (/name|owner|contact|customer|holder|person|subscriber/i.test(key)) fromJson.push({type: 'person-name', value: v})
      } else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, k)
    }
    walk(JSON.parse(sample), '')
  } catch {
    fromJson = []
  }
  return [...direct, ...fromJson]
}

describe('PII corpora: every sample, per type', () => {
  for (const type of PII_TYPES) {
    const positives = corpus('positive', type)
    const negatives = corpus('negative', type)

    it(`${type}: at least 25 positives and 25 negatives`, () => {
      expect(positives.length).toBeGreaterThanOrEqual(25)
      expect(negatives.length).toBeGreaterThanOrEqual(25)
    })

    it.each(positives)(`${type} found in: %s`, (sample) => {
      expect(types(detectPii({text: sample, location: 'corpus'}))).toContain(type)
    })

    it.each(negatives)(`${type} not reported in: %s`, (sample) => {
      expect(types(detectPii({text: sample, location: 'corpus'}))).not.toContain(type)
    })

    it(`${type}: precision >= 0.95 and recall >= 0.9 on the corpora`, () => {
      const score = scoreCorpus(type, positives, negatives)
      console.log(`pii ${type} precision=${score.precision.toFixed(3)} recall=${score.recall.toFixed(3)} n+=${score.positives} n-=${score.negatives}`)
      expect(score.precision, `false alarms: ${score.falseAlarms.join(' | ')}`).toBeGreaterThanOrEqual(0.95)
      expect(score.recall, `missed: ${score.missed.join(' | ')}`).toBeGreaterThanOrEqual(0.9)
    })
  }

  it('scoreCorpus counts misses and false alarms (the measure itself can fail)', () => {
    const s = scoreCorpus('email', ['jane.doe@example.com', 'no address here'], ['support@example.com', 'x.y@example.org'])
    expect(s).toMatchObject({truePositives: 1, falsePositives: 1, precision: 0.5, recall: 0.5})
    expect(s.missed).toEqual(['no address here'])
    expect(s.falseAlarms).toEqual(['x.y@example.org'])
  })

  it('parseCorpus skips comments and blank lines only', () => {
    expect(parseCorpus('# c\n\na b\n  # indented comment\r\n{"x":1}\n')).toEqual(['a b', '{"x":1}'])
  })
})

describe('redaction', () => {
  it('renders the documented forms', () => {
    expect(redactPii('email', 'jane.doe@example.com')).toBe('j***@e***.com')
    expect(redactPii('email', 'a.kumar@mail.example.in')).toBe('a***@m***.in')
    expect(redactPii('phone', '+44 20 7946 0958')).toBe('+44********58')
    expect(redactPii('phone', '(202) 555-0143')).toBe('********43')
    expect(redactPii('imei', '352099001000005')).toBe('35******005')
    expect(redactPii('mac', '00:1a:2b:3c:4d:5e')).toBe('00:1A:**:**:**:5E')
    expect(redactPii('mac', '001a.2b3c.4d5e')).toBe('00:1A:**:**:**:5E')
    expect(redactPii('gps', '51.50735,-0.12776')).toBe('51.***,-0.***')
    expect(redactPii('person-name', "Mary-Ann O'Neil")).toBe('M*** O***')
  })

  it('e-mail keeps the first letter of the local part and of the domain, and the TLD', () => {
    for (const sample of corpus('positive', 'email')) {
      for (const {value} of valuesIn(sample).filter((v) => v.type === 'email')) {
        const r = redactPii('email', value)
        const [local, domain] = [value.slice(0, value.lastIndexOf('@')), value.slice(value.lastIndexOf('@') + 1)]
        expect(r.startsWith(`${local[0]}***@${domain[0]}***.`)).toBe(true)
        expect(r.endsWith(`.${domain.split('.').pop()}`)).toBe(true)
        if (local.length > 1) expect(r).not.toContain(local)
      }
    }
  })

  it('phones and IMEIs show no run of 4+ digits and never the number', () => {
    for (const type of ['phone', 'imei'] as const) {
      let checked = 0
      for (const sample of corpus('positive', type)) {
        for (const {value} of valuesIn(sample).filter((v) => v.type === type)) {
          const r = redactPii(type, value)
          expect(r, `${type} ${value}`).not.toMatch(/\d{4}/)
          expect(r).not.toContain(value.replace(/\D/g, ''))
          checked++
        }
      }
      expect(checked).toBeGreaterThanOrEqual(25)
    }
  })

  it('never reveals more than half of the letters and digits of any corpus value (MAC shows exactly half by format)', () => {
    for (const type of PII_TYPES) {
      for (const sample of corpus('positive', type)) {
        for (const {type: t, value} of valuesIn(sample)) {
          const r = redactPii(t, value)
          expect(r).not.toBe(value)
          const shown = r.replace(/[^\p{L}\p{N}]/gu, '').length
          const total = value.replace(/[^\p{L}\p{N}]/gu, '').length
          if (total >= 8) expect(shown / total, `${t} ${r}`).toBeLessThanOrEqual(0.5)
        }
      }
    }
  })

  it('hits never carry a found value, on any positive sample', () => {
    for (const type of PII_TYPES) {
      for (const sample of corpus('positive', type)) {
        const out = JSON.stringify(detectPii({text: sample, location: 'corpus'}))
        for (const {value} of valuesIn(sample)) expect(out, sample).not.toContain(value)
      }
    }
  })
})

describe('hits: counts, samples, locations', () => {
  it('counts distinct values per type and keeps at most 3 distinct samples', () => {
    const text = ['anna.k@example.com', 'ANNA.K@example.com', 'b.lee@example.org', 'c.diaz@example.net', 'd.wu@example.com'].join(', ')
    const [hit] = detect(text)
    expect(hit).toMatchObject({type: 'email', count: 4, location: '/page'})
    expect(hit.samples).toEqual(['a***@e***.com', 'b***@e***.org', 'c***@e***.net'])
  })

  it('one number written three ways is one phone', () => {
    expect(only(detect('Tel +44 20 7946 0958 or +44-20-7946-0958 or +44 (0)20 7946 0958'), 'phone')[0]?.count).toBe(1)
  })

  it('JSON: one hit per JSON pointer, appended to the caller location', () => {
    const body = JSON.stringify([{email: 'jane.doe@example.com', name: 'Jane Doe'}, {email: 'john.roe@example.com'}])
    const hits = detectPii({text: body, contentType: 'application/json', location: '/api/users'})
    expect(hits.map((h) => [h.type, h.location, h.count])).toEqual([
      ['email', '/api/users#/0/email', 1],
      ['person-name', '/api/users#/0/name', 1],
      ['email', '/api/users#/1/email', 1],
    ])
  })

  it('JSON pointers escape ~ and / (RFC 6901) and a body is sniffed as JSON without a content type', () => {
    const hits = detectPii({text: ' {"a/b":{"m~n":"jane.doe@example.com"}}', location: '/cfg'})
    expect(hits[0]?.location).toBe('/cfg#/a~1b/m~0n')
  })

  it('JSON: lat/lon fields give one GPS hit at the object; 15-digit numbers are read as IMEIs', () => {
    const body = JSON.stringify({device: {imei: 352099001000005, position: {lat: 51.50735, lon: -0.12776}, id: 202311231234565}})
    const hits = detectPii({text: body, contentType: 'application/json; charset=utf-8', location: '/status'})
    expect(hits.map((h) => [h.type, h.location])).toEqual([
      ['imei', '/status#/device/imei'],
      ['gps', '/status#/device/position'],
    ])
  })

  it('JSON: phone-named fields accept plain digits; other fields do not', () => {
    const hits = detect(JSON.stringify({phone: '2025550143', mobile_no: 2025550144, id: '2025550145', count: 2025550146}))
    expect(hits.map((h) => h.location)).toEqual(['/page#/phone', '/page#/mobile_no'])
  })

  it(`JSON: more than ${MAX_JSON_LOCATIONS_PER_TYPE} locations of one type are grouped per array shape`, () => {
    const users = Array.from({length: 50}, (_, i) => ({email: `user.${i}@example.com`, owner: 'Jane Doe'}))
    const hits = detect(JSON.stringify({users}), 'application/json')
    expect(hits.map((h) => [h.type, h.location, h.count])).toEqual([
      ['email', '/page#/users/*/email', 50],
      ['person-name', '/page#/users/*/owner', 1],
    ])
  })

  it('person names only from name-like JSON keys, never from free text', () => {
    expect(types(detect('Registered owner: Jane Doe'))).not.toContain('person-name')
    expect(types(detect('<p>Jane Doe</p>', 'text/html'))).not.toContain('person-name')
    expect(types(detect('{"name":"Jane Doe"}'))).toContain('person-name')
  })

  it('invalid JSON with a JSON content type is still scanned as text', () => {
    expect(types(detect('{"email": "jane.doe@example.com", broken', 'application/json'))).toEqual(['email'])
  })
})

describe('HTML', () => {
  it('drops scripts, styles and comments, keeps text and form values, decodes entities', () => {
    const html = [
      '<!doctype html><html><head><style>.x{background:url(a@2x.png)} /* ops.one@example.com */</style>',
      '<script>var cfg = {owner: "script.only@example.com"};</script></head><body>',
      '<!-- dev.note@example.com -->',
      '<p>Owner: jane&#64;example.com &amp; <b>(202)&nbsp;555-0143</b></p>',
      '<input name="mail" value="form.value@example.org"><a href="mailto:link.only@example.net">mail</a>',
      '</body></html>',
    ].join('\n')
    const text = htmlToText(html)
    expect(text).not.toContain('script.only')
    expect(text).not.toContain('ops.one')
    expect(text).not.toContain('dev.note')
    expect(text).toContain('jane@example.com')
    expect(text).toContain('form.value@example.org')
    expect(text).toContain('link.only@example.net')
    const hits = detect(html, 'text/html; charset=utf-8')
    expect(only(hits, 'email')[0]).toMatchObject({count: 3, samples: ['j***@e***.com', 'f***@e***.org', 'l***@e***.net']})
    expect(only(hits, 'phone')[0]).toMatchObject({count: 1, samples: ['********43']})
  })

  it('table cells do not run together into one number', () => {
    const hits = detect('<table><tr><td>202</td><td>555</td><td>0143</td></tr><tr><td>12</td><td>020 7946 0958</td></tr></table>', 'text/html')
    expect(hits).toEqual([{type: 'phone', count: 1, location: '/page', samples: ['*********58']}])
  })

  it('a "<" that opens no tag is text; text/plain bodies are not stripped', () => {
    expect(htmlToText('if a < b and c > d')).toBe('if a < b and c > d')
    expect(htmlToText('x <1 y')).toBe('x <1 y')
    expect(types(detect('<b>jane.doe@example.com</b>', 'text/plain'))).toEqual(['email'])
  })

  it('a whole document is read as HTML whatever its label; a tag-led body without a label too', () => {
    const doc = '<html><script>x="hidden.one@example.com"</script><p>shown.one@example.com</p></html>'
    for (const contentType of ['text/plain', 'application/octet-stream', undefined]) {
      expect(only(detect(doc, contentType), 'email')[0]?.count, String(contentType)).toBe(1)
    }
    expect(only(detect('<div><script>a="hidden.one@example.com"</script></div>'), 'email')).toEqual([])
  })
})

describe('realistic device responses (test/fixtures/pii/pages)', () => {
  const page = (name: string): string => readFileSync(join(CORPORA, 'pages', name), 'utf8')

  it('router status page: only the WAN MAC; versions, dates, addresses, loads, hashes, asset names and support contacts are not personal', () => {
    const hits = detectPii({text: page('router-status.html'), contentType: 'text/html; charset=utf-8', location: '/status.html'})
    expect(hits).toEqual([{type: 'mac', count: 1, location: '/status.html', samples: ['00:00:**:**:**:2A']}])
  })

  it('JSON client list: every personal value at its pointer; device, room and interface names are not people', () => {
    const hits = detectPii({text: page('dhcp-clients.json'), contentType: 'application/json', location: '/api/clients'})
    expect(hits.map((h) => `${h.type} ${h.location} ${h.count} ${h.samples.join(',')}`)).toEqual([
      'imei /api/clients#/device/lte/imei 1 35******005',
      'gps /api/clients#/device/location 1 51.***,-0.***',
      'person-name /api/clients#/owner/name 1 J*** D***',
      'email /api/clients#/owner/email 1 j***@e***.com',
      'phone /api/clients#/owner/phone 1 +44********58',
      'mac /api/clients#/clients/0/mac 1 00:00:**:**:**:01',
      'person-name /api/clients#/clients/1/name 1 J*** R***',
      'mac /api/clients#/clients/1/mac 1 00:00:**:**:**:02',
      'mac /api/clients#/clients/2/mac 1 00:00:**:**:**:03',
    ])
  })
})

describe('bounds and hostile input', () => {
  const MiB = 1024 * 1024

  it('reads only the first MiB of a 5 MiB body, correctly and in bounded time', () => {
    const head = 'owner jane.doe@example.com tel +44 20 7946 0958 '
    const text = head + 'x'.repeat(MiB) + ' late.one@example.com ' + 'y '.repeat(2 * MiB)
    const started = Date.now()
    const hits = detect(text)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(hits.map((h) => [h.type, h.count])).toEqual([
      ['email', 1],
      ['phone', 1],
    ])
  })

  it('5 MiB of each pathological pattern returns without hanging', () => {
    const M = 5 * MiB
    const bodies = [
      '7'.repeat(M), '<'.repeat(M), '1 '.repeat(M / 2), 'a@'.repeat(M / 2), 'ab:'.repeat(M / 3), '(1) '.repeat(M / 4),
      '<a href="'.repeat(M / 9), '<!--' + 'x'.repeat(M), '51.5074, '.repeat(M / 9), 'lat=1.23 '.repeat(M / 9),
    ]
    const started = Date.now()
    for (const text of bodies) expect(Array.isArray(detect(text))).toBe(true)
    expect(Date.now() - started).toBeLessThan(25_000)
  })

  it('never throws on garbage: binary, invalid JSON, a non-string body', () => {
    let seed = 42
    const bytes = Buffer.alloc(256 * 1024)
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      bytes[i] = seed & 0xff
    }
    for (const text of [bytes.toString('latin1'), bytes.toString('utf8'), '{"a":', '[1,2', '{"email":"\\ud800"}', '\u0000\uffff', '']) {
      expect(() => detect(text, 'application/json')).not.toThrow()
      expect(() => detect(text, 'text/html')).not.toThrow()
      expect(() => detect(text)).not.toThrow()
    }
    expect(detectPii({text: undefined as unknown as string, location: '/x'})).toEqual([])
  })

  it('10,000 levels of nesting: no stack overflow, the value is found with a bounded pointer', () => {
    const depth = 10_000
    const arrays = '['.repeat(depth) + '"jane.doe@example.com"' + ']'.repeat(depth)
    const hit = detect(arrays, 'application/json')[0]
    expect(hit?.type).toBe('email')
    expect(hit?.location.length).toBeLessThan(200)
    expect(hit?.location).toBe(`/page#${'/0'.repeat(64)}`)
    const objects = '{"a":'.repeat(depth) + '{"email":"jane.doe@example.com"}' + '}'.repeat(depth)
    expect(types(detect(objects))).toEqual(['email'])
    const unclosed = '['.repeat(depth)
    expect(detect(unclosed, 'application/json')).toEqual([])
  })
})

describe('detector details', () => {
  it('Luhn: computed check digits validate, a changed digit does not', () => {
    const body = '35209900100000'
    const imei = body + luhnCheckDigit(body)
    expect(luhnValid(imei)).toBe(true)
    expect(luhnValid(body + String((Number(luhnCheckDigit(body)) + 1) % 10))).toBe(false)
  })

  it('a span claimed by a stronger detector is not reused (an IMEI is not also a phone after "Tel")', () => {
    expect(types(detect('Tel 352099001000005'))).toEqual(['imei'])
  })

  it('a phone right after another token or a short number is still found', () => {
    expect(only(detect('00:00:5E:00:53:01 (202) 555-0143 00:00:5E:00:53:02'), 'phone')[0]?.samples).toEqual(['********43'])
    expect(only(detect('Port 12 (202) 555-0143'), 'phone')).toHaveLength(1)
    expect(only(detect('Slot 3 +44 20 7946 0958'), 'phone')).toHaveLength(1)
  })

  it('a 1 MiB page dense with values of several types is counted per type (no quadratic overlap test)', () => {
    const unit = 'a.b@example.com +12025550143 00:00:5E:00:53:01 '
    const hits = detect(unit.repeat(Math.floor((1024 * 1024) / unit.length)))
    expect(hits.map((h) => [h.type, h.count])).toEqual([
      ['email', 1],
      ['phone', 1],
      ['mac', 1],
    ])
  })

  it('MAC placeholders are excluded in any case and separator', () => {
    expect(detect('00-00-00-00-00-00 FF:FF:FF:FF:FF:FF ffff.ffff.ffff')).toEqual([])
  })
})
