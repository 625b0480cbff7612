/**
 * An inventory device's own login credentials (loginsRef, held in an environment variable) are tried first by the
 * intrusive credential checks; the one that works is reported by reference and line, the password nowhere.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import type {Report} from '../../src/evidence/types.js'
import {loadInventory} from '../../src/inventory/load.js'
import {InventoryResolver} from '../../src/inventory/to-spec.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {CredAttemptsData} from '../../src/probes/cred/types.js'
import {expectValidReport} from '../helpers/report.js'

// A password of our own beside the lab's real one, so the grep below proves neither is written.
const WRONG = 'Inventory-Wrong-9f3c'
let lab: RunningLab
let report: Report

beforeAll(async () => {
  lab = await startLab({devices: ['default-router']})
  const ssh = lab.devices[0]!.targets.find((t) => t.startsWith('ssh://'))!
  const dir = mkdtempSync(join(tmpdir(), 'sg17-inv-logins-'))
  const inventory = join(dir, 'inv.csv')
  writeFileSync(inventory, `id,host,services,loginsRef\nrouter-1,127.0.0.1,${ssh},env:ROUTER_1_LOGINS\n`)
  const resolver = new InventoryResolver({ROUTER_1_LOGINS: `root:${WRONG}\nroot:calvin\n`})
  report = await scanDevices(loadInventory(inventory).map((e) => resolver.toSpec(e)), {intrusive: true, timeoutMs: 2000, loginDelayMs: 20})
}, 60_000)

afterAll(async () => {
  await lab?.stop()
})

describe('inventory loginsRef', () => {
  it('tries the device\'s own credentials first and reports the working one by reference', () => {
    expectValidReport(report)
    const attempts = report.devices[0]!.observations.find((o) => o.probe === 'cred.attempts' && !o.error)!.data as unknown as CredAttemptsData
    expect(attempts.attempts.map((a) => a.credentialId)).toEqual(['env:ROUTER_1_LOGINS#1', 'env:ROUTER_1_LOGINS#2'])
    expect(attempts.success?.credentialId).toBe('env:ROUTER_1_LOGINS#2')
    expect(attempts.success?.username).toBeUndefined()
    const text = JSON.stringify(report)
    expect(text).not.toContain(WRONG)
    expect(text).not.toContain('calvin')
  })
})
