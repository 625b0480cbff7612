/**
 * The batch journal (DIR/journal.jsonl): one line per finished device, exactly the report's `devices[]` entry.
 * Each line is written with one writeSync and fsync'd before the next device is accepted, so after a crash or
 * kill -9 the file holds whole lines plus at most one torn last line, which readers ignore and which is cut
 * off before a resumed run appends.
 */
import {closeSync, createReadStream, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync} from 'node:fs'
import {createInterface} from 'node:readline'

import type {Device} from '../evidence/types.js'

export class JournalWriter {
  private readonly fd: number
  written = 0

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a+')
    dropTornTail(this.fd)
  }

  append(device: Device): void {
    const line = Buffer.from(`${JSON.stringify(device)}\n`)
    let offset = 0
    while (offset < line.length) offset += writeSync(this.fd, line, offset)
    fsyncSync(this.fd)
    this.written++
  }

  close(): void {
    closeSync(this.fd)
  }
}

/** Cuts an unterminated last line (a write torn by kill -9): that device is scanned again. */
function dropTornTail(fd: number): void {
  const size = fstatSync(fd).size
  if (size === 0) return
  const chunk = Buffer.alloc(Math.min(size, 1 << 16))
  let end = size
  // Walk back to the last newline; lines are bounded by one device, so this reads a few chunks at most.
  while (end > 0) {
    const start = Math.max(0, end - chunk.length)
    const n = readSync(fd, chunk, 0, end - start, start)
    const nl = chunk.subarray(0, n).lastIndexOf(0x0a)
    if (nl !== -1) {
      if (start + nl + 1 !== size) ftruncateSync(fd, start + nl + 1)
      return
    }
    end = start
  }
  ftruncateSync(fd, 0)
}

/** Devices of the journal in written order, read line by line; unparsable (torn) lines and repeats skipped. */
export async function* readJournal(path: string): AsyncGenerator<Device> {
  if (!existsSync(path)) return
  const seen = new Set<string>()
  const lines = createInterface({input: createReadStream(path, {encoding: 'utf8'}), crlfDelay: Infinity})
  for await (const line of lines) {
    if (line === '') continue
    let device: Device
    try {
      device = JSON.parse(line) as Device
    } catch {
      continue
    }
    if (typeof device?.id !== 'string' || seen.has(device.id)) continue
    seen.add(device.id)
    yield device
  }
}

/** Ids already journaled (what --resume skips). */
export async function journaledIds(path: string): Promise<Set<string>> {
  const ids = new Set<string>()
  for await (const device of readJournal(path)) ids.add(device.id)
  return ids
}
