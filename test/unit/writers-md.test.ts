import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {mdCell, mdWriter} from '../../src/writers/md.js'
import {labReport, trickyReport} from '../helpers/writer-reports.js'

/** Splits a Markdown table row into cells, honouring \| escapes. */
const cells = (row: string) =>
  row
    .slice(2, -2)
    .split(/(?<!\\) \| /)

describe('md writer', () => {
  let lab: Report
  beforeAll(async () => {
    lab = await labReport()
  })

  it('summarises the lab: profile, per-device verdicts, counts and a table of failures', () => {
    const md = mdWriter.write(lab)
    expect(md).toContain(`Profile **${lab.run.profile.id}** v${lab.run.profile.version}`)
    expect(md).toMatch(/\| good-gateway \| ✅ pass \|/)
    expect(md).toMatch(/\| legacy-camera \| ❌ fail \|/)
    expect(md).toContain(`${lab.summary.outcomes.fail} fail`)
    expect(md).toContain('## legacy-camera: ❌ fail')
    const failRows = md.split('\n').filter((l) => l.startsWith('| fail |'))
    expect(failRows).toHaveLength(lab.summary.outcomes.fail)
    // Worst first within a device.
    const camera = md.slice(md.indexOf('## legacy-camera'))
    expect(camera.indexOf('| fail | critical |')).toBeLessThan(camera.indexOf('| fail | medium |'))
    expect(md).not.toContain('| pass |')
  })

  it('escapes pipes and markup so a message cannot break the table', () => {
    const md = mdWriter.write(trickyReport())
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    const header = rows.find((r) => r.startsWith('| Outcome'))
    const width = header ? cells(header).length : 0
    expect(width).toBe(5)
    for (const row of rows.filter((r) => /^\| (fail|error|inconclusive) \|/.test(r))) expect(cells(row)).toHaveLength(width)
    expect(md).toContain('a \\| b \\|\\| c')
    expect(md).toContain('&lt;C &amp; D&gt;')
    expect(md).not.toContain('<C & D>')
    expect(md).toContain('"A, B"<br>and')
    // error and inconclusive findings are listed; not tested / not applicable / pass are not.
    expect(md).toContain('| error | high | tls.cipher.rc4 |')
    expect(md).toContain('| inconclusive | low | tls.cert.lifetime-excessive |')
    expect(md).not.toContain('tls.ems.missing')
    expect(md).toContain('## 198.51.100.7: ⚠️ incomplete')
  })

  it('mdCell escapes Markdown and HTML syntax and flattens line breaks', () => {
    expect(mdCell('a|b')).toBe('a\\|b')
    expect(mdCell('*x* _y_ `z` [l](u) <b>&')).toBe('\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) &lt;b&gt;&amp;')
    expect(mdCell('a\r\nb\nc')).toBe('a<br>b<br>c')
    expect(mdCell('back\\slash')).toBe('back\\\\slash')
  })
})
