import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, expect, it} from 'vitest'

import type {Report} from '../../src/evidence/types.js'
import {esc, htmlWriter} from '../../src/writers/html.js'
import {deviceLabel} from '../../src/writers/shared.js'
import {interopSuite, toolPath, TOOLS} from '../helpers/interop-tools.js'
import {labReport} from '../helpers/writer-reports.js'

/** Debian's chromium package (CI installs it with apt-get); no browser is downloaded. */
const CHROMIUM = toolPath(TOOLS.chromium)
/** Every spawn is bounded: a hung browser fails the test instead of the run. */
const SPAWN_TIMEOUT_MS = 60_000

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-html-chromium-'))

/** Headless, offline, throw-away profile: nothing reaches the network and runs do not share state. */
function chromium(args: string[]): Promise<{stdout: string; stderr: string}> {
  const profile = mkdtempSync(join(tmp, 'profile-'))
  const base = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ]
  return new Promise((resolve, reject) => {
    execFile(
      CHROMIUM,
      [...base, ...args],
      {timeout: SPAWN_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8'},
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({stdout, stderr})),
    )
  })
}

/** Rendered text: tags dropped, entities of the serialised DOM decoded. */
const domText = (dom: string) =>
  dom
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

interopSuite('html report in headless Chromium', [TOOLS.chromium], () => {
  let report: Report
  let page: string
  beforeAll(async () => {
    report = await labReport()
    page = join(tmp, 'lab.html')
    writeFileSync(page, htmlWriter.write(report))
  })
  afterAll(() => rmSync(tmp, {recursive: true, force: true}))

  it('renders to a non-trivial screenshot', async () => {
    const png = join(tmp, 'lab.png')
    await chromium([`--screenshot=${png}`, '--window-size=1280,2000', pathToFileURL(page).href])
    const bytes = readFileSync(png)
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)
    // Width and height from the IHDR chunk.
    expect(bytes.readUInt32BE(16)).toBe(1280)
    expect(bytes.readUInt32BE(20)).toBe(2000)
    // A blank or error page compresses to a few KB; the report (tables, colours, charts) does not.
    expect(statSync(png).size).toBeGreaterThan(60_000)
    // Keep a copy for people to look at when asked to (e.g. CI artifacts).
    const keep = process.env.SG17SCAN_SCREENSHOT_DIR
    if (keep) {
      mkdirSync(keep, {recursive: true})
      writeFileSync(join(keep, 'html-report-lab.png'), bytes)
    }
  }, 90_000)

  it('renders every device, verdict and matrix row into the DOM', async () => {
    const {stdout: dom} = await chromium(['--dump-dom', pathToFileURL(page).href])
    expect(dom).toMatch(/^<!DOCTYPE html>\s*<html lang="en">/)
    const text = domText(dom)
    for (const [i, d] of report.devices.entries()) {
      expect(text).toContain(deviceLabel(d))
      // The device's row in the verdict table, with its verdict badge.
      const row = new RegExp(`<tr><td><a href="#d-${i}">${esc(deviceLabel(d))}</a>[\\s\\S]*?<span class="verdict v-${d.verdict}">${d.verdict.toUpperCase()}</span>`)
      expect(dom).toMatch(row)
    }
    expect(text).toContain('Overall result: FAIL')
    // One matrix row per check, each with one cell per device.
    const matrix = /<table class="matrix">([\s\S]*?)<\/table>/.exec(dom)?.[1] ?? ''
    const checks = [...new Set(report.devices.flatMap((d) => d.findings.map((f) => f.check)))].sort()
    const rows = [...matrix.matchAll(/<tr><th scope="row"><code>([^<]*)<\/code>[\s\S]*?<\/tr>/g)]
    expect(rows.map((r) => r[1])).toEqual(checks)
    for (const r of rows) expect(r[0].match(/<td class="cell /g)).toHaveLength(report.devices.length)
    // The inline script ran: the buttons are wired (clicking is not possible here, but no script error broke the page).
    expect(dom).toContain('id="expand-all"')
    expect((dom.match(/<details /g) ?? []).length).toBe(report.devices.reduce((n, d) => n + d.findings.length, 0))
  }, 90_000)
})
