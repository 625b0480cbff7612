/**
 * A POSIX ustar archive of a few in-memory files (an evidence bundle for download): regular files only, mode 0644,
 * a fixed mtime, so the same bundle always gives the same bytes. `tar -xf` restores the bundle directory that
 * `report verify` checks.
 */
const BLOCK = 512

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`
}

/** Splits a path into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a '/'. */
function splitPath(path: string): {prefix: string; name: string} {
  if (Buffer.byteLength(path) <= 100) return {prefix: '', name: path}
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/') continue
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return {prefix, name}
  }
  throw new Error(`${path}: too long for a ustar archive`)
}

function header(path: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK)
  const {prefix, name} = splitPath(path)
  h.write(name, 0, 100, 'utf8')
  h.write(octal(0o644, 8), 100, 'ascii')
  h.write(octal(0, 8), 108, 'ascii')
  h.write(octal(0, 8), 116, 'ascii')
  h.write(octal(size, 12), 124, 'ascii')
  h.write(octal(mtime, 12), 136, 'ascii')
  h.fill(' ', 148, 156)
  h.write('0', 156, 'ascii')
  h.write('ustar\0', 257, 'ascii')
  h.write('00', 263, 'ascii')
  h.write(prefix, 345, 155, 'utf8')
  let sum = 0
  for (const byte of h) sum += byte
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii')
  return h
}

/** The archive of `files` (path → bytes) in the given order; `mtime` in seconds since the epoch. */
export function ustar(files: ReadonlyMap<string, Buffer>, mtime = 0): Buffer {
  const parts: Buffer[] = []
  for (const [path, bytes] of files) {
    parts.push(header(path, bytes.length, mtime), bytes)
    const pad = (BLOCK - (bytes.length % BLOCK)) % BLOCK
    if (pad > 0) parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(2 * BLOCK))
  return Buffer.concat(parts)
}
