import {describe, expect, it} from 'vitest'

import {contradictions} from '../../src/db/consistency.js'
import {compileFilter, parseDateBound} from '../../src/db/filters.js'
import type {Report} from '../../src/evidence/types.js'
import {trickyReport} from '../helpers/writer-reports.js'

/** The tricky report with its one dangling evidence id removed: self-consistent. */
function consistent(): Report {
  const r = trickyReport()
  for (const d of r.devices) for (const f of d.findings) f.evidence = f.evidence.filter((e) => d.observations.some((o) => o.id === e))
  return r
}

describe('report self-contradiction (refused at ingest)', () => {
  it('a consistent report has none', () => {
    expect(contradictions(consistent())).toEqual([])
  })

  it('a device verdict its findings do not give', () => {
    const r = consistent()
    r.devices[0]!.verdict = 'pass'
    expect(contradictions(r)).toContainEqual(expect.stringMatching(/^devices\[0\] \(cam-1\): verdict pass but its findings give fail/))
  })

  it('a summary that does not count its devices', () => {
    const r = consistent()
    r.summary.verdicts.fail += 1
    r.summary.outcomes.pass = 99
    const problems = contradictions(r)
    expect(problems).toContainEqual(expect.stringMatching(/^summary\.verdicts is .* but the devices give/))
    expect(problems).toContainEqual(expect.stringMatching(/^summary\.outcomes is .*"pass":99/))
  })

  it('evidence naming no observation of the device, and an artifact whose hash is not its content', () => {
    const r = trickyReport()
    expect(contradictions(r)).toContainEqual(expect.stringMatching(/devices\[0\] \(cam-1\)\.findings\[0\] \(tls\.cipher\.weak\): evidence obs-0000000000000002 is not an observation of the device/))
    const c = consistent()
    c.devices[0]!.observations[0]!.artifacts[0]!.content += 'x'
    expect(contradictions(c)).toContainEqual(expect.stringMatching(/observations\[0\]\.artifacts\[0\]: records sha256 .* but its content hashes to/))
  })

  it('a device id twice', () => {
    const r = consistent()
    r.devices[1]!.id = 'cam-1'
    expect(contradictions(r)).toContainEqual(expect.stringMatching(/device id appears twice/))
  })
})

describe('query filters', () => {
  it('a bare day bounds whole days: since its start, until the next day\'s start', () => {
    expect(parseDateBound('--since', '2026-03-01', false)).toBe('2026-03-01T00:00:00.000Z')
    expect(parseDateBound('--until', '2026-03-31', true)).toBe('2026-04-01T00:00:00.000Z')
    expect(() => parseDateBound('--until', 'soon', true)).toThrow(/--until soon: not a date/)
  })

  it('every value is a parameter, never SQL text; search escapes LIKE wildcards', () => {
    const {where, params} = compileFilter({vendor: "x' OR 1=1 --", search: '50%_off', check: 'tls.cipher.rc4', outcome: 'fail'})
    expect(where).not.toContain('OR 1=1')
    expect(params).toEqual(["x' OR 1=1 --", 'fail', 'tls.cipher.rc4', '%50\\%\\_off%'])
  })
})
