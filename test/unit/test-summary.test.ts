/** The closing line CI reads counts skipped tests too: a suite skipped with SG17_SKIP_INTEROP=1 stays visible. */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

const SCRIPT = fileURLToPath(new URL('../../scripts/test-summary.cjs', import.meta.url))

function summary(result: object | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg17-summary-'))
  const file = join(dir, 'vitest.json')
  if (result) writeFileSync(file, JSON.stringify(result))
  return execFileSync(process.execPath, [SCRIPT, file], {encoding: 'utf8'}).trim()
}

describe('scripts/test-summary.cjs', () => {
  it('prints passed, failed and (when any) skipped', () => {
    expect(summary({numPassedTests: 10, numFailedTests: 1, numPendingTests: 3, numTodoTests: 0})).toBe('10 passed, 1 failed, 3 skipped')
    expect(summary({numPassedTests: 10, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0})).toBe('10 passed, 0 failed')
  })

  it('a run that wrote no results is a failure, never a silent pass', () => {
    expect(summary(undefined)).toBe('0 passed, 1 failed')
  })
})
