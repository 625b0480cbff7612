/**
 * The batch journal (DIR/journal.jsonl): one line per finished device, exactly the report's `devices[]` entry.
 * Each line is written with one writeSync and fsync'd before the next device is accepted, so after a crash or
 * kill -9 the file holds whole lines plus at most one torn (unterminated) last line, which readers leave
 * out (and say so) and which is cut off before a resumed run appends. Any other damaged line is an error naming
 * its line: silently skipping it would drop a scanned device from the report.
 */
import {closeSync, createReadStream, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync} from 'node:fs'

import type {Device} from '../evidence/types.js'
import {ConfigError} from '../profiles/errors.js'

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

export interface JournalReadOptions {
  /** Told when an unterminated last line (a write torn by kill -9) is left out: that device is scanned again. */
  onTornLastLine?: (message: string) => void
}

/**
 * Devices of the journal in written order, read line by line; repeats of an id keep the first. Only an
 * unterminated LAST line may be damaged (a torn write): it is left out and reported through onTornLastLine.
 * Any other line that is not a device record is damage we cannot explain: a ConfigError naming file and line.
 */
export async function* readJournal(path: string, options: JournalReadOptions = {}): AsyncGenerator<Device> {
  if (!existsSync(path)) return
  const seen = new Set<string>()
  for await (const {text, number, terminated} of journalLines(path)) {
    if (!terminated) {
      // Written in one writeSync with its newline: without the newline the write was torn, parsable or not.
      options.onTornLastLine?.(`${path} line ${number}: torn last line (${Buffer.byteLength(text)} bytes, no newline) left out; that device is scanned again`)
      return
    }
    if (text === '') throw new ConfigError(`${path} line ${number}: empty line (the journal holds one device per line)`)
    let device: Device
    try {
      device = JSON.parse(text) as Device
    } catch (error) {
      throw new ConfigError(`${path} line ${number}: not a JSON device record (${(error as Error).message}); the journal is damaged: repair or remove that line, or use a new --out-dir`)
    }
    if (typeof device !== 'object' || device === null || typeof device.id !== 'string') {
      throw new ConfigError(`${path} line ${number}: not a device record (no string "id"); the journal is damaged: repair or remove that line, or use a new --out-dir`)
    }
    if (seen.has(device.id)) continue
    seen.add(device.id)
    yield device
  }
}

/** Lines of a file with 1-based numbers, and whether each ended with a newline (only the last can lack it). */
async function* journalLines(path: string): AsyncGenerator<{text: string; number: number; terminated: boolean}> {
  let rest = Buffer.alloc(0)
  let number = 0
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk
    for (let nl = buffer.indexOf(0x0a); nl !== -1; nl = buffer.indexOf(0x0a)) {
      yield {text: buffer.subarray(0, nl).toString('utf8'), number: ++number, terminated: true}
      buffer = buffer.subarray(nl + 1)
    }
    rest = Buffer.from(buffer)
  }
  if (rest.length > 0) yield {text: rest.toString('utf8'), number: ++number, terminated: false}
}

/** Ids already journaled (what --resume skips). */
export async function journaledIds(path: string, options: JournalReadOptions = {}): Promise<Set<string>> {
  const ids = new Set<string>()
  for await (const device of readJournal(path, options)) ids.add(device.id)
  return ids
}
