/** The credential dataset: committed JSON equals a fresh build, marker normalisation, merging, stable ids, lists,
 *  and candidate selection (protocol, declared vendor, caps, lab file first). */
import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

// @ts-expect-error — plain ESM build script without types
import {buildDataset, buildFromDir, credentialId, normaliseField, parseCsv} from '../../scripts/build-credentials.mjs'
import {credentialDataset, selectCandidates} from '../../src/probes/cred/dataset.js'
import {projectPath} from '../../src/util/paths.js'

const SOURCE = projectPath('data', 'vendor', 'seclists')

describe('credential dataset build', () => {
  it('the committed credentials.json equals a fresh build of the source lists', () => {
    const committed = readFileSync(projectPath('data', 'credentials', 'credentials.json'), 'utf8')
    expect(buildFromDir(SOURCE)).toBe(committed)
  })

  it('ships the MIT licence and provenance', () => {
    expect(readFileSync(projectPath('data', 'credentials', 'LICENSE'), 'utf8')).toMatch(/MIT|Permission is hereby granted/)
    expect(readFileSync(projectPath('data', 'credentials', 'SOURCE.md'), 'utf8')).toContain('SecLists')
  })

  it('normalises blank and N/A markers', () => {
    expect(normaliseField('<BLANK>', 'password')).toBe('')
    expect(normaliseField('(none)', 'password')).toBe('')
    expect(normaliseField('<N/A>', 'username')).toBe('')
    expect(normaliseField('<N/A>', 'password')).toBeNull()
    expect(normaliseField('N/A', 'password')).toBeNull()
    expect(normaliseField('<SEE COMMENT>', 'password')).toBeNull()
    expect(normaliseField('admin', 'username')).toBe('admin')
  })

  it('parses RFC 4180 quoting', () => {
    expect(parseCsv('a,b\n"x, y","he said ""hi""",\n')).toEqual([['a', 'b'], ['x, y', 'he said "hi"', '']])
  })

  it('merges duplicates keeping every source, with content-derived ids, and drops untestable rows', () => {
    const texts = {
      csv: 'Vendor,Username,Password,Comments\nACME,admin,<BLANK>,\nacme,admin,,dup case\nACME,<N/A>,secret,\nACME,x,<N/A>,\n',
      ssh: 'root:toor\nuser:pa:ss\n',
      telnet: 'root:toor\n',
      mirai: 'root (none)\nroot toor\n',
    }
    const {credentials, lists} = buildDataset(texts)
    const acmeBlank = credentials.find((r: {vendor: string | null; username: string}) => r.vendor === 'ACME' && r.username === 'admin')
    expect(acmeBlank.password).toBe('')
    expect(acmeBlank.sources).toEqual([{file: 'default-passwords.csv', line: 2}, {file: 'default-passwords.csv', line: 3}])
    expect(acmeBlank.id).toBe(credentialId('acme', 'admin', ''))
    expect(credentials.some((r: {username: string}) => r.username === 'x')).toBe(false)
    const toor = credentials.find((r: {vendor: string | null; password: string}) => r.vendor === null && r.password === 'toor')
    expect(toor.protocols).toEqual(['ssh', 'telnet'])
    expect(toor.sources.map((s: {file: string}) => s.file)).toEqual(['ssh-betterdefaultpasslist.txt', 'telnet-betterdefaultpasslist.txt', 'mirai-botnet.txt'])
    expect(credentials.find((r: {password: string; username: string}) => r.username === 'user').password).toBe('pa:ss')
    // The pair named by the most files ranks first.
    expect(lists['generic-top'][0]).toBe(toor.id)
    expect(lists['vendor-defaults']).toHaveLength(2)
  })

  it('ids are stable across rebuilds and never contain the password', () => {
    const d = credentialDataset()
    for (const row of [...d.rows.values()].slice(0, 200)) {
      expect(row.id).toMatch(/^dc-[0-9a-f]{10}$/)
      expect(row.id).toBe(credentialId(row.vendor === null ? '' : row.vendor.toLowerCase(), row.username, row.password))
    }
    expect(d.lists['generic-top']).toHaveLength(20)
  })
})

describe('candidate selection', () => {
  const policy = {lists: ['lab', 'vendor-defaults', 'ssh-better', 'telnet-better', 'mirai', 'generic-top'] as const, maxPerList: 20}

  it('tries the lab file first, filters by protocol, caps each list and tries each pair once', () => {
    const lab = [{id: 'lab:mine.txt:3', username: 'op', password: 's3cret'}]
    const ssh = selectCandidates({...policy, lists: [...policy.lists]}, 'ssh', {lab})
    expect(ssh[0]!.id).toBe('lab:mine.txt:3')
    expect(ssh[0]!.secretUsername).toBe(true)
    const pairs = ssh.map((c) => JSON.stringify([c.username, c.password]))
    expect(new Set(pairs).size).toBe(pairs.length)
    const d = credentialDataset()
    for (const c of ssh.slice(1)) {
      const row = d.rows.get(c.id)!
      expect(row.protocols.includes('ssh') || c.lists[0] === 'generic-top').toBe(true)
    }
    expect(ssh.filter((c) => c.lists[0] === 'ssh-better').length).toBeLessThanOrEqual(20)
  })

  it('uses vendor defaults only for the declared vendor, case-insensitively', () => {
    const none = selectCandidates({lists: ['vendor-defaults'], maxPerList: 50}, 'http', {})
    expect(none).toHaveLength(0)
    const netgear = selectCandidates({lists: ['vendor-defaults'], maxPerList: 50}, 'http', {vendor: 'NETGEAR'})
    expect(netgear.length).toBeGreaterThan(5)
    const d = credentialDataset()
    for (const c of netgear) expect(d.rows.get(c.id)!.vendor!.toLowerCase()).toBe('netgear')
  })

  it('records every selected list that holds a pair', () => {
    const c = selectCandidates({lists: ['ssh-better', 'generic-top'], maxPerList: 200}, 'ssh', {})
    const adminAdmin = c.find((x) => x.username === 'admin' && x.password === 'admin')!
    expect(adminAdmin.lists).toEqual(expect.arrayContaining(['ssh-better', 'generic-top']))
  })
})

