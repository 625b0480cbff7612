/**
 * End of a batch: DIR/report.json streamed from the journal (one device in memory at a time), DIR/summary.csv
 * (the CSV writer applied device by device) and DIR/report.html. The HTML writer renders a whole report, so
 * report.html is the one step that loads every device: above `htmlMaxDevices` (default 250, ~230 MB peak RSS) it
 * is skipped to keep memory flat (render it from report.json with `report convert` when wanted).
 */
import {closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {withBatch} from '../engine/verdict.js'
import type {BatchSummary, Device, Report, Severity} from '../evidence/types.js'
import {toolInfo} from '../evidence/provenance.js'
import {SCHEMA_VERSION} from '../evidence/version.js'
import {csvWriter} from '../writers/csv.js'
import {requirementsCsvWriter} from '../writers/requirements-csv.js'
import {htmlWriter} from '../writers/html.js'
import type {BatchAnalysis} from './batch-analysis.js'
import {readJournal} from './journal.js'
import {refreshBatchRequirements} from '../requirements/assess.js'

async function countJournal(path: string): Promise<number> {
  let n = 0
  for await (const _ of readJournal(path)) n++
  return n
}
import {SummaryAccumulator} from './summary.js'

export const HTML_MAX_DEVICES = 250

export interface FinalizeOptions {
  dir: string
  journalPath: string
  run: Report['run']
  failOn: Severity
  batchAnalysis?: BatchAnalysis
  htmlMaxDevices?: number
}

export interface FinalizeResult {
  summary: Report['summary']
  reportPath: string
  csvPath: string
  htmlPath?: string
  /** DIR/requirements.csv: one row per device × requirement, when the profile lists requirements. */
  requirementsCsvPath?: string
}

export async function finalizeBatch(o: FinalizeOptions): Promise<FinalizeResult> {
  const reportPath = join(o.dir, 'report.json')
  const csvPath = join(o.dir, 'summary.csv')
  const out = new Sink(`${reportPath}.tmp`)
  const csv = new Sink(`${csvPath}.tmp`)
  const acc = new SummaryAccumulator(o.failOn)
  const requirementsCsvPath = join(o.dir, 'requirements.csv')
  let requirementsCsv: Sink | undefined
  let batch: BatchSummary | undefined
  const shell = (devices: Device[]): Report => ({schemaVersion: SCHEMA_VERSION, tool: toolInfo(), run: o.run, devices, summary: acc.result()})
  try {
    out.write(`{\n"schemaVersion": ${JSON.stringify(SCHEMA_VERSION)},\n"tool": ${JSON.stringify(toolInfo())},\n"run": ${JSON.stringify(o.run)},\n"devices": [`)
    // The batch first (its own pass over the journal): the shared-key requirement verdicts of each device read it.
    batch = o.batchAnalysis ? ((await o.batchAnalysis(readJournal(o.journalPath))) as BatchSummary | undefined) : undefined
    const context = batch ? {summary: batch, devices: await countJournal(o.journalPath)} : undefined
    let first = true
    for await (const journaled of readJournal(o.journalPath)) {
      const device = refreshBatchRequirements(journaled, context)
      // Verdicts are the journal's own: run.json pins --fail-on across resumed sessions.
      acc.add(device)
      out.write(`${first ? '\n' : ',\n'}${JSON.stringify(device)}`)
      const rows = csvWriter.write(shell([device]))
      csv.write(first ? rows : rows.slice(rows.indexOf('\r\n') + 2))
      if (device.requirements?.length) {
        // Opened with the first device that has requirements: check-only profiles write no requirements CSV.
        const reqRows = requirementsCsvWriter.write(shell([device]))
        if (requirementsCsv) requirementsCsv.write(reqRows.slice(reqRows.indexOf('\r\n') + 2))
        else (requirementsCsv = new Sink(`${requirementsCsvPath}.tmp`)).write(reqRows)
      }
      first = false
    }
    if (first) csv.write(csvWriter.write(shell([])))
    out.write('\n],\n')
    if (batch !== undefined) out.write(`"batch": ${JSON.stringify(batch)},\n`)
    out.write(`"summary": ${JSON.stringify(withBatch(acc.result(), batch))}\n}\n`)
  } finally {
    out.close()
    csv.close()
    requirementsCsv?.close()
  }
  out.commit(reportPath)
  requirementsCsv?.commit(requirementsCsvPath)
  csv.commit(csvPath)
  const summary = withBatch(acc.result(), batch)
  let htmlPath: string | undefined
  if (summary.devices <= (o.htmlMaxDevices ?? HTML_MAX_DEVICES)) {
    htmlPath = join(o.dir, 'report.html')
    writeFileSync(htmlPath, htmlWriter.write(JSON.parse(readFileSync(reportPath, 'utf8')) as Report))
  }
  return {summary, reportPath, csvPath, htmlPath, ...(requirementsCsv ? {requirementsCsvPath} : {})}
}

/** Buffered appends to a temporary file, renamed into place when complete (no half-written report). */
class Sink {
  private readonly fd: number
  private buffer: string[] = []
  private size = 0

  constructor(private readonly tmpPath: string) {
    this.fd = openSync(tmpPath, 'w')
  }

  write(text: string): void {
    this.buffer.push(text)
    this.size += text.length
    if (this.size > 1 << 20) this.flush()
  }

  private flush(): void {
    if (this.buffer.length === 0) return
    const bytes = Buffer.from(this.buffer.join(''))
    let offset = 0
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset)
    this.buffer = []
    this.size = 0
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }

  commit(path: string): void {
    renameSync(this.tmpPath, path)
  }
}
