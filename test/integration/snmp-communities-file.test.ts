import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/index.js'
import {startLab} from '../../src/lab/index.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {loadCommunityFile} from '../../src/probes/snmp/community-file.js'
import {expectValidReport} from '../helpers/report.js'

const dir = mkdtempSync(join(tmpdir(), 'sg17scan-communities-'))

describe('--communities FILE (a lab\'s own list)', () => {
  it('reads one community per line, skipping blanks and comments, ids by line', () => {
    const file = join(dir, 'c.txt')
    writeFileSync(file, '# site list\nlab-Secret-1\n\nprivate\nprivate\n')
    expect(loadCommunityFile(file)).toEqual([
      {id: 'lab-2', community: 'lab-Secret-1'},
      {id: 'lab-4', community: 'private'},
    ])
    writeFileSync(join(dir, 'empty.txt'), '# nothing\n')
    expect(() => loadCommunityFile(join(dir, 'empty.txt'))).toThrow(ConfigError)
    expect(() => loadCommunityFile(join(dir, 'missing.txt'))).toThrow(/--communities/)
  })

  it('tries the lab list first and reports an accepted one by its line id, never the string', async () => {
    const lab = await startLab({devices: ['open-router']})
    try {
      const report = await scanDevices([{name: 'r', targets: lab.devices[0].targets}], {
        snmpCommunities: [
          {id: 'lab-1', community: 'not-a-community-zq'},
          {id: 'lab-2', community: 'private'},
        ],
      })
      expectValidReport(report)
      const obs = report.devices[0].observations.find((o) => o.probe === 'snmp.communities')!
      const accepted = (obs.data as {accepted: {credentialId: string}[]}).accepted.map((a) => a.credentialId)
      expect(accepted).toContain('lab-2')
      expect(accepted).not.toContain('lab-1')
      const text = JSON.stringify(report)
      expect(text).not.toContain('not-a-community-zq')
      expect(text).not.toMatch(/"private"/)
    } finally {
      await lab.stop()
    }
  }, 30_000)
})
