import {beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {jsonlWriter} from '../../src/writers/jsonl.js'
import {ARTIFACT_MARKER, labReport, trickyReport} from '../helpers/writer-reports.js'

describe('jsonl writer', () => {
  let lab: Report
  beforeAll(async () => {
    lab = await labReport()
  })

  it('writes one line per device: the device object plus the report run id', () => {
    const text = jsonlWriter.write(lab)
    const lines = text.split('\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(lab.devices.length)
    lines.forEach((line, i) => {
      const {reportRunId, ...device} = JSON.parse(line) as Record<string, unknown>
      expect(reportRunId).toBe(lab.run.id)
      expect(device).toEqual(lab.devices[i])
    })
  })

  it('keeps a device on one physical line whatever its strings hold, and carries the evidence', () => {
    const report = trickyReport()
    report.devices[0].findings[0].message += ' line\u2028sep\u2029para\r\n'
    const text = jsonlWriter.write(report)
    expect(text).not.toMatch(/[\u2028\u2029\r]/)
    const lines = text.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0])).toEqual({reportRunId: 'run-tricky', ...report.devices[0]})
    expect(text).toContain(ARTIFACT_MARKER)
  })

  it('writes nothing for a report without devices', () => {
    expect(jsonlWriter.write({...trickyReport(), devices: []})).toBe('')
  })
})
