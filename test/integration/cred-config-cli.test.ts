/** Bad credential inventory through the built CLI: a malformed --credentials line and an unknown list id in a
 *  profile exit 2 naming the file and line (and never echo the line, which may hold a password). */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {projectPath} from '../../src/util/paths.js'
import {runCli} from '../helpers/cli.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-cred-config-'))

describe('credential configuration errors', () => {
  it('a malformed --credentials line → exit 2 with file:line, line text not echoed', async () => {
    const file = join(tmp, 'creds.txt')
    writeFileSync(file, 'root:toor\n# fine\nNoColonSecret-8842\n')
    const r = await runCli(['scan', 'ssh://127.0.0.1:1', '--intrusive', '--credentials', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${file}:3`)
    expect(r.stderr + r.stdout).not.toContain('NoColonSecret-8842')
  })

  it('an unknown list id in a profile → exit 2 with file:line', async () => {
    const base = readFileSync(projectPath('profiles', 'itu-t-x1352-baseline.yaml'), 'utf8')
    const text = base.replace('lists: [lab, vendor-defaults,', 'lists: [lab, no-such-list, vendor-defaults,')
    expect(text).not.toBe(base)
    const line = text.split('\n').findIndex((l) => l.includes('no-such-list')) + 1
    const file = join(tmp, 'profile.yaml')
    writeFileSync(file, text)
    const r = await runCli(['scan', 'ssh://127.0.0.1:1', '--profile', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${file}:${line}`)
    expect(r.stderr).toMatch(/credentials\/lists\/1/)
  })
})
