import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {journaledIds, readJournal} from '../../src/batch/journal.js'
import type {Device} from '../../src/evidence/types.js'
import {ConfigError} from '../../src/profiles/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'sg17-journal-'))
let n = 0
const device = (id: string): Device => ({id, services: [], observations: [], findings: [], verdict: 'incomplete'})
const line = (id: string) => `${JSON.stringify(device(id))}\n`
const journal = (text: string) => {
  const path = join(dir, `j${++n}.jsonl`)
  writeFileSync(path, text)
  return path
}
const readAll = async (path: string, notes: string[] = []) => {
  const out: string[] = []
  for await (const d of readJournal(path, {onTornLastLine: (m) => notes.push(m)})) out.push(d.id)
  return out
}

describe('journal damage', () => {
  it('reads whole lines, keeps the first of a repeated id', async () => {
    expect(await readAll(journal(line('a') + line('b') + line('a')))).toEqual(['a', 'b'])
  })

  it('leaves out a torn last line and says so, naming its line', async () => {
    const notes: string[] = []
    const path = journal(line('a') + line('b') + line('c').slice(0, 20))
    expect(await readAll(path, notes)).toEqual(['a', 'b'])
    expect(notes).toEqual([expect.stringMatching(/line 3: torn last line \(20 bytes, no newline\) left out/)])
  })

  it('treats an unterminated last line as torn even when it parses (the writer cuts it before appending)', async () => {
    const notes: string[] = []
    expect([...(await journaledIds(journal(line('a') + line('b').trimEnd()), {onTornLastLine: (m) => notes.push(m)}))]).toEqual(['a'])
    expect(notes).toHaveLength(1)
  })

  it.each([
    ['a garbled middle line', () => line('a') + '{"id": "b", garbage\n' + line('c'), 2],
    ['a garbled first line', () => 'xx\n' + line('a'), 1],
    ['a garbled but terminated last line', () => line('a') + line('b').slice(0, 30) + '\n', 2],
    ['an empty line', () => line('a') + '\n' + line('b'), 2],
    ['a JSON line that is not a device', () => line('a') + '[1,2]\n' + line('b'), 2],
  ])('%s is an error naming its line', async (_what, text, at) => {
    const path = journal(text())
    await expect(readAll(path)).rejects.toThrow(ConfigError)
    await expect(readAll(path)).rejects.toThrow(new RegExp(`${path.replace(/[.]/g, '\\.')} line ${at}: `))
  })
})
