import {beforeAll, describe, expect, it} from 'vitest'

import {deviceCoverage} from '../../src/engine/coverage.js'
import {deviceVerdict, summarize} from '../../src/engine/verdict.js'
import {contentId} from '../../src/evidence/ids.js'
import {reportContradictions} from '../../src/evidence/consistency.js'
import {MergeBuildError, MergeInputError, mergeReports, MergeProfileError} from '../../src/evidence/merge.js'
import type {Report} from '../../src/evidence/types.js'
import {expectValidReport} from '../helpers/report.js'
import {splitReport} from '../helpers/signing.js'
import {labReport, trickyReport} from '../helpers/writer-reports.js'

describe('mergeReports', () => {
  let lab: Report
  let a: Report
  let b: Report
  beforeAll(async () => {
    lab = await labReport()
    expect(lab.devices.length).toBeGreaterThanOrEqual(2)
    a = splitReport(lab, [0], {id: 'run-a', startedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:05:00.000Z'})
    b = splitReport(lab, lab.devices.slice(1).map((_, i) => i + 1), {id: 'run-b', startedAt: '2026-03-02T09:00:00.000Z', finishedAt: '2026-03-02T09:30:00.000Z'})
  })

  it('unions devices of two scans, recomputes the summary and derives the run', () => {
    const {report, conflicts} = mergeReports([{name: 'a.json', report: a}, {name: 'b.json', report: b}], {commandLine: 'sg17scan report merge a.json b.json'})
    expect(conflicts).toEqual([])
    expectValidReport(report)
    expect(report.devices).toEqual(lab.devices)
    expect(report.summary).toEqual(summarize(lab.devices, lab.summary.failOn))
    expect(report.summary).toEqual(lab.summary)
    expect(report.run).toMatchObject({
      id: contentId('merge', ['run-a', 'run-b']),
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-02T09:30:00.000Z',
      commandLine: 'sg17scan report merge a.json b.json',
      profile: lab.run.profile,
    })
    expect(report.run.statistics?.connections).toBe(2 * lab.run.statistics!.connections)
  })

  it('gives the same run id whatever the argument order, and keeps first-appearance device order', () => {
    const ab = mergeReports([{name: 'a', report: a}, {name: 'b', report: b}]).report!
    const ba = mergeReports([{name: 'b', report: b}, {name: 'a', report: a}]).report!
    expect(ba.run.id).toBe(ab.run.id)
    expect(ba.devices.map((d) => d.id)).toEqual([...b.devices.map((d) => d.id), a.devices[0]!.id])
  })

  it('keeps a device present with identical content in several inputs once', () => {
    const {report, conflicts} = mergeReports([{name: 'lab', report: lab}, {name: 'a', report: a}, {name: 'b', report: b}])
    expect(conflicts).toEqual([])
    expect(report!.devices).toEqual(lab.devices)
  })

  describe('a device id with different content', () => {
    let older: Report
    let newer: Report
    beforeAll(() => {
      older = a
      newer = structuredClone(a)
      newer.run = {...newer.run, id: 'run-a2', startedAt: '2026-04-01T00:00:00.000Z', finishedAt: '2026-04-01T00:10:00.000Z'}
      newer.devices[0]!.name = 'renamed'
      newer.devices[0]!.findings[0]!.message = 'seen again'
    })

    it('is a conflict: no report, the conflict lists the device, inputs and fields', () => {
      const {report, conflicts} = mergeReports([{name: 'old.json', report: older}, {name: 'b.json', report: b}, {name: 'new.json', report: newer}])
      expect(report).toBeUndefined()
      expect(conflicts).toEqual([{deviceId: a.devices[0]!.id, inputs: ['old.json', 'new.json'], fields: ['findings', 'name']}])
    })

    it('--prefer first keeps the earliest input, --prefer newest the latest run (whatever the order)', () => {
      const inputs = [{name: 'new.json', report: newer}, {name: 'old.json', report: older}]
      const first = mergeReports(inputs, {prefer: 'first'})
      expect(first.report!.devices[0]!.name).toBe('renamed')
      expect(first.conflicts[0]!.kept).toBe('new.json')
      const newest = mergeReports([...inputs].reverse(), {prefer: 'newest'})
      expect(newest.report!.devices[0]!.name).toBe('renamed')
      expect(newest.conflicts[0]!.kept).toBe('new.json')
      expectValidReport(newest.report)
      const oldest = mergeReports([...inputs].reverse(), {prefer: 'first'})
      expect(oldest.report!.devices[0]).toEqual(older.devices[0])
    })
  })

  it('refuses reports of different profiles, naming both', () => {
    const other = structuredClone(b)
    other.run.profile = {...other.run.profile, version: '9.9.9'}
    const merge = () => mergeReports([{name: 'a.json', report: a}, {name: 'other.json', report: other}])
    expect(merge).toThrow(MergeProfileError)
    expect(merge).toThrow(new RegExp(`a\\.json: profile ${lab.run.profile.id} version ${lab.run.profile.version}[\\s\\S]*other\\.json: profile ${lab.run.profile.id} version 9\\.9\\.9`))
  })

  it('takes failOn from the first report unless given, and re-judges device verdicts with it', () => {
    const t = trickyReport()
    const relaxed = structuredClone(t)
    relaxed.run.id = 'run-relaxed'
    relaxed.devices = [{...structuredClone(t.devices[0]!), id: 'cam-2'}]
    relaxed.summary = summarize(relaxed.devices, 'medium')
    // Hand-made reports (ids are not content addresses): not re-verified.
    const byDefault = mergeReports([{name: 't', report: t}, {name: 'r', report: relaxed}], {verifyInputs: false}).report!
    expect(byDefault.summary.failOn).toBe(t.summary.failOn)
    const critical = mergeReports([{name: 't', report: t}, {name: 'r', report: relaxed}], {failOn: 'critical', verifyInputs: false}).report!
    expectValidReport(critical)
    expect(critical.summary.failOn).toBe('critical')
    for (const d of critical.devices) expect(d.verdict).toBe(deviceVerdict(d.findings, 'critical'))
    // The coverage statement is derived again for every merged device.
    for (const d of critical.devices) expect(d.coverage).toEqual(deviceCoverage(d))
    expect(critical.summary).toEqual(summarize(critical.devices, 'critical'))
    // The inputs are not modified.
    expect(t.devices[0]!.verdict).toBe(deviceVerdict(t.devices[0]!.findings, 'medium'))
  })

  it('omits statistics unless every input has them', () => {
    const t = trickyReport()
    expect(t.run.statistics).toBeUndefined()
    const tool = a.tool
    expect(mergeReports([{name: 'a', report: a}, {name: 't', report: {...t, tool, run: {...t.run, profile: a.run.profile}}}], {verifyInputs: false}).report!.run.statistics).toBeUndefined()
  })

  describe('provenance', () => {
    it('keeps each input\'s provenance in run.sources, with the devices it contributed', () => {
      const {report} = mergeReports([{name: 'a.json', report: a, sha256: 'a'.repeat(64)}, {name: 'b.json', report: b}])
      expectValidReport(report)
      expect(report!.run.sources).toEqual([
        expect.objectContaining({name: 'a.json', sha256: 'a'.repeat(64), runId: 'run-a', tool: a.tool, profile: a.run.profile, commandLine: a.run.commandLine, startedAt: a.run.startedAt, finishedAt: a.run.finishedAt, devices: [a.devices[0]!.id]}),
        expect.objectContaining({name: 'b.json', runId: 'run-b', tool: b.tool, devices: b.devices.map((d) => d.id)}),
      ])
      expect(report!.run.sources![0]!.data).toEqual(a.run.data)
      // The merged report verifies like any other.
      expect(reportContradictions(report!).problems).toEqual([])
      // Merging a merge keeps the original sources.
      const again = mergeReports([{name: 'ab.json', report: report!}, {name: 'a.json', report: a}]).report!
      expect(again.run.sources!.map((s) => s.name)).toEqual(['ab.json > a.json', 'ab.json > b.json', 'a.json'])
    })

    it('re-verifies inputs first: a self-contradictory input is refused, naming it', () => {
      const bad = structuredClone(b)
      bad.devices[0]!.verdict = bad.devices[0]!.verdict === 'pass' ? 'fail' : 'pass'
      const merge = () => mergeReports([{name: 'a.json', report: a}, {name: 'bad.json', report: bad}])
      expect(merge).toThrow(MergeInputError)
      expect(merge).toThrow(/bad\.json contradicts itself[\s\S]*\.verdict: says/)
    })

    it('refuses inputs judged by different tool builds or data, unless allowed (then listed)', () => {
      const other = structuredClone(b)
      other.tool = {...other.tool, version: '0.0.9', commit: 'c'.repeat(40)}
      const merge = () => mergeReports([{name: 'a.json', report: a}, {name: 'other.json', report: other}])
      expect(merge).toThrow(MergeBuildError)
      expect(merge).toThrow(/other\.json: sg17scan 0\.0\.9 commit c{40}/)
      const allowed = mergeReports([{name: 'a.json', report: a}, {name: 'other.json', report: other}], {allowMixedBuilds: true})
      expect(allowed.mixedBuilds).toEqual([expect.stringMatching(/^other\.json: sg17scan 0\.0\.9/)])
      expect(allowed.report!.run.sources![1]!.tool.version).toBe('0.0.9')
      const otherData = structuredClone(b)
      otherData.run.data = otherData.run.data!.map((d, i) => (i === 0 ? {...d, sha256: 'f'.repeat(64)} : d))
      expect(() => mergeReports([{name: 'a.json', report: a}, {name: 'd.json', report: otherData}])).toThrow(new RegExp(`d\\.json: data files differ from a\\.json's \\(${a.run.data![0]!.file.replace(/[./]/g, '\\$&')}\\)`))
    })
  })
})
