/**
 * Interop with THC Hydra (Debian `hydra`): on the same candidate list and the same lab target, hydra and
 * sg17scan find the same working pair on SSH and Telnet. Pairs are mapped to credential ids inside the test;
 * assertions and messages carry ids only, never a password.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, expect, it} from 'vitest'

import {scanDevices} from '../../src/engine/scan.js'
import {startLab, type RunningLab} from '../../src/lab/index.js'
import {selectCandidates} from '../../src/probes/cred/dataset.js'
import type {CredAttemptsData, CredentialCandidate} from '../../src/probes/cred/types.js'
import {DEFAULT_CREDENTIAL_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {interopSuite, toolPath, TOOLS} from '../helpers/interop-tools.js'

const HYDRA = toolPath(TOOLS.hydra)
const LIST_SIZE = 10
let lab: RunningLab
let tmp: string

async function setUp(): Promise<void> {
  lab = await startLab({devices: ['default-router']})
  tmp = mkdtempSync(join(tmpdir(), 'sg17scan-hydra-'))
}

function target(protocol: string): string {
  const t = lab.devices[0]!.targets.find((x) => x.startsWith(`${protocol}://`))
  if (!t) throw new Error(`no ${protocol} target`)
  return t
}

/** The id of the pair hydra reports as valid (matched against our candidate list), or undefined. */
/** Async on purpose: the lab serves from this process, a blocking spawn would starve it. */
function runHydra(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(HYDRA, args, {cwd: tmp})
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', () => {})
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      resolve(out)
    })
  })
}

async function hydraFinds(protocol: string, candidates: CredentialCandidate[]): Promise<string | undefined> {
  const combo = join(tmp, `${protocol}-combo.txt`)
  writeFileSync(combo, candidates.map((c) => `${c.username}:${c.password}\n`).join(''))
  const port = new URL(target(protocol)).port
  const stdout = await runHydra(['-C', combo, '-t', '1', '-I', `${protocol}://127.0.0.1:${port}`])
  const line = /\]\[(?:ssh|telnet)\] host: \S+\s+login: (.*?)\s+password: (.*)$/m.exec(stdout)
  if (!line) return undefined
  return candidates.find((c) => c.username === line[1] && c.password === line[2]!.trimEnd())?.id
}

async function sg17scanFinds(protocol: string, candidates: CredentialCandidate[]): Promise<string | undefined> {
  const report = await scanDevices([{targets: [target(protocol)]}], {
    intrusive: true,
    timeoutMs: 3000,
    loginDelayMs: 0,
    // Exactly the combo file's pairs, in its order: the lab-file path of the engine.
    loginCredentials: candidates.map((c) => ({id: c.id, username: c.username, password: c.password})),
  })
  const obs = report.devices[0]!.observations.find((o) => o.probe === 'cred.attempts')
  return (obs?.data as unknown as CredAttemptsData | undefined)?.success?.credentialId
}

interopSuite('hydra finds the same credential as sg17scan', [TOOLS.hydra], () => {
  beforeAll(setUp, 60_000)
  afterAll(async () => {
    await lab?.stop()
  })

  for (const protocol of ['ssh', 'telnet']) {
    it(protocol, async () => {
      const candidates = selectCandidates({lists: DEFAULT_CREDENTIAL_THRESHOLDS.lists.filter((l) => l !== 'lab'), maxPerList: LIST_SIZE}, protocol, {}).slice(0, LIST_SIZE)
      const ours = await sg17scanFinds(protocol, candidates)
      expect(ours).toBeDefined()
      expect(await hydraFinds(protocol, candidates)).toBe(ours)
    }, 180_000)
  }
})
