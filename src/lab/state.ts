import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {LabDevice} from './index.js'

/** What `lab start` leaves behind so `lab stop` (another process) can find it. */
export interface LabState {
  pid: number
  startedAt: string
  caFile: string
  devices: LabDevice[]
}

export const DEFAULT_STATE_FILE = join(tmpdir(), 'sg17scan-lab.json')

export function readLabState(file: string): LabState | undefined {
  if (!existsSync(file)) return undefined
  return JSON.parse(readFileSync(file, 'utf8')) as LabState
}

export function writeLabState(file: string, state: LabState): void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`)
}

export function removeLabState(file: string): void {
  rmSync(file, {force: true})
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
