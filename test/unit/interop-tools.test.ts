/** The missing-interop-tool rule: a missing tool fails its suite with what to install, unless SG17_SKIP_INTEROP=1. */
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {findTool, interopPlan, TOOLS, type InteropTool} from '../helpers/interop-tools.js'

const bin = mkdtempSync(join(tmpdir(), 'sg17-tools-'))
const present = join(bin, 'present-tool')
writeFileSync(present, '#!/bin/sh\n')
chmodSync(present, 0o755)
const notExecutable = join(bin, 'plain-file')
writeFileSync(notExecutable, '')

const PRESENT: InteropTool = {binary: 'present-tool', env: 'SG17_TEST_PRESENT', apt: 'present-pkg'}
const ABSENT: InteropTool = {binary: 'sg17-absent-tool', env: 'SG17_TEST_ABSENT', apt: 'absent-pkg'}
const env = {PATH: bin}

describe('interop tool lookup and plan', () => {
  it('finds a tool on PATH, and an explicit override path wins', () => {
    expect(findTool(PRESENT, env)).toBe(present)
    expect(findTool(ABSENT, env)).toBeUndefined()
    expect(findTool(ABSENT, {...env, SG17_TEST_ABSENT: present})).toBe(present)
    expect(findTool(PRESENT, {...env, SG17_TEST_PRESENT: notExecutable})).toBeUndefined()
  })

  it('runs when every tool is there', () => {
    expect(interopPlan([PRESENT], env)).toEqual({action: 'run'})
  })

  it('fails a suite whose tool is missing, naming the Debian package to install', () => {
    const plan = interopPlan([PRESENT, ABSENT], env)
    expect(plan.action).toBe('fail')
    if (plan.action === 'run') return
    expect(plan.title).toContain('apt-get install -y absent-pkg')
    expect(plan.message).toContain('sg17-absent-tool not found')
    expect(plan.message).toContain('SG17_SKIP_INTEROP=1')
    expect(plan.message).not.toContain('present-pkg')
  })

  it('skips (never silently: a named skipped test) only with the explicit opt-out', () => {
    expect(interopPlan([ABSENT], {...env, SG17_SKIP_INTEROP: '1'})).toMatchObject({action: 'skip', title: expect.stringContaining('absent-pkg')})
    expect(interopPlan([ABSENT], {...env, SG17_SKIP_INTEROP: 'yes'}).action).toBe('fail')
  })

  it('every tool names the Debian package .ci/run installs', async () => {
    const {readFileSync} = await import('node:fs')
    const packages = /PACKAGES="([^"]+)"/.exec(readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8'))![1]!.split(/\s+/)
    // openssh-client comes with openssh-server.
    for (const tool of Object.values(TOOLS)) if (tool.apt !== 'openssh-client') expect(packages, tool.binary).toContain(tool.apt)
  })
})
