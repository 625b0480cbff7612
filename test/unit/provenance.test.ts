import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {sha256Hex} from '../../src/evidence/ids.js'
import {dataFiles, gitCommit, toolInfo} from '../../src/evidence/provenance.js'
import {projectPath} from '../../src/util/paths.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)

describe('provenance', () => {
  it('reads the commit of a checkout from .git without git: detached, loose ref, packed ref, worktree', () => {
    const root = mkdtempSync(join(tmpdir(), 'sg17-git-'))
    const checkout = join(root, 'checkout')
    mkdirSync(join(checkout, '.git', 'refs', 'heads'), {recursive: true})
    writeFileSync(join(checkout, '.git', 'HEAD'), `${A}\n`)
    expect(gitCommit(checkout)).toBe(A)
    writeFileSync(join(checkout, '.git', 'HEAD'), 'ref: refs/heads/main\n')
    writeFileSync(join(checkout, '.git', 'refs', 'heads', 'main'), `${B}\n`)
    expect(gitCommit(checkout)).toBe(B)
    writeFileSync(join(checkout, '.git', 'HEAD'), 'ref: refs/heads/packed\n')
    writeFileSync(join(checkout, '.git', 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted\n${A} refs/heads/packed\n`)
    expect(gitCommit(checkout)).toBe(A)
    // A worktree: .git is a file naming its gitdir, which shares refs with the main repository (commondir).
    const wt = join(root, 'wt')
    const wtGit = join(checkout, '.git', 'worktrees', 'wt')
    mkdirSync(wtGit, {recursive: true})
    mkdirSync(wt)
    writeFileSync(join(wt, '.git'), `gitdir: ${wtGit}\n`)
    writeFileSync(join(wtGit, 'HEAD'), 'ref: refs/heads/main\n')
    writeFileSync(join(wtGit, 'commondir'), '../..\n')
    expect(gitCommit(wt)).toBe(B)
    expect(gitCommit(join(root, 'nothing-here'))).toBeUndefined()
  })

  it('names this build: version, the commit of this checkout, Node', () => {
    const tool = toolInfo()
    expect(tool).toMatchObject({name: 'sg17scan', node: process.version})
    expect(tool.version).toBe(JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).version)
    expect(tool.commit).toMatch(/^[0-9a-f]{40}$/)
  })

  it('digests every data file and names datasets, so row ids resolve against exact bytes', () => {
    const files = dataFiles()
    const byFile = new Map(files.map((f) => [f.file, f]))
    for (const file of ['data/credentials/credentials.json', 'data/snmp/communities.json', 'data/ssh/algorithms.json', 'data/http/well-known-paths.json', 'data/identity/cpe-patterns.json', 'data/iana-tls/tls-parameters-4.csv']) {
      expect(byFile.get(file)?.sha256, file).toBe(sha256Hex(readFileSync(projectPath(file))))
    }
    expect(byFile.get('data/snmp/communities.json')?.dataset).toBe('seclists-snmp-communities')
    expect(byFile.get('data/credentials/credentials.json')?.dataset).toBe('seclists-default-credentials')
    expect(files.some((f) => /SOURCE\.md|LICENSE/.test(f.file))).toBe(false)
  })

  it("names each JSON dataset by its own top-level id, whether looked up in the build's index or parsed", () => {
    for (const f of dataFiles().filter((d) => d.file.endsWith('.json'))) {
      const id = (JSON.parse(readFileSync(projectPath(f.file), 'utf8')) as {id?: unknown}).id
      expect(f.dataset, f.file).toBe(typeof id === 'string' ? id : undefined)
    }
  })
})
